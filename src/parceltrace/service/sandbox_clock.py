"""The virtual clock's offset, kept in the database so sandbox time survives a restart."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from parceltrace.store.engine import Store
from parceltrace.store.tables import sandbox_clock

ROW_ID = 1


async def load_offset(store: Store) -> timedelta:
    async with store.read() as conn:
        value = (
            await conn.execute(select(sandbox_clock.c.offset_us).where(sandbox_clock.c.id == ROW_ID))
        ).scalar()
    return timedelta(microseconds=int(value or 0))


async def save_offset(store: Store, offset: timedelta) -> None:
    micros = int(offset / timedelta(microseconds=1))
    async with store.write() as conn:
        updated = await conn.execute(
            sandbox_clock.update().where(sandbox_clock.c.id == ROW_ID).values(offset_us=micros)
        )
        if not updated.rowcount:
            await conn.execute(sandbox_clock.insert().values(id=ROW_ID, offset_us=micros))
