"""Waking workers on other processes or machines: PostgreSQL's LISTEN/NOTIFY.

A transaction that leaves work (registrations, retrack, push, a carrier change, a moved sandbox
clock) NOTIFYs; every process LISTENs and acts at once rather than at its next idle tick. On
SQLite (one process) the worker is woken in memory instead and these do nothing."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Any

import asyncpg
import structlog
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection

from parceltrace.clock import first_of
from parceltrace.store.engine import Store

WORK_CHANNEL = "parceltrace_work"
RECONNECT_SECONDS = 2.0
log = structlog.get_logger("parceltrace.notify")


async def notify_in(conn: AsyncConnection, channel: str = WORK_CHANNEL) -> None:
    """NOTIFY as part of `conn`'s transaction, the one that made the work: delivered when (and
    only if) it commits, at no extra round trip. Nothing on SQLite."""
    if conn.dialect.name == "postgresql":
        await conn.execute(text("SELECT pg_notify(:channel, '')"), {"channel": channel})


async def listen(store: Store, on_notify: Callable[[], None], stop: asyncio.Event) -> None:
    """Call `on_notify` at every NOTIFY on the work channel until `stop`; reconnects after a
    lost connection (and wakes once then, in case a notification was missed)."""
    if store.is_sqlite:
        return
    dsn = make_url(store.url).set(drivername="postgresql").render_as_string(hide_password=False)
    while not stop.is_set():
        try:
            connection = await asyncpg.connect(dsn, timeout=10)
        except (OSError, asyncpg.PostgresError) as exc:
            if not store.reported_outage(exc):
                log.warning("cannot listen for work notifications; retrying", error=str(exc))
            await _wait(stop, RECONNECT_SECONDS)
            continue
        try:
            await _listen_on(connection, on_notify, stop)
        finally:
            with contextlib.suppress(OSError, asyncpg.PostgresError, asyncio.TimeoutError):
                await asyncio.wait_for(connection.close(), 5)


async def _listen_on(connection: Any, on_notify: Callable[[], None], stop: asyncio.Event) -> None:
    """Until `stop` or the connection is lost."""
    lost = asyncio.Event()

    def received(*_args: Any) -> None:
        on_notify()

    connection.add_termination_listener(lambda _conn: lost.set())
    await connection.add_listener(WORK_CHANNEL, received)
    on_notify()
    await first_of(stop, lost)


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(asyncio.TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)
