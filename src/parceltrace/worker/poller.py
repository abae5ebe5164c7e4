"""The poller: claims due trackings in batches with a lease, fetches, derives, writes back.

A claim sets `lease_owner`/`lease_until`; the write-back only applies while the lease is still
ours, so a row is never processed by two pollers at once, and a crashed poller's rows become
claimable again when its lease runs out.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Row, and_, bindparam, or_, select, update

from parceltrace.protocol.status import StopReason, TrackingStatus
from parceltrace.service.context import Services
from parceltrace.sources.base import SourceError, TrackingRef
from parceltrace.store.tables import trackings
from parceltrace.tracking import lifecycle
from parceltrace.tracking.derive import Timeline, latest_status, providers_hash, with_hashes
from parceltrace.tracking.model import SourceResult, decode_result, encode_result
from parceltrace.tracking.normalize import normalized

FETCH_TIMEOUT = 30.0
DEFAULT_LEASE = timedelta(seconds=120)

_CLAIMED = (
    trackings.c.id,
    trackings.c.number,
    trackings.c.carrier,
    trackings.c.final_carrier,
    trackings.c.param,
    trackings.c.register_time,
    trackings.c.tracking_since,
    trackings.c.next_poll_at,
    trackings.c.source_data,
)


@dataclass(frozen=True, slots=True)
class PollResult:
    tracking_id: int
    polled_at: datetime
    stopped: bool
    changed: bool


class Poller:
    def __init__(
        self,
        services: Services,
        owner: str,
        batch_size: int = 200,
        lease: timedelta = DEFAULT_LEASE,
    ) -> None:
        self.services = services
        self.owner = owner
        self.batch_size = batch_size
        self.lease = lease

    async def claim(self, now: datetime) -> list[Row[Any]]:
        """Lease up to one batch of due trackings, oldest due first."""
        due = (
            select(trackings.c.id)
            .where(
                trackings.c.tracking_status == TrackingStatus.TRACKING.value,
                trackings.c.next_poll_at <= now,
                or_(trackings.c.lease_until.is_(None), trackings.c.lease_until < now),
            )
            .order_by(trackings.c.next_poll_at)
            .limit(self.batch_size)
        )
        if not self.services.store.is_sqlite:
            due = due.with_for_update(skip_locked=True)
        claim = (
            update(trackings)
            .where(trackings.c.id.in_(due.scalar_subquery()))
            .values(lease_owner=self.owner, lease_until=now + self.lease)
            .returning(*_CLAIMED)
        )
        async with self.services.store.write() as conn:
            return list((await conn.execute(claim)).all())

    async def poll_batch(self, now: datetime, *, at_due_time: bool = False) -> list[PollResult]:
        """Claim, fetch and write back one batch; `at_due_time` polls each row at its due time
        (the sandbox's clock advance), otherwise at `now`."""
        rows = await self.claim(now)
        if not rows:
            return []
        fetched = await asyncio.gather(
            *(self._fetch(row, row.next_poll_at if at_due_time else now) for row in rows)
        )
        updates = [
            self._outcome(row, when, result) for row, (when, result) in zip(rows, fetched, strict=True)
        ]
        async with self.services.store.write() as conn:
            await conn.execute(
                update(trackings)
                .where(
                    and_(trackings.c.id == bindparam("b_id"), trackings.c.lease_owner == bindparam("b_owner"))
                )
                .values(
                    {
                        **{key: bindparam(key) for key in updates[0][0] if not key.startswith("b_")},
                        "poll_count": trackings.c.poll_count + 1,
                    }
                ),
                [values for values, _ in updates],
            )
        return [result for _, result in updates]

    async def _fetch(self, row: Row[Any], when: datetime) -> tuple[datetime, SourceResult | None]:
        ref = TrackingRef(row.number, row.carrier, row.final_carrier, row.param, row.register_time)
        source = self.services.sources.for_carrier(row.carrier)
        try:
            result = await asyncio.wait_for(source.fetch(ref, when), FETCH_TIMEOUT)
        except (SourceError, TimeoutError):
            return when, None
        return when, normalized(result)

    def _outcome(
        self, row: Row[Any], when: datetime, result: SourceResult | None
    ) -> tuple[dict[str, Any], PollResult]:
        failed = result is None
        previous = row.source_data
        current = decode_result(previous) if failed else result
        timeline = Timeline.of(current)
        status = latest_status(current, timeline).status
        latest = timeline.latest
        delivered = timeline.delivery()
        since = row.tracking_since or row.register_time
        expiry = lifecycle.expires_at(
            status, latest[0] if latest else None, delivered[0] if delivered else None, since
        )
        schedule = lifecycle.after_poll(
            when,
            lifecycle.poll_interval(status, row.number),
            expiry,
            current.changes_at if current and not failed else None,
            bool(current and current.complete and not failed),
            failed=failed,
        )
        data = previous if failed or current is None else encode_result(current)
        values: dict[str, Any] = {
            "b_id": row.id,
            "b_owner": self.owner,
            "lease_owner": None,
            "lease_until": None,
            "track_time": when,
            "latest_sync_status": "Failure" if failed else "Success",
            "source_data": data,
            "package_status": status,
            "latest_event_time": latest[0] if latest else None,
            "recipient_country": current.shipping_info.recipient_address.country if current else None,
            "awaiting_result": failed and row.source_data is None,
            "next_poll_at": schedule.next_poll_at,
            "tracking_status": TrackingStatus.STOPPED.value
            if schedule.stop
            else TrackingStatus.TRACKING.value,
            "stop_track_time": when if schedule.stop else None,
            "stop_track_reason": StopReason.EXPIRED.value if schedule.stop else None,
        }
        old = decode_result(previous)
        changed = not failed and (
            old is None
            or providers_hash(with_hashes(old.providers)) != providers_hash(with_hashes(current.providers))
            if current is not None
            else False
        )
        return values, PollResult(row.id, when, schedule.stop, changed)
