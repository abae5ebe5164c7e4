"""What the pages show, derived from track_info and tracking rows: pure, so tested with values.
Status colours live here (not only in CSS) so a test can check their contrast."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from parceltrace.carriers import registry
from parceltrace.protocol.status import KeyStage, MainStatus, OrderBy, SubStatus
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


DETAIL_LABEL: dict[str, str] = {
    "InvalidCode": "invalid number",
    "PickedUp": "picked up",
    "Departure": "departed",
    "Arrival": "arrived",
    "CustomsProcessing": "in customs",
    "CustomsReleased": "released by customs",
    "CustomsRequiringInformation": "customs need information",
    "NoBody": "nobody there",
    "Security": "security issue",
    "Rejected": "refused",
    "InvalidAddress": "address problem",
    "Returning": "returning to sender",
    "Returned": "returned to sender",
    "Damage": "damaged",
    "Delayed": "delayed",
    "Lost": "lost",
    "Destroyed": "destroyed",
    "Cancel": "cancelled",
}
"""What the part of a sub-status after `_` means, in words (`_Other` says nothing more)."""

FINAL_SUB_STATUSES = frozenset(
    {
        SubStatus.EXCEPTION_RETURNED,
        SubStatus.EXCEPTION_LOST,
        SubStatus.EXCEPTION_DESTROYED,
        SubStatus.EXCEPTION_CANCEL,
    }
)
"""Exceptions after which no delivery is expected."""

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


def sub_status_label(sub_status: str | None) -> str:
    """`InTransit_PickedUp` -> `In transit — picked up`; `Delivered_Other` -> `Delivered`."""
    if not sub_status:
        return ""
    main, _, detail = sub_status.partition("_")
    label = look(main).label if main in MainStatus.__members__.values() else main
    words = DETAIL_LABEL.get(detail)
    return f"{label} — {words}" if words else label


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


def trouble_kind(error: str | None) -> str:
    """What a tenant is shown of a connector's last error: its kind ("the carrier refused the
    credentials"), not the carrier's text, which may name another tenant's number."""
    return (error or "").split(":", 1)[0]


@dataclass(frozen=True, slots=True)
class StageView:
    label: str
    reached: bool
    time: str
    state: str = ""
    """`reached`, `passed` (skipped by a journey that went further), `pending` or `problem`."""


RETURN_STAGES = (KeyStage.RETURNING, KeyStage.RETURNED)
TROUBLE = (MainStatus.EXCEPTION, MainStatus.DELIVERY_FAILURE)


def milestone_bar(info: TrackInfo) -> list[StageView]:
    """The key stages in documented order, as a shopper reads them: reached ones with their
    local time; a stage the journey went past without reporting it is passed, not a grey gap;
    the return stages only for a parcel that is returning and "ready for pickup" only when it
    happened (a branch, not a step every parcel takes); an exception or failed delivery is a
    red step after the last one reached."""
    by_stage = {m.key_stage: m for m in info.milestone}
    reached = {stage for stage in KeyStage if (m := by_stage.get(stage.value)) and m.time_utc}
    returning = bool(reached & set(RETURN_STAGES)) or info.latest_status.sub_status in (
        SubStatus.EXCEPTION_RETURNING,
        SubStatus.EXCEPTION_RETURNED,
    )
    stages = [
        stage
        for stage in KeyStage
        if (returning or stage not in RETURN_STAGES)
        and (stage != KeyStage.AVAILABLE_FOR_PICKUP or stage in reached)
    ]
    forward = [stage for stage in stages if stage not in RETURN_STAGES]
    last = max((forward.index(stage) for stage in reached if stage in forward), default=-1)
    problem = None
    if info.latest_status.status in TROUBLE:
        latest = info.latest_event.time_iso if info.latest_event else None
        problem = StageView(
            sub_status_label(info.latest_status.sub_status), True, local_time(latest), "problem"
        )
    bar = [problem] if problem and last == -1 else []
    for stage in stages:
        if stage in reached:
            bar.append(
                StageView(STAGE_LABEL[stage], True, local_time(by_stage[stage.value].time_iso), "reached")
            )
        elif stage in forward and forward.index(stage) < last:
            bar.append(StageView(STAGE_LABEL[stage], True, "", "passed"))
        else:
            bar.append(StageView(STAGE_LABEL[stage], False, "", "pending"))
        if problem and stage in forward and forward.index(stage) == last:
            bar.append(problem)
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
    description, location = event.description or "", event.location or ""
    place = location.split(",")[0].strip()
    if place and place.casefold() in description.casefold():
        location = ""  # the carrier's text already says where (each place once)
    local, utc = local_time(event.time_iso), utc_time(event.time_utc)
    return EventView(
        local=local,
        utc="" if local.endswith("(UTC+00:00)") else utc,
        description=description,
        location=location,
        status=sub_status_label(event.sub_status),
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


def carrier_homepage(code: int) -> str:
    """The carrier's homepage from the carrier list, "" when unknown or not a web address."""
    carrier = registry.get(code)
    homepage = carrier.homepage if carrier else ""
    return homepage if homepage.startswith(("https://", "http://")) and ".invalid/" not in homepage else ""


def delivery_window(info: TrackInfo) -> str:
    """The estimated delivery window as dates; "" when the source gave none, or when no
    delivery is coming any more (delivered, lost, returned, ...)."""
    status = info.latest_status
    if status.status == MainStatus.DELIVERED or status.sub_status in FINAL_SUB_STATUSES:
        return ""
    estimate = info.time_metrics.estimated_delivery_date
    start, end = parse_utc(estimate.from_), parse_utc(estimate.to)
    if start and end and start.date() != end.date():
        return f"{start:%Y-%m-%d} – {end:%Y-%m-%d}"
    if start or end:
        return f"{(start or end):%Y-%m-%d}"
    return ""
