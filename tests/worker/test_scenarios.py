"""Full shipment lives, driven through the virtual clock."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from parceltrace.clock import FixedClock
from parceltrace.protocol.status import SubStatus
from parceltrace.worker.runner import Worker
from tests.conftest import Api, Poll

DAY = timedelta(days=1)


def sandbox_number(status: SubStatus, seed: int = 1) -> str:
    return f"SANDBOX-{status.value.replace('_', '-')}-{seed}"


async def items(api: Api) -> dict[str, dict[str, Any]]:
    listing = await api.call("gettracklist", {})
    return {i["number"]: i for i in listing["data"]["accepted"]}


async def test_every_final_status_through_the_api(api: Api, worker: Worker, clock: FixedClock) -> None:
    numbers = [sandbox_number(s) for s in SubStatus]
    for start in range(0, len(numbers), 40):
        await api.call("register", [{"number": n} for n in numbers[start : start + 40]])
    report = await worker.advance(clock, clock.now() + 10 * DAY)
    assert report.polls > len(numbers)
    found: dict[str, str] = {}
    for start in range(0, len(numbers), 40):
        batch = [{"number": n} for n in numbers[start : start + 40]]
        for item in (await api.call("gettrackinfo", batch))["data"]["accepted"]:
            found[item["number"]] = item["track_info"]["latest_status"]["sub_status"]
    assert found == {n.upper(): s.value for n, s in zip(numbers, SubStatus, strict=True)}


async def test_first_poll_right_after_registration(api: Api, poll: Poll) -> None:
    await api.call("register", [{"number": "SANDBOX-Delivered-Other-1"}])
    assert await poll() == 1
    [item] = (await items(api)).values()
    assert item["package_status"] == "InfoReceived"
    assert item["track_time"] == item["register_time"]
    assert await poll() == 0


async def test_delivered_stops_fifteen_days_after_delivery(
    api: Api, worker: Worker, clock: FixedClock
) -> None:
    await api.call("register", [{"number": "SANDBOX-Delivered-Other-1"}])
    await worker.advance(clock, clock.now() + 10 * DAY)
    item = (await items(api))["SANDBOX-DELIVERED-OTHER-1"]
    assert (item["package_status"], item["tracking_status"]) == ("Delivered", "Tracking")
    delivered = item["delievery_time"]
    await worker.advance(clock, clock.now() + 30 * DAY)
    item = (await items(api))["SANDBOX-DELIVERED-OTHER-1"]
    assert (item["tracking_status"], item["stop_track_reason"]) == ("Stopped", "Expired")
    from parceltrace.tracking.derive import parse_utc

    stopped_after = parse_utc(item["stop_track_time"]) - parse_utc(delivered)  # type: ignore[operator]
    assert stopped_after == 15 * DAY


async def test_silent_tracking_stops_after_thirty_days(api: Api, worker: Worker, clock: FixedClock) -> None:
    await api.call("register", [{"number": "SANDBOX-InTransit-Other-4"}])
    await worker.advance(clock, clock.now() + 20 * DAY)
    item = (await items(api))["SANDBOX-INTRANSIT-OTHER-4"]
    assert item["tracking_status"] == "Tracking"
    last_event = item["latest_event_time"]
    await worker.advance(clock, clock.now() + 30 * DAY)
    item = (await items(api))["SANDBOX-INTRANSIT-OTHER-4"]
    assert (item["tracking_status"], item["stop_track_reason"]) == ("Stopped", "Expired")
    from datetime import datetime

    from parceltrace.tracking.derive import parse_utc

    stop = parse_utc(item["stop_track_time"])
    assert stop is not None and stop - datetime.fromisoformat(last_event) == 30 * DAY


async def test_not_found_stops_thirty_days_after_registration(
    api: Api, worker: Worker, clock: FixedClock
) -> None:
    registered = clock.now()
    await api.call("register", [{"number": "SANDBOX-NotFound-Other-1"}])
    await worker.advance(clock, registered + 40 * DAY)
    item = (await items(api))["SANDBOX-NOTFOUND-OTHER-1"]
    assert item["tracking_status"] == "Stopped"
    assert item["stop_track_time"] == (registered + 30 * DAY).strftime("%Y-%m-%dT%H:%M:%SZ")


async def test_purged_ninety_days_after_stop(api: Api, worker: Worker, clock: FixedClock) -> None:
    await api.call(
        "register", [{"number": "SANDBOX-Delivered-Other-1"}, {"number": "SANDBOX-InTransit-Other-4"}]
    )
    await api.call("stoptrack", [{"number": "SANDBOX-InTransit-Other-4"}])
    report = await worker.advance(clock, clock.now() + 89 * DAY)
    assert report.purged == 0 and len(await items(api)) == 2
    report = await worker.advance(clock, clock.now() + 2 * DAY)
    assert report.purged == 1
    assert list(await items(api)) == ["SANDBOX-DELIVERED-OTHER-1"]


async def test_retrack_restarts_tracking_once(api: Api, worker: Worker, clock: FixedClock) -> None:
    await api.call("register", [{"number": "SANDBOX-Delivered-Other-1"}])
    await worker.advance(clock, clock.now() + 40 * DAY)
    assert (await items(api))["SANDBOX-DELIVERED-OTHER-1"]["tracking_status"] == "Stopped"
    retracked = await api.call("retrack", [{"number": "SANDBOX-Delivered-Other-1"}])
    assert len(retracked["data"]["accepted"]) == 1
    await worker.advance(clock, clock.now() + DAY)
    item = (await items(api))["SANDBOX-DELIVERED-OTHER-1"]
    assert (item["tracking_status"], item["is_retracked"]) == ("Tracking", True)
    assert (
        item["track_time"] == clock.now().replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
        or item["track_time"]
    )
    await worker.advance(clock, clock.now() + 31 * DAY)
    assert (await items(api))["SANDBOX-DELIVERED-OTHER-1"]["tracking_status"] == "Stopped"
    again = await api.call("retrack", [{"number": "SANDBOX-Delivered-Other-1"}])
    assert again["data"]["rejected"][0]["error"]["code"] == -18019905


async def test_clock_only_moves_forward(worker: Worker, clock: FixedClock) -> None:
    now = clock.now()
    report = await worker.advance(clock, now + DAY)
    assert report.now == now + DAY
    with pytest.raises(ValueError):
        clock.advance_to(now)
