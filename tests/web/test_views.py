"""The pure presentation helpers: status looks and their contrast, times, milestones, timeline."""

from __future__ import annotations

import pytest

from parceltrace.protocol.status import MainStatus, OrderBy, SubStatus
from parceltrace.protocol.structs import (
    Address,
    DescriptionTranslation,
    EstimatedDeliveryDate,
    Event,
    Milestone,
    ProviderInfo,
    ProviderTrack,
    TimeMetrics,
    TimeRaw,
)
from parceltrace.tracking.track_info import empty_track_info
from parceltrace.web import views
from parceltrace.web.render import status_css


def test_every_main_status_has_a_distinct_look() -> None:
    assert set(views.STATUS_LOOK) == set(MainStatus)
    assert len({look.background for look in views.STATUS_LOOK.values()}) == len(MainStatus)
    assert len({look.icon for look in views.STATUS_LOOK.values()}) == len(MainStatus)


@pytest.mark.parametrize("status", list(MainStatus))
def test_status_badges_meet_wcag_aa_contrast(status: MainStatus) -> None:
    look = views.STATUS_LOOK[status]
    assert views.contrast_ratio(look.foreground, look.background) >= 4.5


@pytest.mark.parametrize(
    ("a", "b", "ratio"),
    [("#000000", "#ffffff", 21.0), ("#ffffff", "#ffffff", 1.0), ("#777777", "#ffffff", 4.48)],
)
def test_contrast_ratio_matches_the_wcag_formula(a: str, b: str, ratio: float) -> None:
    assert views.contrast_ratio(a, b) == pytest.approx(ratio, abs=0.01)


def test_the_stylesheet_is_generated_from_the_tested_palette() -> None:
    css = status_css()
    for status, look in views.STATUS_LOOK.items():
        assert f".status-{status.value} {{ color: {look.foreground}; background: {look.background}; }}" in css


def test_an_unknown_status_looks_like_not_found() -> None:
    assert views.look("Teleported") == views.STATUS_LOOK[MainStatus.NOT_FOUND]


@pytest.mark.parametrize(
    ("iso", "local", "utc"),
    [
        ("2026-03-02T14:05:00+08:00", "2026-03-02 14:05 (UTC+08:00)", "2026-03-02 06:05 UTC"),
        ("2026-03-02T06:05:00Z", "2026-03-02 06:05 (UTC+00:00)", "2026-03-02 06:05 UTC"),
        ("2026-03-01T23:30:00-05:30", "2026-03-01 23:30 (UTC-05:30)", "2026-03-02 05:00 UTC"),
        ("2026-03-02T14:05:00", "2026-03-02 14:05 (local)", ""),
        ("not a time", "not a time", ""),
        (None, "", ""),
    ],
)
def test_times_are_shown_where_they_happened_and_in_utc(iso: str | None, local: str, utc: str) -> None:
    assert views.local_time(iso) == local
    assert views.utc_time(iso) == utc


def _event(moment: str, stage: str | None, text: str) -> Event:
    return Event(moment, moment, TimeRaw(), text, "Shenzhen", stage, "InTransit_Other", Address())


def test_milestone_bar_has_the_stages_in_order_with_reached_ones_timed() -> None:
    info = empty_track_info(None, None)
    info.milestone = [
        Milestone("InfoReceived", "2026-03-01T08:00:00+08:00", "2026-03-01T00:00:00Z"),
        Milestone("PickedUp", "2026-03-02T08:00:00+08:00", "2026-03-02T00:00:00Z"),
        Milestone("Delivered"),
    ]
    bar = views.milestone_bar(info)
    assert [s.label for s in bar] == [
        "Info received", "Picked up", "Departed", "Arrived", "Out for delivery", "Delivered",
    ], "no return stages for a parcel that is not returning, no pickup point it did not go to"  # fmt: skip
    assert [s.reached for s in bar][:3] == [True, True, False]
    assert bar[5].reached is False and bar[5].time == ""
    assert bar[1].time == "2026-03-02 08:00 (UTC+08:00)"


def _milestones(*reached: str) -> list[Milestone]:
    return [Milestone(stage, "2026-03-02T08:00:00+08:00", "2026-03-02T00:00:00Z") for stage in reached]


def test_stages_a_journey_went_past_are_passed_not_gaps() -> None:
    info = empty_track_info(None, None)
    info.milestone = _milestones("InfoReceived", "Arrival")
    states = [s.state for s in views.milestone_bar(info)]
    assert states == ["reached", "passed", "passed", "reached", "pending", "pending"]
    info.milestone = _milestones("InfoReceived", "AvailableForPickup")
    assert "Ready for pickup" in [s.label for s in views.milestone_bar(info)]


def test_a_returning_parcel_shows_the_return_stages_and_its_exception() -> None:
    info = empty_track_info(None, None)
    info.milestone = _milestones("InfoReceived", "PickedUp", "Returning")
    info.latest_status.status, info.latest_status.sub_status = (
        MainStatus.EXCEPTION,
        SubStatus.EXCEPTION_RETURNING,
    )
    bar = views.milestone_bar(info)
    assert [s.label for s in bar][-3:] == ["Delivered", "Returning", "Returned"]
    problem = [s for s in bar if s.state == "problem"]
    assert [s.label for s in problem] == ["Exception — returning to sender"]
    assert bar.index(problem[0]) == 2, "right after the last stage reached on the way out"


def test_an_exception_before_any_stage_is_still_on_the_bar() -> None:
    info = empty_track_info(None, None)
    info.latest_status.status, info.latest_status.sub_status = MainStatus.EXCEPTION, SubStatus.EXCEPTION_LOST
    bar = views.milestone_bar(info)
    assert bar[0].state == "problem" and bar[0].label == "Exception — lost"


