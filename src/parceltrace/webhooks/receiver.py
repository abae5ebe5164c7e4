"""For webhook receivers: check a push is genuine, then read it as a typed event.

Always verify the raw request body bytes, never JSON you decoded and encoded again.
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Mapping

import msgspec

from parceltrace.client.answers import TrackingStoppedData, TrackingUpdatedData, read
from parceltrace.webhooks.payload import WebhookEvent
from parceltrace.webhooks.signing import standard_signature, verify_17track

TOLERANCE_SECONDS = 300


class TrackingUpdated(msgspec.Struct, frozen=True, kw_only=True):
    """Read as tolerantly as the SDK reads gettrackinfo (client.answers)."""

    data: TrackingUpdatedData = msgspec.field(default_factory=TrackingUpdatedData)
    event: str = WebhookEvent.TRACKING_UPDATED.value


class TrackingStopped(msgspec.Struct, frozen=True, kw_only=True):
    data: TrackingStoppedData = msgspec.field(default_factory=TrackingStoppedData)
    event: str = WebhookEvent.TRACKING_STOPPED.value


def verify(body: bytes, sign: str, key: str) -> bool:
    """17TRACK's scheme: `sign` header == sha256_hex(body + "/" + api_key), compared in constant time."""
    return verify_17track(body, sign, key)


def verify_standard(
    body: bytes,
    headers: Mapping[str, str],
    secret: str,
    now: float | None = None,
    tolerance: int = TOLERANCE_SECONDS,
) -> bool:
    """Standard Webhooks: a matching `v1,` signature and a timestamp within `tolerance` seconds."""
    try:
        message_id = headers["webhook-id"]
        timestamp = int(headers["webhook-timestamp"])
        offered = headers["webhook-signature"].split()
    except (KeyError, ValueError):
        return False
    if abs((time.time() if now is None else now) - timestamp) > tolerance:
        return False
    expected = standard_signature(body, message_id, timestamp, secret)
    return any(hmac.compare_digest(expected, candidate) for candidate in offered)


def parse(body: bytes) -> TrackingUpdated | TrackingStopped:
    """The push as a typed event; raises ValueError for anything else."""
    try:
        raw = msgspec.json.decode(body, type=dict[str, object])
        event = raw.get("event")
        if event == WebhookEvent.TRACKING_UPDATED.value:
            return read(raw, TrackingUpdated)
        if event == WebhookEvent.TRACKING_STOPPED.value:
            return read(raw, TrackingStopped)
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        raise ValueError(f"not a parceltrace/17TRACK push: {exc}") from exc
    raise ValueError(f"unknown push event {event!r}")
