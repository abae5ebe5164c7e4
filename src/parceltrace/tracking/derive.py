"""track_info and the list fields derived from a source result, by the rules of 003 (pure).

Only `now` varies between two derivations of the same result: the day counts of time_metrics
are the single part that moves with time.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import date, datetime

import msgspec

from parceltrace.carriers.registry import provider_info
from parceltrace.protocol.status import KeyStage, MainStatus, SubStatus
from parceltrace.protocol.structs import (
    Event,
    LatestStatus,
    Milestone,
    ProviderTrack,
    TimeMetrics,
    TrackInfo,
    Tracking,
)
from parceltrace.tracking.model import SourceResult
from parceltrace.tracking.status_map import normalize_sub_status
from parceltrace.tracking.track_info import empty_track_info

_encoder = msgspec.json.Encoder()


def parse_utc(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def signed_crc32(data: bytes) -> int:
    """A stable 32-bit hash, signed like the examples of 003 (which show negative values)."""
    value = zlib.crc32(data)
    return value - (1 << 32) if value >= 1 << 31 else value


def events_hash(events: list[Event]) -> int:
    return signed_crc32(_encoder.encode(events)) if events else 0


def providers_hash(providers: list[ProviderTrack]) -> int:
    if not any(p.events for p in providers):
        return 0
    return signed_crc32(_encoder.encode([(p.provider.key, p.events) for p in providers]))


@dataclass(frozen=True, slots=True)
class Timeline:
    """All events of all providers, oldest first, each with its parsed UTC time. Events of the
    same second keep their carrier's order: a provider lists its events newest first (Canada
    Post gives its delivery and the signature scan the same second, the delivery first), so the
    one it lists first is the later one."""

    events: tuple[tuple[datetime, Event], ...]

    @classmethod
    def of(cls, result: SourceResult | None) -> Timeline:
        if result is None:
            return cls(())
        dated = [
            (moment, -position, event)
            for provider in result.providers
            for position, event in enumerate(provider.events)
            if (moment := parse_utc(event.time_utc)) is not None
        ]
        dated.sort(key=lambda entry: entry[:2])
        return cls(tuple((moment, event) for moment, _, event in dated))

    @property
    def latest(self) -> tuple[datetime, Event] | None:
        return self.events[-1] if self.events else None

    @property
    def first(self) -> tuple[datetime, Event] | None:
        return self.events[0] if self.events else None

    def first_with(self, *sub_statuses: SubStatus) -> tuple[datetime, Event] | None:
        wanted = {s.value for s in sub_statuses}
        return next((pair for pair in self.events if pair[1].sub_status in wanted), None)

    def pickup(self) -> tuple[datetime, Event] | None:
        """003: the InTransit_PickedUp event, else the first InTransit_* event."""
        picked = self.first_with(SubStatus.IN_TRANSIT_PICKED_UP)
        if picked is not None:
            return picked
        return next((p for p in self.events if (p[1].sub_status or "").startswith("InTransit_")), None)

    def delivery(self) -> tuple[datetime, Event] | None:
        """003: the Delivered_Other event."""
        return self.first_with(SubStatus.DELIVERED_OTHER)

    def first_after_info_received(self) -> tuple[datetime, Event] | None:
        for index, (_moment, event) in enumerate(self.events):
            if event.sub_status == SubStatus.INFO_RECEIVED.value:
                return self.events[index + 1] if index + 1 < len(self.events) else None
        return None


def latest_status(result: SourceResult | None, timeline: Timeline) -> LatestStatus:
    latest = timeline.latest
    if latest is None:
        invalid = result is not None and result.invalid_number
        sub = SubStatus.NOT_FOUND_INVALID_CODE if invalid else SubStatus.NOT_FOUND_OTHER
        return LatestStatus(MainStatus.NOT_FOUND.value, sub.value)
    sub = normalize_sub_status(latest[1].sub_status)
    return LatestStatus(sub.main.value, sub.value)


def _days(later: date, earlier: date) -> int:
    return max((later - earlier).days, 0)


def time_metrics(
    status: LatestStatus, timeline: Timeline, now: datetime, result: SourceResult | None
) -> TimeMetrics:
    """The four day counts of 003, case by case; day differences of UTC calendar dates."""
    estimated = result.estimated_delivery if result else TimeMetrics().estimated_delivery_date
    first, latest = timeline.first, timeline.latest
    if first is None or latest is None:
        return TimeMetrics(estimated_delivery_date=estimated)
    today = now.date()
    delivered = status.status == MainStatus.DELIVERED.value
    delivery = timeline.delivery() if delivered else None
    end = delivery[0].date() if delivery else today
    picked = timeline.first_with(SubStatus.IN_TRANSIT_PICKED_UP)
    has_info = timeline.first_with(SubStatus.INFO_RECEIVED) is not None
    if picked is not None:
        transit = _days(end, picked[0].date())
    elif has_info:
        after = timeline.first_after_info_received()
        transit = _days(end, after[0].date()) if after is not None else 0
    else:
        transit = _days(end, first[0].date())
    resting = delivered or status.sub_status == SubStatus.EXCEPTION_RETURNED.value
    return TimeMetrics(
        days_after_order=_days(end, first[0].date()),
        days_of_transit=transit,
        days_of_transit_done=transit if delivered else 0,
        days_after_last_update=0 if resting else _days(today, latest[0].date()),
        estimated_delivery_date=estimated,
    )


def milestones(timeline: Timeline) -> list[Milestone]:
    """The 9 key stages in documented order; each the first event that reached it, or nulls."""
    reached: dict[str, Event] = {}
    for _moment, event in timeline.events:
        if event.stage and event.stage not in reached:
            reached[event.stage] = event
    out = []
    for stage in KeyStage:
        hit = reached.get(stage.value)
        if hit is None:
            out.append(Milestone(stage.value))
        else:
            out.append(Milestone(stage.value, hit.time_iso, hit.time_utc, hit.time_raw))
    return out


def with_hashes(providers: list[ProviderTrack]) -> list[ProviderTrack]:
    return [msgspec.structs.replace(p, events_hash=events_hash(p.events)) for p in providers]


def derive_track_info(
    result: SourceResult | None,
    now: datetime,
    shipping_country: str | None,
    recipient_country: str | None,
    sync_failed: bool = False,
    carrier: int | None = None,
) -> TrackInfo:
    """track_info as gettrackinfo and webhooks show it; "nothing yet" before the first result.

    After a failed sync the last good result is shown, its providers marked `Failure`; when
    no fetch has succeeded yet, `carrier` is shown as a provider whose sync failed (003's
    `latest_sync_status: "Failure"`), so that a failure is not read as "no record".
    """
    if result is None and not (sync_failed and carrier is not None):
        return empty_track_info(shipping_country, recipient_country)
    result = result or SourceResult()
    timeline = Timeline.of(result)
    status = latest_status(result, timeline)
    providers = with_hashes(result.providers)
    if sync_failed:
        providers = [msgspec.structs.replace(p, latest_sync_status="Failure") for p in providers]
        if not providers and carrier is not None:
            providers = [
                ProviderTrack(provider_info(carrier), None, "Failure", None, events_hash([]), events=[])
            ]
    latest = timeline.latest
    shipping = result.shipping_info
    if shipping.shipper_address.country is None and shipping_country:
        shipping = msgspec.structs.replace(
            shipping,
            shipper_address=msgspec.structs.replace(shipping.shipper_address, country=shipping_country),
        )
    if shipping.recipient_address.country is None and recipient_country:
        shipping = msgspec.structs.replace(
            shipping,
            recipient_address=msgspec.structs.replace(shipping.recipient_address, country=recipient_country),
        )
    return TrackInfo(
        shipping_info=shipping,
        latest_status=status,
        latest_event=latest[1] if latest else None,
        time_metrics=time_metrics(status, timeline, now, result),
        milestone=milestones(timeline) if timeline.events else [],
        misc_info=result.misc_info,
        tracking=Tracking(providers_hash=providers_hash(providers), providers=providers),
    )


@dataclass(frozen=True, slots=True)
class ListFacts:
    """The derived fields of a gettracklist item."""

    package_status: str
    latest_event_time: str | None
    latest_event_info: str | None
    metrics: TimeMetrics
    delivery_time: str | None
    pickup_time: str | None
    recipient_country: str | None


def list_facts(result: SourceResult | None, now: datetime) -> ListFacts:
    timeline = Timeline.of(result)
    status = latest_status(result, timeline)
    latest = timeline.latest
    pickup, delivery = timeline.pickup(), timeline.delivery()
    recipient = result.shipping_info.recipient_address.country if result else None
    return ListFacts(
        package_status=status.status,
        latest_event_time=latest[1].time_iso if latest else None,
        latest_event_info=latest[1].description if latest else None,
        metrics=time_metrics(status, timeline, now, result),
        delivery_time=delivery[1].time_utc if delivery else None,
        pickup_time=pickup[1].time_utc if pickup else None,
        recipient_country=recipient,
    )
