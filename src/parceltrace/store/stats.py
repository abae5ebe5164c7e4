"""Figures for the operator's metrics, each one indexed query."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from parceltrace.protocol.status import TrackingStatus
from parceltrace.store.engine import Store
from parceltrace.store.tables import deliveries, trackings


@dataclass(frozen=True, slots=True)
class Backlog:
    oldest_due: datetime | None
    """When the earliest due, still tracking, poll was due (None: nothing tracked)."""
    pending_deliveries: int


async def backlog(store: Store) -> Backlog:
    query = select(
        select(func.min(trackings.c.next_poll_at))
        .where(trackings.c.tracking_status == TrackingStatus.TRACKING.value)
        .scalar_subquery(),
        select(func.count()).select_from(deliveries).where(deliveries.c.state == "pending").scalar_subquery(),
    )
    async with store.read() as conn:
        oldest, pending = (await conn.execute(query)).one()
    return Backlog(oldest, int(pending or 0))


async def trackings_by_status(store: Store) -> dict[tuple[str, str], int]:
    """(tracking status, package status) -> count."""
    query = select(trackings.c.tracking_status, trackings.c.package_status, func.count()).group_by(
        trackings.c.tracking_status, trackings.c.package_status
    )
    async with store.read() as conn:
        rows = (await conn.execute(query)).all()
    return {(str(tracking), str(package)): int(count) for tracking, package, count in rows}
