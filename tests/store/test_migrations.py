"""The schema Alembic builds must be exactly the declared one, and migrating must be repeatable."""

from __future__ import annotations

import asyncio
import stat
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, inspect, text

from parceltrace.store.engine import Store
from parceltrace.store.tables import metadata
from tests import postgres
from tests.conftest import PG_BASE


def _diff(connection: Connection) -> list[Any]:
    options = {"compare_type": True, "compare_server_default": True}
    return list(compare_metadata(MigrationContext.configure(connection, opts=options), metadata))


async def test_migrated_schema_equals_declared_schema(db_url: str) -> None:
    store = Store(db_url)
    await store.migrate()
    async with store.read() as conn:
        assert await conn.run_sync(_diff) == []
    await store.close()


async def test_migrate_is_idempotent_and_keeps_data(db_url: str) -> None:
    store = Store(db_url)
    await store.migrate()
    await store.migrate()
    async with store.read() as conn:
        tables = await conn.run_sync(lambda c: inspect(c).get_table_names())
    assert {"accounts", "trackings", "alembic_version"} <= set(tables)
    await store.close()


@pytest.mark.sqlite_only
async def test_sqlite_runs_in_wal_mode(db_url: str) -> None:
    store = Store(db_url)
    await store.migrate()
    async with store.read() as conn:
        mode = (await conn.exec_driver_sql("PRAGMA journal_mode")).scalar_one()
    assert mode == "wal"
    await store.close()


async def test_a_registration_row_gets_its_defaults_from_the_database(db_url: str) -> None:
    from datetime import UTC, datetime

    from sqlalchemy import select

    from parceltrace.store.tables import accounts, trackings

    store = Store(db_url)
    await store.migrate()
    now = datetime(2026, 1, 1, tzinfo=UTC)
    async with store.write() as conn:
        await conn.execute(
            accounts.insert().values(
                name="a", key_hash="h", key_prefix="p", enabled=True, quota_total=1, quota_used=0,
                max_track_daily=0, today_used=0, today_date="", rate_limit=0, realtime_enabled=True,
                free_email_quota=0, free_email_quotaused=0, created_at=now,
            )
        )  # fmt: skip
        await conn.execute(
            trackings.insert().values(account_id=1, number="N1", carrier=1, origin=1, register_time=now)
        )
    async with store.read() as conn:
        row = (await conn.execute(select(trackings))).one()
    assert (row.tracking_status, row.package_status, row.push_status, row.data_origin) == (
        "Tracking", "NotFound", "NotPushed", "Api",
    )  # fmt: skip
    assert (row.is_retracked, row.carrier_change_count, row.final_carrier) == (False, 0, 0)
    await store.close()


async def test_processes_starting_together_migrate_one_after_the_other(db_url: str, tmp_path: Path) -> None:
    """Several stores migrating a new database at once (API and worker processes started
    together): all succeed, and the schema is the declared one."""
    if db_url.startswith("postgresql"):
        db_url = await postgres.create_database(PG_BASE, "parceltrace_migrate_race")
    else:
        db_url = f"sqlite:///{tmp_path / 'race.db'}"
    stores = [Store(db_url) for _ in range(4)]
    try:
        await asyncio.gather(*(store.migrate() for store in stores))
        async with stores[0].read() as conn:
            assert await conn.run_sync(_diff) == []
    finally:
        for store in stores:
            await store.close()
        if db_url.startswith("postgresql"):
            await postgres.drop_database(PG_BASE, db_url)


@pytest.mark.sqlite_only
async def test_a_new_sqlite_database_and_its_wal_files_are_private(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'private.db'}")
    try:
        await store.migrate()
        async with store.write() as conn:
            await conn.execute(text("SELECT 1"))
        async with store.read() as conn:
            await conn.execute(text("SELECT 1"))
            modes = file_modes(tmp_path)
    finally:
        await store.close()
    assert {"private.db", "private.db-wal", "private.db-shm"} <= set(modes)
    assert {name: mode for name, mode in modes.items() if name.startswith("private.db")} == {
        name: 0o600 for name in modes if name.startswith("private.db")
    }


def file_modes(folder: Path) -> dict[str, int]:
    return {p.name: stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir()}
