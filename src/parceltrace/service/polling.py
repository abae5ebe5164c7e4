"""What a fetch does to a tracking: its new stored values, and what it has to announce.

One use case for the poller (a due poll) and for getRealTimeTrackInfo (a fetch on request of a
registered number); the rules themselves are tracking/'s, the write store/'s.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from parceltrace.delivery.outbox import PushRequest
from parceltrace.protocol.status import StopReason, TrackingStatus
from parceltrace.store.engine import Record
from parceltrace.tracking import lifecycle
from parceltrace.tracking.bounds import bounded
from parceltrace.tracking.derive import Timeline, latest_status, providers_hash
from parceltrace.tracking.model import SourceResult, decode_result, encode_result


@dataclass(frozen=True, slots=True)
class PollResult:
    tracking_id: int
    polled_at: datetime
    stopped: bool
    changed: bool
    failed: bool = False
    """The source could not answer (the tracking shows `latest_sync_status: Failure`)."""


def outcome(
    row: Record, when: datetime, fetched: SourceResult | str | None, owner: str | None
) -> tuple[dict[str, Any], PollResult]:
    """A tracking's new values after a fetch at `when` (a text or None: the fetch failed, and why)."""
    result = bounded(fetched) if isinstance(fetched, SourceResult) else None
    failed = result is None
    current = decode_result(row.source_data) if result is None else result
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
        None if result is None else result.changes_at,
        result is not None and result.complete,
        failed=failed,
    )
    values: dict[str, Any] = {
        "b_id": row.id,
        "b_owner": owner,
        "lease_owner": None,
        "lease_until": None,
        "track_time": when,
        "latest_sync_status": "Failure" if failed else "Success",
        "sync_error": (fetched or "the source could not answer") if failed else None,
        "source_data": row.source_data if result is None else encode_result(result),
        "package_status": status,
        "latest_event_time": latest[0] if latest else None,
        "recipient_country": current.shipping_info.recipient_address.country if current else None,
        "awaiting_result": failed and row.source_data is None,
        "next_poll_at": schedule.next_poll_at,
        "tracking_status": (TrackingStatus.STOPPED if schedule.stop else TrackingStatus.TRACKING).value,
        "stop_track_time": when if schedule.stop else None,
        "stop_track_reason": StopReason.EXPIRED.value if schedule.stop else None,
    }
    if result is not None:
        values["content_hash"] = content_hash(result)
    else:
        values["content_hash"] = row.content_hash
    changed = result is not None and (row.source_data is None or values["content_hash"] != row.content_hash)
    return values, PollResult(row.id, when, schedule.stop, changed, failed)


def push_request(row: Record, result: SourceResult | None, summary: PollResult) -> PushRequest:
    """What a poll has to announce: a changed result, a stop by the expiry rules, or both."""
    current = result if result is not None else decode_result(row.source_data)
    return PushRequest.for_row(
        row, current, updated=summary.changed, stopped=summary.stopped, at=summary.polled_at
    )


def content_hash(result: SourceResult) -> int:
    """What a change is: different events (sync times and the like do not count)."""
    return providers_hash(result.providers)