@pytest.mark.parametrize(
    ("sub_status", "label"),
    [
        ("Delivered_Other", "Delivered"),
        ("InTransit_PickedUp", "In transit — picked up"),
        ("InfoReceived", "Info received"),
        ("DeliveryFailure_NoBody", "Delivery failed — nobody there"),
        ("Exception_Returned", "Exception — returned to sender"),
        ("NotFound_InvalidCode", "Not found — invalid number"),
        ("Future_Thing", "Future"),
        (None, ""),
    ],
)
def test_sub_statuses_read_as_words(sub_status: str | None, label: str) -> None:
    assert views.sub_status_label(sub_status) == label


def test_every_sub_status_has_words() -> None:
    for sub in SubStatus:
        label = views.sub_status_label(sub.value)
        assert "_" not in label and label == label.strip()
        detail = sub.value.partition("_")[2]
        assert detail in ("", "Other") or " — " in label, sub


def test_timeline_groups_events_by_provider_in_the_given_order() -> None:
    info = empty_track_info(None, None)
    origin = ProviderInfo(3011, None, None, None, None, "CN")
    destination = ProviderInfo(21051, "USPS", None, None, None, "US")
    info.tracking.providers = [
        ProviderTrack(
            destination, None, "Success", None, 0, [_event("2026-03-05T10:00:00-05:00", None, "Arrived")]
        ),
        ProviderTrack(
            origin, None, "Success", None, 0, [_event("2026-03-02T08:00:00+08:00", "PickedUp", "Posted")]
        ),
    ]
    groups = views.timeline(info)
    assert [g.name for g in groups] == ["USPS", views.carrier_name(3011)]
    assert groups[1].events[0].description == "Posted" and groups[1].events[0].location == "Shenzhen"
    assert groups[1].events[0].status == "In transit"
    assert groups[0].events[0].utc == "2026-03-05 15:00 UTC"
    assert groups[0].events[0].translation == ""


def test_timeline_shows_an_events_translation_in_its_language() -> None:
    info = empty_track_info(None, None)
    event = _event("2026-03-05T10:00:00-05:00", None, "Delivered")
    event.description_translation = DescriptionTranslation("de", "Zugestellt")
    info.tracking.providers = [
        ProviderTrack(ProviderInfo(21051, "USPS", None, None, None, "US"), None, None, None, 0, [event])
    ]
    shown = views.timeline(info)[0].events[0]
    assert (shown.description, shown.translation, shown.translation_lang) == ("Delivered", "Zugestellt", "de")


@pytest.mark.parametrize(
    ("start", "end", "shown"),
    [
        ("2026-03-09T00:00:00Z", "2026-03-11T00:00:00Z", "2026-03-09 – 2026-03-11"),
        ("2026-03-09T00:00:00Z", "2026-03-09T18:00:00Z", "2026-03-09"),
        (None, "2026-03-11T00:00:00Z", "2026-03-11"),
        (None, None, ""),
    ],
)
def test_delivery_window(start: str | None, end: str | None, shown: str) -> None:
    info = empty_track_info(None, None)
    info.time_metrics = TimeMetrics(estimated_delivery_date=EstimatedDeliveryDate("x", start, end))
    assert views.delivery_window(info) == shown


@pytest.mark.parametrize(
    ("status", "sub_status", "shown"),
    [
        (MainStatus.IN_TRANSIT, SubStatus.IN_TRANSIT_OTHER, True),
        (MainStatus.EXCEPTION, SubStatus.EXCEPTION_DELAYED, True),
        (MainStatus.DELIVERED, SubStatus.DELIVERED_OTHER, False),
        (MainStatus.EXCEPTION, SubStatus.EXCEPTION_LOST, False),
        (MainStatus.EXCEPTION, SubStatus.EXCEPTION_RETURNED, False),
    ],
)
def test_no_estimated_delivery_once_none_is_coming(
    status: MainStatus, sub_status: SubStatus, shown: bool
) -> None:
    info = empty_track_info(None, None)
    info.time_metrics = TimeMetrics(
        estimated_delivery_date=EstimatedDeliveryDate("x", "2026-03-09T00:00:00Z", "2026-03-11T00:00:00Z")
    )
    info.latest_status.status, info.latest_status.sub_status = status, sub_status
    assert bool(views.delivery_window(info)) is shown


def test_each_place_once_and_utc_only_where_it_differs() -> None:
    event = Event(
        "2026-03-02T06:05:00Z", "2026-03-02T06:05:00Z", TimeRaw(), "Arrived [SAO PAULO]", "Sao Paulo, SP, BR",
        None, "InTransit_Arrival", Address(),
    )  # fmt: skip
    info = empty_track_info(None, None)
    info.tracking.providers = [
        ProviderTrack(ProviderInfo(1, "X", None, None, None, None), None, None, None, 0, [event])
    ]
    shown = views.timeline(info)[0].events[0]
    assert (shown.location, shown.utc, shown.status) == ("", "", "In transit — arrived")


def test_carrier_homepages_are_web_addresses_or_nothing() -> None:
    assert views.carrier_homepage(100002).startswith("https://")
    assert views.carrier_homepage(1) == ""
    assert views.carrier_homepage(999001) == "", "the sandbox carrier has no real homepage"


def test_carrier_names_come_from_the_registry_and_unknown_codes_still_show() -> None:
    assert "UPS" in views.carrier_name(100002)
    assert views.carrier_name(1) == "carrier 1"
    assert views.carrier_name(999001) == "parceltrace Sandbox"


def test_every_sort_order_has_a_label() -> None:
    assert set(views.ORDER_LABEL) == set(OrderBy)
