"""The janitor: stopped trackings leave the account 90 days after they stopped."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete

from parceltrace.protocol.status import TrackingStatus
from parceltrace.service.context import Services
from parceltrace.store.tables import trackings
from parceltrace.tracking.lifecycle import PURGE_AFTER


async def purge_stopped(services: Services, now: datetime) -> int:
    async with services.store.write() as conn:
        result = await conn.execute(
            delete(trackings).where(
                trackings.c.tracking_status == TrackingStatus.STOPPED.value,
                trackings.c.stop_track_time <= now - PURGE_AFTER,
            )
        )
    return int(result.rowcount or 0)
