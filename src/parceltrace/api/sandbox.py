"""`/sandbox/clock`: read and advance the caller's own virtual clock (sandbox mode only)."""

from __future__ import annotations

from typing import Any

from parceltrace.clock import AdjustableClock
from parceltrace.protocol.errors import ApiError, ErrorCode
from parceltrace.protocol.parsing import decode_json
from parceltrace.protocol.structs import ok
from parceltrace.service.sandbox_clock import Advancer, iso_utc, move


def clock_payload(clock: AdjustableClock) -> dict[str, Any]:
    return ok({"now": iso_utc(clock.now())})


async def advance(advancer: Advancer, clock: AdjustableClock, body: bytes) -> dict[str, Any]:
    """`{"seconds": N}` or `{"to": "<ISO time>"}`, exactly one."""
    data = decode_json(body)
    if not isinstance(data, dict) or ("seconds" in data) == ("to" in data):
        raise ApiError(ErrorCode.SUBMITTED_DATA_INVALID)
    asked = {field: data[field] for field in ("seconds", "to") if field in data}
    report = await move(advancer, clock, **asked)
    return ok(
        {
            "now": iso_utc(report.now),
            "polls": report.polls,
            "stopped": report.stopped,
            "purged": report.purged,
        }
    )
