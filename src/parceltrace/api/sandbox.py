"""`/sandbox/clock`: read and advance the caller's own virtual clock (sandbox mode only)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from parceltrace.clock import HORIZON, AdjustableClock
from parceltrace.protocol.errors import ApiError, ErrorCode
from parceltrace.protocol.parsing import decode_json
from parceltrace.protocol.structs import ok
from parceltrace.protocol.validation import parse_time
from parceltrace.worker.runner import Worker


def clock_payload(clock: AdjustableClock) -> dict[str, Any]:
    return ok({"now": iso_utc(clock.now())})


def iso_utc(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def advance_target(body: bytes, now: datetime, horizon: datetime) -> datetime:
    """`{"seconds": N}` or `{"to": "<ISO time>"}`; the clock only moves forward, and never
    past `horizon` (ten years ahead of real time)."""
    data = decode_json(body)
    if not isinstance(data, dict) or ("seconds" in data) == ("to" in data):
        raise ApiError(ErrorCode.SUBMITTED_DATA_INVALID)
    if "seconds" in data:
        seconds = data["seconds"]
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) or not seconds >= 0:
            raise ApiError(ErrorCode.FIELD_VALUE_INVALID, seconds, "seconds")
        if seconds > (horizon - now).total_seconds():
            raise _beyond(seconds, "seconds", now, horizon)
        return now + timedelta(seconds=seconds)
    target = parse_time(data["to"]) if isinstance(data["to"], str) else None
    if target is None or target < now:
        raise ApiError(ErrorCode.FIELD_VALUE_INVALID, str(data["to"])[:40], "to")
    if target > horizon:
        raise _beyond(data["to"], "to", now, horizon)
    return target


def _beyond(value: Any, field: str, now: datetime, horizon: datetime) -> ApiError:
    return ApiError(
        ErrorCode.FIELD_VALUE_INVALID,
        str(value)[:40],
        field,
        detail=(
            f"The sandbox clock stays within {HORIZON.days // 365} years of real time: it can be "
            f"moved up to {iso_utc(horizon)} (it is {iso_utc(now)} now)."
        ),
    )


async def advance(worker: Worker, clock: AdjustableClock, body: bytes) -> dict[str, Any]:
    report = await worker.advance(clock, advance_target(body, clock.now(), clock.horizon()))
    return ok(
        {
            "now": iso_utc(report.now),
            "polls": report.polls,
            "stopped": report.stopped,
            "purged": report.purged,
        }
    )
