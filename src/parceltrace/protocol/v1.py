"""The v1 wire shapes, as the v1 clients in use read them (PyPI `seventeentrack`,
`django-ok-17track`), mapped from v2.2 values.

002 reconstructs v1 with field meanings that contradict what those clients parse; the clients'
shape wins (wire compatibility), with what 002 adds and no client contradicts (`s`, `status`):
- package status `e`: 0 NotFound, 10 InTransit, 20 Expired, 30 PickUp, 35 Undelivered,
  40 Delivered, 50 Alert (000's table), mapped from the 9 v2.2 main statuses by `E_CODE`;
- `track.w1` the carrier, `w2` the final carrier (0: none), `b`/`c` the origin and destination
  countries as 17TRACK's numeric country codes (0: unknown), `ln1`/`ln2` the language of each
  carrier's events (null: not known);
- events `{a, b, c, d, z, s}`: `a` the carrier's local date and time `YYYY-MM-DD HH:MM`, `b`
  null, `c` the location ("" when none), `d` "", `z` the description, `s` the sub-status as its
  position 0-29 in 003's table (002);
- `track.z0` the latest event (always an object: one with no time and no text before any
  event), `z1` the events of `w1` and `z2` those of `w2`, each newest first.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Literal

from msgspec import Meta

from parceltrace.protocol.status import MainStatus, SubStatus
from parceltrace.protocol.structs import (
    CarrierCode,
    ChangeCarrierItem,
    ChangeInfoItem,
    ChangeInfoItems,
    Event,
    ProviderTrack,
    Struct,
    TrackInfoItem,
    TrackListItem,
)

E_CODE: dict[MainStatus, int] = {
    MainStatus.NOT_FOUND: 0,
    MainStatus.INFO_RECEIVED: 10,
    MainStatus.IN_TRANSIT: 10,
    MainStatus.EXPIRED: 20,
    MainStatus.AVAILABLE_FOR_PICKUP: 30,
    MainStatus.OUT_FOR_DELIVERY: 30,
    MainStatus.DELIVERY_FAILURE: 35,
    MainStatus.DELIVERED: 40,
    MainStatus.EXCEPTION: 50,
}
"""v1 had no InfoReceived or OutForDelivery: the carrier knowing of the item is "in transit",
out for delivery is "pick up" (v1's "arrived for delivery or pickup")."""

SUB_ORDER: dict[SubStatus, int] = {status: index for index, status in enumerate(SubStatus)}


def main_statuses(e_code: int) -> list[MainStatus]:
    """The v2.2 main statuses a v1 status filter selects (empty: not a v1 status)."""
    return [status for status, code in E_CODE.items() if code == e_code]


class V1ChangeCarrierItem(Struct, kw_only=True):
    """002: `{number, carrier}` with `carrier` the new carrier; `carrier_old`/`carrier_new`
    (the later v1 spelling) are understood too."""

    number: str
    carrier: CarrierCode | None = None
    carrier_old: CarrierCode | None = None
    carrier_new: CarrierCode | None = None

    def as_v22(self) -> ChangeCarrierItem:
        return ChangeCarrierItem(
            number=self.number, carrier_old=self.carrier_old, carrier_new=self.carrier_new or self.carrier
        )


class V1ChangeInfoItem(Struct, kw_only=True):
    """002: `{number, tag}`, optionally with the `carrier` to pick among several."""

    number: str
    tag: str | None = None
    carrier: CarrierCode | None = None

    def as_v22(self) -> ChangeInfoItem:
        return ChangeInfoItem(number=self.number, carrier=self.carrier, items=ChangeInfoItems(tag=self.tag))


class V1TrackListQuery(Struct, kw_only=True):
    """002's `status`, and what v1 clients send: `package_state` (a v1 `e` code, "" for all)
    and `tracking_state` (1 tracking, 2 stopped)."""

    status: int | None = None
    package_state: int | Literal[""] | None = None
    tracking_state: Literal[1, 2] | None = None
    page: Annotated[int, Meta(ge=0, le=10_000_000)] = 1
    page_size: Annotated[int, Meta(ge=1, le=40)] = 40

    @property
    def e_code(self) -> int | None:
        """The v1 package status to filter on, if any."""
        if self.status is not None:
            return self.status
        return self.package_state if isinstance(self.package_state, int) else None


class V1ChangeInfoObject(Struct, kw_only=True):
    """changeinfo's single-object form `{"number", "items": {"tag"}}` (`seventeentrack` sends it)."""

    number: str
    items: ChangeInfoItems
    carrier: CarrierCode | None = None

    def as_v22(self) -> ChangeInfoItem:
        return ChangeInfoItem(number=self.number, carrier=self.carrier, items=self.items)


class V1Event(Struct):
    a: str | None
    b: None
    c: str
    d: str
    z: str | None
    s: int | None


NO_EVENT = V1Event(a=None, b=None, c="", d="", z=None, s=None)


class V1Track(Struct):
    e: int
    w1: int
    w2: int
    b: int
    c: int
    ln1: str | None
    ln2: str | None
    z0: V1Event
    z1: list[V1Event]
    z2: list[V1Event]


class V1TrackInfoItem(Struct):
    number: str
    carrier: int
    tag: str | None
    track: V1Track


class V1TrackListItem(Struct):
    number: str
    carrier: int
    w1: int
    w2: int
    e: int
    tag: str | None
    tracking_status: str
    register_time: str


def local_time(event: Event) -> str | None:
    """The carrier's local date and time to the minute, `YYYY-MM-DD HH:MM` (v1's format)."""
    if event.time_iso:
        return event.time_iso[:16].replace("T", " ")
    if event.time_raw.date:
        return f"{event.time_raw.date} {(event.time_raw.time or '00:00')[:5]}"
    return None


def _sub_status(text: str | None) -> SubStatus | None:
    try:
        return SubStatus(text) if text else None
    except ValueError:
        return None


def v1_event(event: Event) -> V1Event:
    sub = _sub_status(event.sub_status)
    return V1Event(
        a=local_time(event),
        b=None,
        c=event.location or "",
        d="",
        z=event.description,
        s=SUB_ORDER[sub] if sub else None,
    )


def _newest_first(providers: list[ProviderTrack]) -> list[V1Event]:
    events = [event for provider in providers for event in provider.events]
    events.sort(key=lambda event: event.time_utc or "", reverse=True)
    return [v1_event(event) for event in events]


def _language(providers: list[ProviderTrack]) -> str | None:
    return next((p.provider_lang for p in providers if p.provider_lang), None)


def v1_track(item: TrackInfoItem, final_carrier: int, countries: Mapping[str, int]) -> V1TrackInfoItem:
    """A v2.2 gettrackinfo item in v1's shape; `countries`: ISO code -> 17TRACK numeric code.
    `w2` is the final carrier registered, else the other carrier whose events the item has."""
    info = item.track_info
    providers = info.tracking.providers
    handed_to = final_carrier or next(
        (p.provider.key for p in providers if p.provider.key != item.carrier), 0
    )
    second = [p for p in providers if handed_to and p.provider.key == handed_to]
    first = [p for p in providers if p.provider.key != handed_to]
    shipping = info.shipping_info
    track = V1Track(
        e=E_CODE[MainStatus(info.latest_status.status)],
        w1=item.carrier,
        w2=handed_to,
        b=countries.get(shipping.shipper_address.country or "", 0),
        c=countries.get(shipping.recipient_address.country or "", 0),
        ln1=_language(first),
        ln2=_language(second),
        z0=v1_event(info.latest_event) if info.latest_event else NO_EVENT,
        z1=_newest_first(first),
        z2=_newest_first(second),
    )
    return V1TrackInfoItem(item.number, item.carrier, item.tag, track)


def v1_list_item(item: TrackListItem) -> V1TrackListItem:
    return V1TrackListItem(
        number=item.number,
        carrier=item.carrier,
        w1=item.carrier,
        w2=item.final_carrier,
        e=E_CODE[MainStatus(item.package_status)],
        tag=item.tag,
        tracking_status=item.tracking_status,
        register_time=item.register_time,
    )
