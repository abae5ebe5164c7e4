"""What a source reports for one tracking, stored as JSON and derived into track_info."""

from __future__ import annotations

from datetime import datetime

import msgspec

from parceltrace.protocol.structs import EstimatedDeliveryDate, MiscInfo, ProviderTrack, ShippingInfo


class SourceResult(msgspec.Struct, kw_only=True):
    providers: list[ProviderTrack] = msgspec.field(default_factory=list)
    """Newest carrier first: for a postal item, [destination post, origin post]."""
    shipping_info: ShippingInfo = msgspec.field(default_factory=ShippingInfo)
    misc_info: MiscInfo = msgspec.field(default_factory=MiscInfo)
    estimated_delivery: EstimatedDeliveryDate = msgspec.field(default_factory=EstimatedDeliveryDate)
    invalid_number: bool = False
    """The carrier says the number does not exist (NotFound_InvalidCode)."""
    changes_at: datetime | None = None
    """When the data may next differ, if the source knows (the simulator does); None: unknown."""
    complete: bool = False
    """The source will report nothing new for this tracking (a finished simulated journey)."""
    carrier_codes: list[list[str | None]] = msgspec.field(default_factory=list)
    """The carrier's own code of each event (per provider, per event, as `providers`): kept
    beside the 17TRACK sub-status it was mapped to, for codes no table knows yet."""
    signed_by: str | None = None
    """Who signed for the delivery, when the carrier says."""
    unmapped: list[tuple[str, str, str]] = msgspec.field(default_factory=list)
    """(connector, code, description) of the events no status table knew (they got an
    `_Other`), for the operator's count of a carrier's unknown codes."""


_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder(SourceResult)


def encode_result(result: SourceResult) -> str:
    return _encoder.encode(result).decode()


def decode_result(text: str | None) -> SourceResult | None:
    return _decoder.decode(text) if text else None
