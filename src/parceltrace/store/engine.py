"""The one way to reach the database: a Store with a read side and a single-writer write side."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeAlias

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, Row, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from parceltrace.store.outage import Outage

Transaction: TypeAlias = AsyncConnection
"""What `Store.write()` yields: store functions that join a caller's transaction take it."""
StoreError: TypeAlias = SQLAlchemyError
"""Any failure of the database itself (unreachable, refused, broken schema)."""
OUT_OF_REACH = (ConnectionError, TimeoutError, InterfaceError)
"""What a database out of reach raises: a connection refused, reset or timed out (asyncpg's
own errors), or the driver's interface errors; and `OperationalError`s that say so (below)."""
OUT_OF_REACH_WORDS = ("unable to open", "locked", "disk i/o", "connect", "closed", "timeout", "terminat")
"""An `OperationalError` is the database out of reach when its text says one of these (SQLite's
"unable to open database file", "database is locked"; a server connection lost); others
("no such table") are bugs, logged as such."""
Record: TypeAlias = Row[Any]
"""A row as read: fields by name (`record.number`); the layers above import these names, not
SQLAlchemy's."""
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
MIGRATION_LOCK = 7_301_916
BUSY_TIMEOUT_MS = 10_000
logging.getLogger("alembic").setLevel(logging.WARNING)


def out_of_reach(exc: BaseException) -> bool:
    """Whether `exc` (or what caused it) is the database being out of reach, a known state to
    wait out, rather than a bug."""
    seen: BaseException | None = exc
    for _ in range(5):
        if seen is None:
            return False
        if isinstance(seen, OUT_OF_REACH) or (isinstance(seen, DBAPIError) and seen.connection_invalidated):
            return True
        if isinstance(seen, OperationalError) and any(w in str(seen).lower() for w in OUT_OF_REACH_WORDS):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def async_url(url: str) -> str:
    """Map the user's URL (`sqlite:///x.db`, `postgresql://...`) to its asyncio driver."""
    parsed = make_url(url)
    driver = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+asyncpg"}.get(
        parsed.drivername, parsed.drivername
    )
    return parsed.set(drivername=driver).render_as_string(hide_password=False)


