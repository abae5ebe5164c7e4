from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from parceltrace.clock import FixedClock
from parceltrace.protocol.errors import ErrorCode
from parceltrace.service.accounts import AccountSettings, update_account
from parceltrace.service.context import Services
from tests.conftest import Api, NewKey, Poll, only_error, rejected_codes


async def used(api: Api) -> int:
    return int((await api.call("getquota", []))["data"]["quota_used"])


@pytest.mark.parametrize(
    ("cache_level", "cost"),
    [
        (None, 1),
        (0, 1),
        (1, 10),
        ("Standard", 1),
        ("Instant", 10),
        ("instant", 10),
        ("STANDARD", 1),
        ("1", 10),
    ],
)
async def test_costs(api: Api, cache_level: int | str | None, cost: int) -> None:
    """cacheLevel by number, or by name as v2.4 clients send it (any case)."""
    item: dict[str, Any] = {"number": "RR123456789CN", "carrier": 3011}
    if cache_level is not None:
        item["cacheLevel"] = cache_level
    payload = await api.call("getRealTimeTrackInfo", [item])
    assert payload["data"]["accepted"][0]["number"] == "RR123456789CN"
    assert payload["data"]["accepted"][0]["track_info"]["latest_status"]["status"] == "InfoReceived"
    assert await used(api) == cost


async def test_unregistered_result_is_not_saved(api: Api) -> None:
    await api.call("getRealTimeTrackInfo", [{"number": "RR123456789CN"}])
    assert (await api.call("gettracklist", {}))["page"]["data_total"] == 0


@pytest.mark.parametrize("carrier", [21051, 11031, 1151, 101066, 7047, 100766])
async def test_unsupported_carriers(api: Api, carrier: int) -> None:
    payload = await api.call("getRealTimeTrackInfo", [{"number": "21213123123230", "carrier": carrier}])
    assert rejected_codes(payload) == [ErrorCode.REALTIME_CARRIER_UNSUPPORTED]
    assert await used(api) == 0


async def test_account_without_realtime_permission(client: Any, services: Services, new_key: NewKey) -> None:
    api = Api(client, await new_key("shop"))
    await update_account(services, "shop", AccountSettings(realtime_enabled=False))
    assert (
        only_error(await api.call("getRealTimeTrackInfo", [{"number": "RR123456789CN"}]))
        == ErrorCode.REALTIME_NOT_ALLOWED
    )


async def test_quota_applies(client: Any, new_key: NewKey) -> None:
    api = Api(client, await new_key(quota_total=5))
    payload = await api.call("getRealTimeTrackInfo", [{"number": "RR123456789CN", "cacheLevel": 1}])
    assert rejected_codes(payload) == [ErrorCode.QUOTA_EXHAUSTED]
    assert await used(api) == 0


@pytest.mark.parametrize("level", [7, -1, "fast", "", True, None, [1]])
async def test_bad_cache_level(api: Api, level: object) -> None:
    payload = await api.call("getRealTimeTrackInfo", [{"number": "RR123456789CN", "cacheLevel": level}])
    assert rejected_codes(payload) == [ErrorCode.DATA_VALUE_INVALID]
    assert await used(api) == 0


async def test_registered_result_is_saved_like_a_poll(api: Api, clock: FixedClock) -> None:
    await api.call("register", [{"number": "SANDBOX-Delivered-Other-1"}])
    clock.advance_to(clock.now() + timedelta(days=8))
    fetched = await api.call(
        "getRealTimeTrackInfo", [{"number": "SANDBOX-Delivered-Other-1", "cacheLevel": 1}]
    )
    assert fetched["data"]["accepted"][0]["track_info"]["latest_status"]["status"] == "Delivered"
    listing = await api.call("gettracklist", {})
    item = listing["data"]["accepted"][0]
    assert (item["package_status"], item["track_time"]) == (
        "Delivered",
        clock.now().strftime("%Y-%m-%dT%H:%M:%SZ"),
    )


async def test_cache_level_zero_serves_a_recent_result(api: Api, poll: Poll, clock: FixedClock) -> None:
    await api.call("register", [{"number": "SANDBOX-Delivered-Other-1"}])
    await poll()
    polled_at = clock.now()
    clock.advance_to(polled_at + timedelta(hours=2, minutes=59))
    cached = await api.call("getRealTimeTrackInfo", [{"number": "SANDBOX-Delivered-Other-1"}])
    provider = cached["data"]["accepted"][0]["track_info"]["tracking"]["providers"][0]
    assert provider["latest_sync_time"] == polled_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    clock.advance_to(polled_at + timedelta(hours=3, minutes=1))
    fresh = await api.call("getRealTimeTrackInfo", [{"number": "SANDBOX-Delivered-Other-1"}])
    provider = fresh["data"]["accepted"][0]["track_info"]["tracking"]["providers"][0]
    assert provider["latest_sync_time"] == clock.now().strftime("%Y-%m-%dT%H:%M:%SZ")
    assert await used(api) == 3  # the registration and two look-ups


async def test_a_failing_source_costs_nothing(api: Api, services: Services) -> None:
    from tests.worker.test_poller import FailingSource

    services.sources.default = FailingSource()
    payload = await api.call("getRealTimeTrackInfo", [{"number": "RR123456789CN"}])
    assert rejected_codes(payload) == [ErrorCode.REALTIME_CARRIER_ERROR]
    assert await used(api) == 0


async def test_a_timed_out_source_costs_nothing(api: Api, services: Services, monkeypatch: Any) -> None:
    from parceltrace.service import realtime
    from tests.worker.test_poller import SlowSource

    monkeypatch.setattr(realtime, "FETCH_TIMEOUT", 0.05)
    services.sources.default = SlowSource()
    payload = await api.call("getRealTimeTrackInfo", [{"number": "RR123456789CN"}])
    assert rejected_codes(payload) == [ErrorCode.REALTIME_CARRIER_TIMEOUT]
    assert await used(api) == 0


@pytest.mark.parametrize(
    ("item", "code"),
    [
        ({"number": "rr123456785gb", "carrier": 11031}, ErrorCode.REALTIME_CARRIER_UNSUPPORTED),
        ({"number": "rr123456789cn", "cacheLevel": 9}, ErrorCode.DATA_VALUE_INVALID),
    ],
)
async def test_rejections_echo_the_number_in_upper_case(api: Api, item: dict[str, Any], code: int) -> None:
    """As every other operation's rejections do; a malformed number is echoed as sent."""
    payload = await api.call("getRealTimeTrackInfo", [item, {"number": "ab c"}])
    assert [r["number"] for r in payload["data"]["rejected"]] == [item["number"].upper(), "ab c"]
    assert rejected_codes(payload)[0] == code
