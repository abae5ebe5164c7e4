"""The relay's use cases beyond polling: an upstream push received at `/hooks/upstream`, and
releasing upstream registrations no local tracking needs any more (run by the worker)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

import msgspec
import structlog

from parceltrace.client.answers import NumberCarrier
from parceltrace.client.core import BatchResult
from parceltrace.client.errors import ClientError
from parceltrace.protocol.errors import ErrorCode
from parceltrace.protocol.failures import ParceltraceError
from parceltrace.service.context import Services
from parceltrace.sources.relay import BATCH, RelaySource, as_served, result_from_track_info
from parceltrace.store.records import RELEASED, STOPPED, UpstreamLeftover
from parceltrace.store.upstream import UpstreamRecords
from parceltrace.tracking.model import encode_result
from parceltrace.webhooks import receiver

FORGIVEN_ON_STOP = {ErrorCode.STOP_ONLY_TRACKING, ErrorCode.NOT_REGISTERED}
FORGIVEN_ON_DELETE = {ErrorCode.NOT_REGISTERED}
log = structlog.get_logger("parceltrace.relay")


class PushNotGenuine(ParceltraceError):
    """An upstream push whose `sign` does not match: not from the upstream."""


class PushUnreadable(ParceltraceError):
    """A genuine upstream push that is not a TRACKING_UPDATED/TRACKING_STOPPED event."""


async def receive_push(services: Services, relay: RelaySource, body: bytes, sign: str, now: datetime) -> int:
    """An upstream webhook: verified with the upstream key, its result kept for every local
    tracking of that number, which are polled at once; returns how many were made due."""
    if not receiver.verify(body, sign, relay.key):
        raise PushNotGenuine("the sign header does not match this body and the upstream key")
    try:
        push = receiver.parse(body)
    except ValueError as exc:
        raise PushUnreadable(str(exc)) from exc
    if not push.data.number or push.data.carrier is None:
        raise PushUnreadable("the push names no number or carrier")
    number, carrier = push.data.number.upper(), push.data.carrier
    if isinstance(push, receiver.TrackingStopped):
        result = None
    else:
        try:
            result = encode_result(result_from_track_info(as_served(push.data.track_info)))
        except msgspec.ValidationError as exc:
            raise PushUnreadable(f"the push's track_info is unusable: {exc}") from exc
    return await UpstreamRecords(services.store).pushed(number, carrier, result, now)


async def release_unneeded(services: Services, relay: RelaySource, now: datetime) -> tuple[int, int]:
    """Stops upstream what no local account tracks any more, deletes what none has at all;
    (stopped, deleted). A failed call is tried again at the next round."""
    records = UpstreamRecords(services.store)
    to_stop, to_delete = await records.unneeded()
    stopped = await _release(records, to_stop, relay.client.stop_track, FORGIVEN_ON_STOP, STOPPED, now)
    deleted = await _release(records, to_delete, relay.client.delete_track, FORGIVEN_ON_DELETE, RELEASED, now)
    return stopped, deleted


async def _release(
    records: UpstreamRecords,
    rows: list[UpstreamLeftover],
    call: Callable[[list[dict[str, Any]]], Awaitable[BatchResult[NumberCarrier]]],
    forgiven: set[ErrorCode],
    state: str,
    now: datetime,
) -> int:
    done = 0
    for start in range(0, len(rows), BATCH):
        chunk = rows[start : start + BATCH]
        try:
            result = await call([{"number": row.number, "carrier": row.upstream_carrier} for row in chunk])
        except ClientError as exc:
            log.warning("upstream release failed", error=str(exc))
            continue
        failed = {(r.number or "").upper() for r in result.rejected if r.code not in forgiven}
        keys = [(row.number, row.carrier) for row in chunk if row.number not in failed]
        await records.released(keys, state, now)
        done += len(keys)
    return done
