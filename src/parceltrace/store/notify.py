"""Waking workers on other processes or machines: PostgreSQL's LISTEN/NOTIFY.

An API process that registered numbers NOTIFYs; every worker LISTENs and polls at once rather
than at its next idle tick. On SQLite (one process) the worker is woken in memory instead and
these do nothing."""

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

from parceltrace.store.engine import Store

WORK_CHANNEL = "parceltrace_work"
RECONNECT_SECONDS = 2.0
log = structlog.get_logger("parceltrace.notify")


async def notify(store: Store, channel: str = WORK_CHANNEL) -> None:
    if store.is_sqlite:
        return
    async with store.write() as conn:
        await notify_in(conn, store, channel)


async def notify_in(conn: AsyncConnection, store: Store, channel: str = WORK_CHANNEL) -> None:
    """NOTIFY as part of `conn`'s transaction: delivered when (and only if) it commits."""
    if not store.is_sqlite:
        await conn.execute(text("SELECT pg_notify(:channel, '')"), {"channel": channel})


class Notifier:
    """A plain callable (what `Services.wake_poller` is) that sends a NOTIFY in the background."""

    def __init__(self, store: Store, also: Callable[[], None] | None = None) -> None:
        self.store = store
        self.also = also
        self._pending: set[asyncio.Task[None]] = set()

    def __call__(self) -> None:
        if self.also is not None:
            self.also()
        if self.store.is_sqlite:
            return
        task = asyncio.get_running_loop().create_task(self._send())
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def _send(self) -> None:
        try:
            await notify(self.store)
        except (OSError, asyncpg.PostgresError) as exc:
            log.warning("could not notify workers; they will poll at their next tick", error=str(exc))

    async def drain(self) -> None:
        await asyncio.gather(*self._pending, return_exceptions=True)


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


async def first_of(*events: asyncio.Event, at_most: float | None = None) -> None:
    """Until one of `events` is set (or `at_most` seconds pass)."""
    waiters = [asyncio.ensure_future(e.wait()) for e in events]
    try:
        await asyncio.wait(waiters, timeout=at_most, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
