from __future__ import annotations

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from parceltrace.protocol.status import KeyStage, SubStatus
from parceltrace.protocol.structs import TimeMetrics
from parceltrace.tracking.derive import derive_track_info, list_facts, providers_hash
from parceltrace.tracking.model import SourceResult
from tests.tracking.events import day, event, result

D = "Delivered_Other"
P = "InTransit_PickedUp"
I = "InfoReceived"  # noqa: E741
O = "InTransit_Other"  # noqa: E741


def metrics(res: SourceResult | None, now_day: float) -> TimeMetrics:
    return derive_track_info(res, day(now_day), None, None).time_metrics


# (case of 003, events as (day, sub-status), now (day), expected
#  (days_after_order, days_of_transit, days_of_transit_done, days_after_last_update))
CASES = [
    ("delivered, with PickedUp", [(0, I), (1, P), (2, O), (5, D)], 9, (5, 4, 4, 0)),
    ("delivered, no PickedUp, with InfoReceived", [(0, I), (2, O), (6, D)], 9, (6, 4, 4, 0)),
    ("delivered, neither", [(1, O), (3, O), (4, D)], 9, (3, 3, 3, 0)),
    ("in transit, with PickedUp", [(0, I), (1, P), (2, O)], 7, (7, 6, 0, 5)),
    ("in transit, no PickedUp, with InfoReceived", [(0, I), (3, O)], 7, (7, 4, 0, 4)),
    ("in transit, InfoReceived only, one event", [(0, I)], 7, (7, 0, 0, 7)),
    ("in transit, neither", [(2, O), (3, O)], 7, (5, 5, 0, 4)),
    ("returned to sender rests", [(0, I), (1, P), (4, "Exception_Returned")], 9, (9, 8, 0, 0)),
    (
        "exception still counts days since the last update",
        [(0, I), (1, P), (4, "Exception_Lost")],
        9,
        (9, 8, 0, 5),
    ),
]


@pytest.mark.parametrize(("case", "events", "now", "expected"), CASES, ids=[c[0] for c in CASES])
def test_time_metrics_case_rules(
    case: str, events: list[tuple[float, str]], now: float, expected: tuple[int, int, int, int]
) -> None:
    got = metrics(result(*(event(d, s) for d, s in events)), now)
    assert (
        got.days_after_order,
        got.days_of_transit,
        got.days_of_transit_done,
        got.days_after_last_update,
    ) == expected


def test_no_result_is_all_zero_and_nothing_yet() -> None:
    info = derive_track_info(None, day(3), "CN", None)
    assert info.latest_status.status == "NotFound" and info.milestone == [] and info.latest_event is None
    assert metrics(None, 3) == TimeMetrics()


def test_empty_result_with_invalid_number() -> None:
    info = derive_track_info(SourceResult(invalid_number=True), day(1), None, None)
    assert (info.latest_status.status, info.latest_status.sub_status) == ("NotFound", "NotFound_InvalidCode")


def test_latest_status_and_event_are_the_newest_across_providers() -> None:
    origin = result(event(0, I), event(1, P), key=3011)
    destination = result(event(4, "InTransit_Arrival"), event(5, "OutForDelivery_Other"), key=11031)
    both = SourceResult(providers=[destination.providers[0], origin.providers[0]])
    info = derive_track_info(both, day(6), None, None)
    assert (info.latest_status.status, info.latest_status.sub_status) == (
        "OutForDelivery",
        "OutForDelivery_Other",
    )
    assert info.latest_event is not None and info.latest_event.sub_status == "OutForDelivery_Other"


def test_milestones_are_the_nine_stages_in_documented_order() -> None:
    res = result(
        event(0, I), event(1, P), event(2, "InTransit_Departure"), event(4, "InTransit_Arrival"), event(6, D)
    )
    stones = derive_track_info(res, day(9), None, None).milestone
    assert [m.key_stage for m in stones] == [k.value for k in KeyStage]
    reached = {m.key_stage: m.time_utc for m in stones if m.time_utc}
    assert reached == {
        "InfoReceived": "2026-03-01T12:00:00Z",
        "PickedUp": "2026-03-02T12:00:00Z",
        "Departure": "2026-03-03T12:00:00Z",
        "Arrival": "2026-03-05T12:00:00Z",
        "Delivered": "2026-03-07T12:00:00Z",
    }


def test_milestone_takes_the_first_event_of_a_stage() -> None:
    res = result(event(0, I), event(1, I))
    assert derive_track_info(res, day(2), None, None).milestone[0].time_utc == "2026-03-01T12:00:00Z"


def test_pickup_and_delivery_time() -> None:
    facts = list_facts(result(event(0, I), event(1, O), event(2, P), event(5, D)), day(6))
    assert facts.pickup_time == "2026-03-03T12:00:00Z"  # PickedUp has priority
    assert facts.delivery_time == "2026-03-06T12:00:00Z"
    fallback = list_facts(result(event(0, I), event(1, O), event(3, "InTransit_Arrival")), day(6))
    assert fallback.pickup_time == "2026-03-02T12:00:00Z"  # the first InTransit_* event
    assert fallback.delivery_time is None
    assert list_facts(result(event(0, I)), day(1)).pickup_time is None


def test_hashes_are_stable_and_follow_content() -> None:
    first = derive_track_info(result(event(0, I), event(1, P)), day(2), None, None).tracking
    again = derive_track_info(result(event(0, I), event(1, P)), day(9), None, None).tracking
    more = derive_track_info(result(event(0, I), event(1, P), event(2, O)), day(3), None, None).tracking
    assert first.providers_hash == again.providers_hash != 0
    assert first.providers[0].events_hash == again.providers[0].events_hash
    assert more.providers_hash != first.providers_hash
    assert -(2**31) <= first.providers_hash < 2**31


def test_sync_time_does_not_change_the_hash() -> None:
    res = result(event(0, I))
    other = msgspec.structs.replace(
        res, providers=[msgspec.structs.replace(res.providers[0], latest_sync_time="2030-01-01T00:00:00Z")]
    )
    assert providers_hash(res.providers) == providers_hash(other.providers)


def test_failed_sync_marks_providers() -> None:
    info = derive_track_info(result(event(0, I)), day(1), None, None, sync_failed=True)
    assert info.tracking.providers[0].latest_sync_status == "Failure"


statuses = st.sampled_from([s.value for s in SubStatus] + ["Weird_Status", "", "InTransit_Teleport"])
events_strategy = st.lists(
    st.tuples(st.floats(min_value=-400, max_value=400, allow_nan=False), statuses), max_size=25
)


@given(events_strategy, st.floats(min_value=-400, max_value=800, allow_nan=False))
def test_derivation_never_fails(events: list[tuple[float, str]], now: float) -> None:
    res = result(*(event(d, s) for d, s in events))
    info = derive_track_info(res, day(now), None, None)
    facts = list_facts(res, day(now))
    assert len(info.milestone) == (9 if events else 0)
    for value in msgspec.structs.asdict(info.time_metrics).values():
        assert not isinstance(value, int) or value >= 0
    assert facts.package_status == info.latest_status.status
