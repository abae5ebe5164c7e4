"""The v1 wire shapes (002, with 000's numeric package status `e`), mapped from v2.2 values.

v1 integrations see the same stored trackings as v2.2 ones; only the shapes differ:
- package status `e`: 0 NotFound, 10 InTransit, 20 Expired, 30 PickUp, 35 Undelivered,
  40 Delivered, 50 Alert (000's table), mapped from the 9 v2.2 main statuses by `E_CODE`;
- events `{z, s, a, c, d}` (002): `z` the main status as its position 0-8 in 003's table,
  `s` the sub-status as its position 0-29 in 003's table, `a` location, `c` description,
  `d` the carrier's local date and time `YYYY-MM-DD HH:MM:SS`;
- `track.z0` the latest event, `track.z1` every event in chronological order (oldest first).
"""

from __future__ import annotations

from typing import Annotated

from msgspec import Meta

from parceltrace.protocol.status import MainStatus, SubStatus
from parceltrace.protocol.structs import (
    CarrierCode,
    ChangeCarrierItem,
    ChangeInfoItem,
    ChangeInfoItems,
    Event,
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

MAIN_ORDER: dict[MainStatus, int] = {status: index for index, status in enumerate(MainStatus)}
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
    status: int | None = None
    page: Annotated[int, Meta(ge=0, le=10_000_000)] = 1
    page_size: Annotated[int, Meta(ge=1, le=40)] = 40


class V1Event(Struct):
    z: int | None
    s: int | None
    a: str | None
    c: str | None
    d: str | None


class V1Track(Struct):
    e: int
    z0: V1Event | None
    z1: list[V1Event]


class V1TrackInfoItem(Struct):
    number: str
    carrier: int
    tag: str | None
    track: V1Track


class V1TrackListItem(Struct):
    number: str
    carrier: int
    e: int
    tag: str | None
    tracking_status: str
    register_time: str


def local_time(event: Event) -> str | None:
    """The carrier's local date and time, `YYYY-MM-DD HH:MM:SS` (000's example format)."""
    if event.time_iso:
        return event.time_iso[:19].replace("T", " ")
    if event.time_raw.date:
        return f"{event.time_raw.date} {event.time_raw.time or '00:00:00'}"
    return None


def _sub_status(text: str | None) -> SubStatus | None:
    try:
        return SubStatus(text) if text else None
    except ValueError:
        return None


def v1_event(event: Event) -> V1Event:
    sub = _sub_status(event.sub_status)
    return V1Event(
        z=MAIN_ORDER[sub.main] if sub else None,
        s=SUB_ORDER[sub] if sub else None,
        a=event.location,
        c=event.description,
        d=local_time(event),
    )


def v1_track(item: TrackInfoItem) -> V1TrackInfoItem:
    """A v2.2 gettrackinfo item in v1's shape."""
    info = item.track_info
    events = [event for provider in info.tracking.providers for event in provider.events]
    events.sort(key=lambda event: event.time_utc or "")
    track = V1Track(
        e=E_CODE[MainStatus(info.latest_status.status)],
        z0=v1_event(info.latest_event) if info.latest_event else None,
        z1=[v1_event(event) for event in events],
    )
    return V1TrackInfoItem(item.number, item.carrier, item.tag, track)


def v1_list_item(item: TrackListItem) -> V1TrackListItem:
    return V1TrackListItem(
        number=item.number,
        carrier=item.carrier,
        e=E_CODE[MainStatus(item.package_status)],
        tag=item.tag,
        tracking_status=item.tracking_status,
        register_time=item.register_time,
    )
