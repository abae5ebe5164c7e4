"""The virtual clock's offset, kept in the database so sandbox time survives a restart."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import structlog
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from parceltrace.clock import VirtualClock, bounded_offset
from parceltrace.store.engine import Store
from parceltrace.store.notify import first_of, notify_in
from parceltrace.store.tables import sandbox_clock

ROW_ID = 1
log = structlog.get_logger("parceltrace.sandbox")


async def load_offset(store: Store) -> timedelta:
    """The stored offset, within the horizon: a value written before the bound existed (a clock
    walked to year 9999) is brought back to ten years, and said so, instead of overflowing."""
    async with store.read() as conn:
        value = (
            await conn.execute(select(sandbox_clock.c.offset_us).where(sandbox_clock.c.id == ROW_ID))
        ).scalar()
    micros = int(value or 0)
    bounded = bounded_offset(timedelta(microseconds=micros))
    if bounded != timedelta(microseconds=micros):
        log.warning(
            "the stored sandbox clock was out of range; it now stands at the ten-year horizon",
            stored_offset_days=micros // 86_400_000_000,
            hint="parceltrace sandbox reset ACCOUNT starts an account's sandbox afresh",
        )
    return bounded


async def save_offset(store: Store, offset: timedelta) -> None:
    micros = int(offset / timedelta(microseconds=1))
    async with store.write() as conn:
        updated = await conn.execute(
            sandbox_clock.update().where(sandbox_clock.c.id == ROW_ID).values(offset_us=micros)
        )
        if not updated.rowcount:
            await conn.execute(sandbox_clock.insert().values(id=ROW_ID, offset_us=micros))
        await notify_in(conn)


async def follow(
    store: Store,
    clock: VirtualClock,
    stop: asyncio.Event,
    every: float = 1.0,
    nudge: asyncio.Event | None = None,
) -> None:
    """Keep this process's sandbox clock up with the shared one: another process (an API
    process answering /sandbox/clock/advance) may have moved it on. Checked every `every`
    seconds, and at once when `nudge` is set (a NOTIFY from the process that moved it)."""
    nudge = nudge or asyncio.Event()
    while not stop.is_set():
        nudge.clear()
        try:
            offset = await load_offset(store)
        except (OSError, SQLAlchemyError) as exc:
            log.warning("cannot read the sandbox clock; retrying", error=str(exc))
        else:
            if offset > clock.offset:
                clock.offset = offset
        await first_of(stop, nudge, at_most=every)