def _sqlite_pragmas(engine: AsyncEngine, *, immediate: bool) -> None:
    """WAL, sane sync level; take SQLite's transaction control away from the driver. The busy
    timeout comes first: switching to WAL waits for a lock too, and processes starting together
    on a new file found it held by the one migrating ("database is locked")."""

    @event.listens_for(engine.sync_engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in (
            f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
            "PRAGMA journal_mode=WAL",
            "PRAGMA synchronous=NORMAL",
            "PRAGMA foreign_keys=ON",
        ):
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def on_begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _create_private(path: str | None) -> None:
    """A new SQLite database file is created readable by its owner only (0600); SQLite gives its
    -wal and -shm files the database file's mode. An existing file is left as it is."""
    if not path or path == ":memory:" or os.path.exists(path):
        return
    with contextlib.suppress(OSError):  # a missing folder: SQLite says so when it connects
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _into_wal(path: str | None) -> None:
    """The file in WAL mode before any transaction. Switching takes an exclusive lock: a store
    switching while another, still in rollback mode, migrated deadlocked both ("database is
    locked" after the busy timeout, about 1 run in 8 of four stores started together). Once
    one switch is done the file stays WAL, so no transaction ever meets a switch. A file that
    cannot be opened is left to the engine, which says so as it always has."""
    if not path or path == ":memory:":
        return
    try:
        connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except sqlite3.Error:
        return
    try:
        connection.execute("PRAGMA journal_mode=WAL")
    except sqlite3.Error:
        pass  # the engine's own connections set WAL too, and report what is wrong
    finally:
        connection.close()


class Store:
    """Reads run concurrently; writes go through `write()`, which on SQLite is one writer."""

    def __init__(self, url: str) -> None:
        self.url = async_url(url)
        self.is_sqlite = self.url.startswith("sqlite")
        self.sqlite_path = make_url(self.url).database if self.is_sqlite else None
        if self.is_sqlite:
            _create_private(self.sqlite_path)
            self.write_engine = create_async_engine(
                self.url, pool_size=1, max_overflow=0, hide_parameters=True
            )
            self.read_engine = create_async_engine(
                self.url, pool_size=4, max_overflow=4, hide_parameters=True
            )
            _sqlite_pragmas(self.write_engine, immediate=True)
            _sqlite_pragmas(self.read_engine, immediate=False)
        else:
            self.write_engine = create_async_engine(
                self.url, pool_size=10, max_overflow=10, hide_parameters=True
            )
            self.read_engine = self.write_engine
        self.revisions: tuple[str | None, str | None] = (None, None)
        """The schema's revisions before and after this store's last `migrate()`."""
        self.outage = Outage(
            "database",
            self._takes_writes,
            "API requests are answered 503 with Retry-After and the worker waits; both go on by "
            "themselves when it returns",
        )

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncConnection]:
        """One transaction; commits on success, rolls back on any exception."""
        async with self.write_engine.begin() as connection:
            yield connection

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncConnection]:
        async with self.read_engine.connect() as connection:
            yield connection

    def reported_outage(self, exc: BaseException) -> bool:
        """Whether `exc` is the database out of reach; if so the outage has it (and logs it once
        for the whole process), so the caller logs nothing."""
        if not out_of_reach(exc):
            return False
        self.outage.failed(exc)
        return True

    async def _select_one(self, *, write: bool = False) -> BaseException | None:
        """None when `SELECT 1` runs (in a write transaction if `write`), the error when the
        database is out of reach; any other failure raises."""
        try:
            async with self.write() if write else self.read() as connection:
                await connection.execute(text("SELECT 1"))
        except Exception as exc:
            if out_of_reach(exc):
                return exc
            raise
        return None

    async def reachable(self) -> bool:
        """One `SELECT 1` (readiness probes)."""
        return await self._select_one() is None

    async def wait_until_reachable(self) -> None:
        """Returns once PostgreSQL answers; while it is out of reach, the outage's one line and a
        probe a second: a process started before its database waits for it instead of failing.
        Anything else (a wrong password, no such database) raises. SQLite is not waited for:
        a file that cannot be opened at start is a wrong path, not an outage."""
        while not self.is_sqlite:
            error = await self._select_one()
            if error is None:
                self.outage.ended()
                return
            self.outage.failed(error, "waiting for it before starting")
            await self.outage.back(at_most=60)

    async def _takes_writes(self) -> bool:
        """The outage's probe: the database takes a write transaction again. On SQLite a read
        goes on while another process holds the write lock ("database is locked"), so only a
        write (BEGIN IMMEDIATE, here waiting the busy timeout) says the outage is over."""
        return await self._select_one(write=self.is_sqlite) is None

    async def migrate(self) -> tuple[str | None, str | None]:
        """Bring the schema to the newest Alembic revision (idempotent); the revisions before
        and after (None before: an empty database). On PostgreSQL an advisory lock makes
        processes starting together migrate one after the other; on SQLite the write lock does,
        once the file is in WAL mode."""
        if self.is_sqlite:
            await asyncio.to_thread(_into_wal, self.sqlite_path)
        async with self.write_engine.begin() as connection:
            if not self.is_sqlite:
                await connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": MIGRATION_LOCK})
            self.revisions = await connection.run_sync(upgrade_to_head)
        return self.revisions

    async def close(self) -> None:
        await self.outage.close()
        await self.write_engine.dispose()
        if self.read_engine is not self.write_engine:
            await self.read_engine.dispose()


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def upgrade_to_head(connection: Connection) -> tuple[str | None, str | None]:
    before = MigrationContext.configure(connection).get_current_revision()
    command.upgrade(alembic_config(connection), "head")
    return before, MigrationContext.configure(connection).get_current_revision()
