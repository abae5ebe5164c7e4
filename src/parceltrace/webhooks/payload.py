"""The bodies of TRACKING_UPDATED and TRACKING_STOPPED, exactly as 003 documents them."""

from __future__ import annotations

import secrets
from enum import StrEnum

import msgspec

from parceltrace.protocol.structs import TrackInfo

_encoder = msgspec.json.Encoder()


class WebhookEvent(StrEnum):
    TRACKING_UPDATED = "TRACKING_UPDATED"
    TRACKING_STOPPED = "TRACKING_STOPPED"


class UpdatedData(msgspec.Struct):
    number: str
    carrier: int
    param: str | None
    tag: str | None
    track_info: TrackInfo


class StoppedData(msgspec.Struct):
    number: str
    carrier: int
    param: str | None
    tag: str
    """"" when the tracking has none, as 003's TRACKING_STOPPED example."""


class Push(msgspec.Struct):
    event: str
    data: UpdatedData | StoppedData


def updated_body(number: str, carrier: int, param: str | None, tag: str | None, info: TrackInfo) -> bytes:
    return _encoder.encode(
        Push(WebhookEvent.TRACKING_UPDATED.value, UpdatedData(number, carrier, param, tag, info))
    )


def stopped_body(number: str, carrier: int, param: str | None, tag: str | None) -> bytes:
    return _encoder.encode(
        Push(WebhookEvent.TRACKING_STOPPED.value, StoppedData(number, carrier, param, tag or ""))
    )


def new_message_id() -> str:
    """Stable across the retries of one message (Standard Webhooks `webhook-id`)."""
    return "msg_" + secrets.token_hex(12)
