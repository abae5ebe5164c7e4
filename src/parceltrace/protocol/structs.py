"""Request and response structures of the v2.2 endpoints (msgspec), shared by server and SDK.

Field names and nesting follow 003 exactly, including its spelling (`delievery_time`).
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from msgspec import Meta


class Struct(msgspec.Struct, gc=False):
    """The base of every wire structure: trees of plain values that never form reference
    cycles, so the garbage collector need not track them. (The simulator's cached built
    events, since removed, put hundreds of thousands of them in every full collection: 80-200
    ms pauses of the whole server, measured; the results held per request or per batch still
    need not be walked.)"""


Int32 = Annotated[int, Meta(ge=-(2**31), le=2**31 - 1)]
CarrierCode = Annotated[int, Meta(ge=0, le=2**31 - 1)]


# ---------------------------------------------------------------- requests


class RegisterItem(Struct, kw_only=True):
    number: str
    lang: str | None = None
    email: str | None = None
    param: str | None = None
    order_no: str | None = None
    order_time: str | None = None
    carrier: CarrierCode | None = None
    final_carrier: CarrierCode | None = None
    auto_detection: bool = True
    tag: str | None = None
    remark: str | None = None


class NumberItem(Struct, kw_only=True):
    """The `{number, carrier}` item of stoptrack, retrack, deletetrack, push, gettrackinfo."""

    number: str
    carrier: CarrierCode | None = None


class ChangeCarrierItem(Struct, kw_only=True):
    number: str
    carrier_old: CarrierCode | None = None
    carrier_new: CarrierCode | None = None
    final_carrier_old: CarrierCode | None = None
    final_carrier_new: CarrierCode | None = None


class ChangeInfoItems(Struct, kw_only=True):
    tag: str | None = None
    param: str | None = None
    lang: str | None = None
    remark: str | None = None


class ChangeInfoItem(Struct, kw_only=True):
    number: str
    items: ChangeInfoItems
    carrier: CarrierCode | None = None


CACHE_LEVELS = {"0": 0, "1": 1, "standard": 0, "instant": 1}
"""getRealTimeTrackInfo's `cacheLevel`, by number or (v2.4) by name."""


class RealTimeItem(Struct, kw_only=True, rename={"cache_level": "cacheLevel"}):
    number: str
    param: str | None = None
    carrier: CarrierCode | None = None
    final_carrier: CarrierCode | None = None
    auto_detection: bool = True
    cache_level: int | str = 0

    def __post_init__(self) -> None:
        """v2.4 clients send the level's name (`"Standard"`, `"Instant"`, any case), older ones
        0 or 1; both are kept as the number."""
        level = CACHE_LEVELS.get(str(self.cache_level).strip().lower())
        if level is None or isinstance(self.cache_level, bool):
            raise ValueError("Invalid cache level - at `$.cacheLevel`")
        self.cache_level = level

    @property
    def level(self) -> int:
        """0 (Standard, from the last 3 hours) or 1 (Instant)."""
        return int(self.cache_level)


class TrackListQuery(Struct, kw_only=True):
    number: str | None = None
    carrier: CarrierCode | None = None
    data_origin: str | None = None
    package_status: str | None = None
    register_time_from: str | None = None
    register_time_to: str | None = None
    tracking_status: str | None = None
    track_time_from: str | None = None
    track_time_to: str | None = None
    push_time_from: str | None = None
    push_time_to: str | None = None
    push_status: str | None = None
    push_status_code: Int32 | None = None
    stop_track_time_from: str | None = None
    stop_track_time_to: str | None = None
    page_no: Annotated[int, Meta(ge=0, le=10_000_000)] = 1
    order_by: str | None = None


# ---------------------------------------------------------------- envelopes


class ErrorBody(Struct):
    code: int
    message: str


class Rejected(Struct, omit_defaults=True):
    number: str | None
    error: ErrorBody
    tag: str | None = None


class ErrorsData(Struct):
    errors: list[ErrorBody]


class ErrorsEnvelope(Struct):
    """A request invalid as a whole: `{"code": 0, "data": {"errors": [...]}}`."""

    code: int
    data: ErrorsData


class NumberCarrier(Struct):
    number: str
    carrier: int


