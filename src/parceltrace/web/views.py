"""What the pages show, derived from track_info and tracking rows: pure, so tested with values.
Status colours live here (not only in CSS) so a test can check their contrast."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from parceltrace.carriers import registry
from parceltrace.protocol.status import KeyStage, MainStatus, OrderBy
from parceltrace.protocol.structs import Event, TrackInfo
from parceltrace.tracking.derive import parse_utc


@dataclass(frozen=True, slots=True)
class StatusLook:
    label: str
    icon: str
    foreground: str
    background: str


STATUS_LOOK: dict[MainStatus, StatusLook] = {
    MainStatus.NOT_FOUND: StatusLook("Not found", "?", "#374151", "#e5e7eb"),
    MainStatus.INFO_RECEIVED: StatusLook("Info received", "✉", "#1e3a8a", "#dbeafe"),
    MainStatus.IN_TRANSIT: StatusLook("In transit", "➜", "#1d4ed8", "#e0ecff"),
    MainStatus.EXPIRED: StatusLook("Expired", "◔", "#44403c", "#e7e5e4"),
    MainStatus.AVAILABLE_FOR_PICKUP: StatusLook("Ready for pickup", "⌂", "#6b21a8", "#f3e8ff"),
    MainStatus.OUT_FOR_DELIVERY: StatusLook("Out for delivery", "⇢", "#115e59", "#ccfbf1"),
    MainStatus.DELIVERY_FAILURE: StatusLook("Delivery failed", "✗", "#9a3412", "#ffedd5"),
    MainStatus.DELIVERED: StatusLook("Delivered", "✓", "#166534", "#dcfce7"),
    MainStatus.EXCEPTION: StatusLook("Exception", "!", "#991b1b", "#fee2e2"),
}

STAGE_LABEL: dict[KeyStage, str] = {
    KeyStage.INFO_RECEIVED: "Info received",
    KeyStage.PICKED_UP: "Picked up",
    KeyStage.DEPARTURE: "Departed",
    KeyStage.ARRIVAL: "Arrived",
    KeyStage.AVAILABLE_FOR_PICKUP: "Ready for pickup",
    KeyStage.OUT_FOR_DELIVERY: "Out for delivery",
    KeyStage.DELIVERED: "Delivered",
    KeyStage.RETURNING: "Returning",
    KeyStage.RETURNED: "Returned",
}


ORDER_LABEL: dict[OrderBy, str] = {
    OrderBy.REGISTER_TIME_DESC: "Newest registered first",
    OrderBy.REGISTER_TIME_ASC: "Oldest registered first",
    OrderBy.TRACK_TIME_DESC: "Latest polled first",
    OrderBy.TRACK_TIME_ASC: "Least recently polled first",
    OrderBy.PUSH_TIME_DESC: "Latest pushed first",
    OrderBy.PUSH_TIME_ASC: "Earliest pushed first",
}


def look(status: str) -> StatusLook:
    """The look of a main status; an unknown value looks like NotFound rather than failing."""
    try:
        return STATUS_LOOK[MainStatus(status)]
    except ValueError:
        return STATUS_LOOK[MainStatus.NOT_FOUND]


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two `#rrggbb` colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def local_time(iso: str | None) -> str:
    """`2026-03-02T14:05:00+08:00` -> `2026-03-02 14:05 (UTC+08:00)`: the time where it happened."""
    moment = parse_utc(iso)
    if moment is None:
        return iso or ""
    offset = moment.strftime("%z")
    zone = f"UTC{offset[:3]}:{offset[3:]}" if offset else "local"
    return f"{moment:%Y-%m-%d %H:%M} ({zone})"


def utc_time(iso: str | None) -> str:
    moment = parse_utc(iso)
    if moment is None or moment.tzinfo is None:
        return ""
    return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M} UTC"


def when(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC" if moment else ""


@dataclass(frozen=True, slots=True)
class StageView:
    label: str
    reached: bool
    time: str


def milestone_bar(info: TrackInfo) -> list[StageView]:
    """The 9 key stages in documented order; reached ones carry their local time."""
    by_stage = {m.key_stage: m for m in info.milestone}
    bar = []
    for stage in KeyStage:
        milestone = by_stage.get(stage.value)
        if milestone is None or milestone.time_utc is None:
            bar.append(StageView(STAGE_LABEL[stage], False, ""))
        else:
            bar.append(StageView(STAGE_LABEL[stage], True, local_time(milestone.time_iso)))
    return bar


@dataclass(frozen=True, slots=True)
class EventView:
    local: str
    utc: str
    description: str
    location: str
    status: str
    translation: str = ""
    """The event in the tracking's `lang`, when it has one."""
    translation_lang: str = ""


@dataclass(frozen=True, slots=True)
class ProviderView:
    name: str
    country: str
    sync: str
    events: list[EventView]


def _event(event: Event) -> EventView:
    return EventView(
        local=local_time(event.time_iso),
        utc=utc_time(event.time_utc),
        description=event.description or "",
        location=event.location or "",
        status=(event.sub_status or "").replace("_", " "),
        translation=event.description_translation.description if event.description_translation else "",
        translation_lang=event.description_translation.lang if event.description_translation else "",
    )


def timeline(info: TrackInfo) -> list[ProviderView]:
    """Events grouped by provider (origin carrier first, as 003 orders them), newest first."""
    return [
        ProviderView(
            name=track.provider.name or carrier_name(track.provider.key),
            country=track.provider.country or "",
            sync=track.latest_sync_status or "",
            events=[_event(e) for e in track.events],
        )
        for track in info.tracking.providers
    ]


def carrier_name(code: int) -> str:
    carrier = registry.get(code)
    return carrier.name if carrier else f"carrier {code}"


def delivery_window(info: TrackInfo) -> str:
    """The estimated delivery window as dates, or "" when the source gave none."""
    estimate = info.time_metrics.estimated_delivery_date
    start, end = parse_utc(estimate.from_), parse_utc(estimate.to)
    if start and end and start.date() != end.date():
        return f"{start:%Y-%m-%d} – {end:%Y-%m-%d}"
    if start or end:
        return f"{(start or end):%Y-%m-%d}"
    return ""
