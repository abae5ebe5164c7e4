"""What the SDK reads: every answer shape 17TRACK documents (003), read tolerantly.

003 says "All response data will show 'Null' when there is no valid information", its tables and
examples disagree on types (`risk_factor` a String in the table, 0 in examples), and its examples
leave fields out. So, unlike the server's own `protocol.structs` (what parceltrace writes), every
field here has a default: a null or missing scalar reads as None, a null or missing object as an
empty one, a null or missing list as []. Unknown fields are ignored; statuses stay plain strings,
so a status 17TRACK adds later reads as itself. Numbers sent as strings are read as numbers."""

from __future__ import annotations

from typing import Any, TypeVar

import msgspec

T = TypeVar("T")


class Answer(msgspec.Struct, kw_only=True):
    """Base of the read types: every field optional (see the module)."""


class NumberCarrier(Answer):
    number: str | None = None
    carrier: int | None = None


class RegisterAccepted(NumberCarrier):
    origin: int | None = None
    email: str | None = None
    tag: str | None = None
    lang: str | None = None


class Quota(Answer):
    quota_total: int | None = None
    quota_used: int | None = None
    quota_remain: int | None = None
    today_used: int | None = None
    max_track_daily: int | None = None
    free_email_quota: int | None = None
    free_email_quotaused: int | None = None


class Page(Answer):
    data_total: int | None = None
    page_total: int | None = None
    page_no: int | None = None
    page_size: int | None = None


class Coordinates(Answer):
    longitude: str | float | None = None
    latitude: str | float | None = None


class Address(Answer):
    country: str | None = None
    state: str | None = None
    city: str | None = None
    street: str | None = None
    postal_code: str | None = None
    coordinates: Coordinates = msgspec.field(default_factory=Coordinates)


class ShippingInfo(Answer):
    shipper_address: Address = msgspec.field(default_factory=Address)
    recipient_address: Address = msgspec.field(default_factory=Address)


class TimeRaw(Answer):
    date: str | None = None
    time: str | None = None
    timezone: str | None = None


class DescriptionTranslation(Answer):
    lang: str | None = None
    description: str | None = None


class Event(Answer):
    time_iso: str | None = None
    time_utc: str | None = None
    time_raw: TimeRaw = msgspec.field(default_factory=TimeRaw)
    description: str | None = None
    description_translation: DescriptionTranslation | None = None
    location: str | None = None
    stage: str | None = None
    sub_status: str | None = None
    address: Address = msgspec.field(default_factory=Address)


class LatestStatus(Answer):
    status: str | None = None
    sub_status: str | None = None
    sub_status_descr: str | None = None


class EstimatedDeliveryDate(Answer):
    source: str | None = None
    from_: str | None = msgspec.field(default=None, name="from")
    to: str | None = None


class TimeMetrics(Answer):
    days_after_order: int | None = None
    days_of_transit: int | None = None
    days_of_transit_done: int | None = None
    days_after_last_update: int | None = None
    estimated_delivery_date: EstimatedDeliveryDate = msgspec.field(default_factory=EstimatedDeliveryDate)


class Milestone(Answer):
    key_stage: str | None = None
    time_iso: str | None = None
    time_utc: str | None = None
    time_raw: TimeRaw = msgspec.field(default_factory=TimeRaw)


class MiscInfo(Answer):
    risk_factor: int | str | None = None
    """003's table says String, its examples write 0: both read."""
    service_type: str | None = None
    weight_raw: str | None = None
    weight_kg: str | None = None
    pieces: str | None = None
    dimensions: str | None = None
    customer_number: str | None = None
    reference_number: str | None = None
    local_number: str | None = None
    local_provider: str | None = None
    local_key: int | None = None


class ProviderInfo(Answer):
    key: int | None = None
    name: str | None = None
    alias: str | None = None
    tel: str | None = None
    homepage: str | None = None
    country: str | None = None


class ProviderTrack(Answer):
    provider: ProviderInfo = msgspec.field(default_factory=ProviderInfo)
    provider_lang: str | None = None
    service_type: str | None = None
    latest_sync_status: str | None = None
    latest_sync_time: str | None = None
    events_hash: int | None = None
    events: list[Event] = msgspec.field(default_factory=list)


class Tracking(Answer):
    providers_hash: int | None = None
    providers: list[ProviderTrack] = msgspec.field(default_factory=list)


class TrackInfo(Answer):
    shipping_info: ShippingInfo = msgspec.field(default_factory=ShippingInfo)
    latest_status: LatestStatus = msgspec.field(default_factory=LatestStatus)
    latest_event: Event | None = None
    time_metrics: TimeMetrics = msgspec.field(default_factory=TimeMetrics)
    milestone: list[Milestone] = msgspec.field(default_factory=list)
    misc_info: MiscInfo = msgspec.field(default_factory=MiscInfo)
    tracking: Tracking = msgspec.field(default_factory=Tracking)


class TrackInfoItem(NumberCarrier):
    param: str | None = None
    tag: str | None = None
    track_info: TrackInfo = msgspec.field(default_factory=TrackInfo)


class TrackListItem(NumberCarrier):
    param: str | None = None
    param_type: str | None = None
    data_origin: str | None = None
    shipping_country: str | None = None
    final_carrier: int | None = None
    recipient_country: str | None = None
    register_time: str | None = None
    tracking_status: str | None = None
    package_status: str | None = None
    track_time: str | None = None
    push_time: str | None = None
    push_status: str | None = None
    push_status_code: int | None = None
    stop_track_time: str | int | None = None
    """003's table says Int, its examples a time or null: both read."""
    stop_track_reason: str | None = None
    is_retracked: bool | None = None
    carrier_change_count: int | None = None
    tag: str | None = None
    email: str | None = None
    order_no: str | None = None
    order_time: str | None = None
    lang: str | None = None
    remark: str | None = None
    latest_event_time: str | None = None
    latest_event_info: str | None = None
    days_after_order: int | None = None
    days_after_last_update: int | None = None
    days_of_transit: int | None = None
    days_of_transit_done: int | None = None
    delievery_time: str | None = None
    """003's spelling."""
    pickup_time: str | None = None


class TrackingUpdatedData(TrackInfoItem):
    """TRACKING_UPDATED's `data`: a gettrackinfo item."""


class TrackingStoppedData(NumberCarrier):
    param: str | None = None
    tag: str | None = None


def tidy(value: Any) -> Any:
    """`value` with nulls left out (so each field's default stands) and keys stripped of the
    spaces 003's own examples carry ("days_after_order ")."""
    if isinstance(value, dict):
        return {str(k).strip(): tidy(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [tidy(v) for v in value if v is not None]
    return value


def read(value: Any, kind: type[T]) -> T:
    """`value` (decoded JSON) as `kind`; msgspec.ValidationError when it cannot be one."""
    return msgspec.convert(tidy(value), kind, strict=False)