class RegisterAccepted(Struct):
    origin: int
    number: str
    carrier: int
    email: str | None
    tag: str | None
    lang: str | None


class Quota(Struct):
    quota_total: int
    quota_used: int
    quota_remain: int
    today_used: int
    max_track_daily: int
    free_email_quota: int
    free_email_quotaused: int


class Page(Struct):
    data_total: int
    page_total: int
    page_no: int
    page_size: int


# ---------------------------------------------------------------- track_info


class Coordinates(Struct):
    longitude: str | None = None
    latitude: str | None = None


class Address(Struct):
    country: str | None = None
    state: str | None = None
    city: str | None = None
    street: str | None = None
    postal_code: str | None = None
    coordinates: Coordinates = msgspec.field(default_factory=Coordinates)


class ShippingInfo(Struct):
    shipper_address: Address = msgspec.field(default_factory=Address)
    recipient_address: Address = msgspec.field(default_factory=Address)


class TimeRaw(Struct):
    date: str | None = None
    time: str | None = None
    timezone: str | None = None


class DescriptionTranslation(Struct):
    lang: str
    description: str


class Event(Struct):
    time_iso: str | None
    time_utc: str | None
    time_raw: TimeRaw
    description: str | None
    location: str | None
    stage: str | None
    sub_status: str | None
    address: Address
    description_translation: DescriptionTranslation | None = None


class LatestStatus(Struct):
    status: str
    sub_status: str
    sub_status_descr: str | None = None


class EstimatedDeliveryDate(Struct):
    source: str | None = None
    from_: str | None = msgspec.field(default=None, name="from")
    to: str | None = None


class TimeMetrics(Struct):
    days_after_order: int = 0
    days_of_transit: int = 0
    days_of_transit_done: int = 0
    days_after_last_update: int = 0
    estimated_delivery_date: EstimatedDeliveryDate = msgspec.field(default_factory=EstimatedDeliveryDate)


class Milestone(Struct):
    key_stage: str
    time_iso: str | None = None
    time_utc: str | None = None
    time_raw: TimeRaw = msgspec.field(default_factory=TimeRaw)


class MiscInfo(Struct):
    risk_factor: int = 0
    service_type: str | None = None
    weight_raw: str | None = None
    weight_kg: str | None = None
    pieces: str | None = None
    dimensions: str | None = None
    customer_number: str | None = None
    reference_number: str | None = None
    local_number: str | None = None
    local_provider: str | None = None
    local_key: int = 0


class ProviderInfo(Struct):
    key: int
    name: str | None
    alias: str | None
    tel: str | None
    homepage: str | None
    country: str | None


class ProviderTrack(Struct):
    provider: ProviderInfo
    service_type: str | None
    latest_sync_status: str | None
    latest_sync_time: str | None
    events_hash: int
    events: list[Event]
    provider_lang: str | None = None


class Tracking(Struct):
    providers_hash: int = 0
    providers: list[ProviderTrack] = msgspec.field(default_factory=list)


class TrackInfo(Struct):
    shipping_info: ShippingInfo
    latest_status: LatestStatus
    latest_event: Event | None
    time_metrics: TimeMetrics
    milestone: list[Milestone]
    misc_info: MiscInfo
    tracking: Tracking


class TrackInfoItem(Struct):
    number: str
    carrier: int
    param: str | None
    tag: str | None
    track_info: TrackInfo


class TrackListItem(Struct):
    number: str
    param: str | None
    param_type: str
    data_origin: str
    carrier: int
    shipping_country: str | None
    final_carrier: int
    recipient_country: str | None
    register_time: str
    tracking_status: str
    package_status: str
    track_time: str | None
    push_time: str | None
    push_status: str
    push_status_code: int | None
    stop_track_time: str | None
    stop_track_reason: str | None
    is_retracked: bool
    carrier_change_count: int
    tag: str | None
    email: str | None
    order_no: str | None
    order_time: str | None
    lang: str | None
    remark: str | None
    latest_event_time: str | None
    latest_event_info: str | None
    days_after_order: int
    days_after_last_update: int | None
    days_of_transit: int
    days_of_transit_done: int
    delievery_time: str | None
    pickup_time: str | None


def ok(data: Any) -> dict[str, Any]:
    """The success envelope `{"code": 0, "data": data}`."""
    return {"code": 0, "data": data}
