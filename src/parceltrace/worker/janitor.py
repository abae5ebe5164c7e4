"""The janitor: stopped trackings leave the account 90 days after they stopped."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, delete, select, text

from parceltrace.protocol.status import TrackingStatus
from parceltrace.service.context import Services
from parceltrace.store.claims import due as is_due
from parceltrace.store.tables import trackings
from parceltrace.tracking.lifecycle import PURGE_AFTER

JANITOR_LOCK = 7_301_917
"""The advisory lock id that makes one janitor run at a time across a PostgreSQL cluster."""


async def purge_stopped(services: Services, now: datetime, account_id: int | None = None) -> int:
    """Delete what is due (by each account's clock, or `account_id`'s by `now`); on PostgreSQL
    only the worker holding the janitor lock does it, the others skip (their turn comes at the
    next tick). A read looks first: a sandbox clock advance asks on every window, and mostly
    nothing is due."""
    stopped_before = now - PURGE_AFTER
    due = (
        trackings.c.tracking_status == TrackingStatus.STOPPED.value,
        is_due(trackings.c.stop_track_time, trackings.c.account_id, stopped_before, services.clocks.groups())
        if account_id is None
        else and_(trackings.c.account_id == account_id, trackings.c.stop_track_time <= stopped_before),
    )
    async with services.store.read() as conn:
        if (await conn.execute(select(trackings.c.id).where(*due).limit(1))).first() is None:
            return 0
    async with services.store.write() as conn:
        if not services.store.is_sqlite:
            locked = await conn.execute(text("SELECT pg_try_advisory_xact_lock(:id)"), {"id": JANITOR_LOCK})
            if not locked.scalar_one():
                return 0
        result = await conn.execute(delete(trackings).where(*due))
    return int(result.rowcount or 0)
