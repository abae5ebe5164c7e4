"""`/sandbox/clock`: read and advance the virtual clock (sandbox mode only)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from parceltrace.clock import AdjustableClock
from parceltrace.protocol.errors import ApiError, ErrorCode
from parceltrace.protocol.parsing import decode_json
from parceltrace.protocol.structs import ok
from parceltrace.protocol.validation import parse_time
from parceltrace.worker.runner import Worker

MAX_ADVANCE = timedelta(days=3650)


def clock_payload(clock: AdjustableClock) -> dict[str, Any]:
    return ok({"now": iso_utc(clock.now())})


def iso_utc(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def advance_target(body: bytes, now: datetime) -> datetime:
    """`{"seconds": N}` or `{"to": "<ISO time>"}`; the clock only moves forward."""
    data = decode_json(body)
    if not isinstance(data, dict) or ("seconds" in data) == ("to" in data):
        raise ApiError(ErrorCode.SUBMITTED_DATA_INVALID)
    if "seconds" in data:
        seconds = data["seconds"]
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) or not seconds >= 0:
            raise ApiError(ErrorCode.FIELD_VALUE_INVALID, seconds, "seconds")
        if seconds > MAX_ADVANCE.total_seconds():
            raise ApiError(ErrorCode.FIELD_VALUE_INVALID, seconds, "seconds")
        return now + timedelta(seconds=seconds)
    target = parse_time(data["to"]) if isinstance(data["to"], str) else None
    if target is None or target < now or target - now > MAX_ADVANCE:
        raise ApiError(ErrorCode.FIELD_VALUE_INVALID, str(data["to"])[:40], "to")
    return target


async def advance(worker: Worker, clock: AdjustableClock, body: bytes) -> dict[str, Any]:
    report = await worker.advance(clock, advance_target(body, clock.now()))
    return ok(
        {
            "now": iso_utc(report.now),
            "polls": report.polls,
            "stopped": report.stopped,
            "purged": report.purged,
        }
    )
