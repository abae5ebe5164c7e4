"""The v1 paths: same stored trackings as v2.2, in the shape v1 clients read (000's numeric
status, 002's sub-status positions)."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from parceltrace.clock import FixedClock
from parceltrace.protocol.errors import ErrorCode
from parceltrace.protocol.status import MainStatus, SubStatus
from parceltrace.protocol.v1 import E_CODE, SUB_ORDER, main_statuses
from tests.conftest import Api, Poll, only_error, rejected_codes

GOLDEN = Path(__file__).parent / "golden"
DELIVERED = "SANDBOX-DELIVERED-OTHER-1"
RETURNED = "SANDBOX-EXCEPTION-RETURNED-7"
SANDBOX_CARRIER = 999001


class V1(Api):
    async def raw(self, operation: str, body: Any = None, *, raw: bytes | None = None) -> Any:
        kwargs: dict[str, Any] = {"headers": {"17token": self.key}}
        if raw is not None:
            kwargs["content"] = raw
        else:
            kwargs["json"] = [] if body is None else body
        return await self.client.post(f"/track/v1/{operation}", **kwargs)


@pytest.fixture
def v1(client: httpx.AsyncClient, key: str) -> V1:
    return V1(client, key)


async def play(clock: FixedClock, poll: Poll, days: int) -> None:
    """Moves the clock `days` ahead in 6-hour steps, polling what falls due."""
    for _ in range(days * 4):
        clock.advance_to(clock.now() + timedelta(hours=6))
        await poll()


def golden(name: str, actual: Any) -> None:
    """Compares with tests/api/golden/<name>.json (PARCELTRACE_UPDATE_GOLDEN=1 rewrites it)."""
    path = GOLDEN / f"{name}.json"
    if os.environ.get("PARCELTRACE_UPDATE_GOLDEN") == "1":
        path.write_text(json.dumps(actual, indent=2, ensure_ascii=False) + "\n")
    assert actual == json.loads(path.read_text())


@pytest.mark.parametrize(
    ("main", "e"),
    [
        (MainStatus.NOT_FOUND, 0),
        (MainStatus.INFO_RECEIVED, 10),
        (MainStatus.IN_TRANSIT, 10),
        (MainStatus.EXPIRED, 20),
        (MainStatus.AVAILABLE_FOR_PICKUP, 30),
        (MainStatus.OUT_FOR_DELIVERY, 30),
        (MainStatus.DELIVERY_FAILURE, 35),
        (MainStatus.DELIVERED, 40),
        (MainStatus.EXCEPTION, 50),
    ],
)
def test_e_codes(main: MainStatus, e: int) -> None:
    assert E_CODE[main] == e
    assert main in main_statuses(e)


def test_status_positions_follow_the_documented_tables() -> None:
    assert SUB_ORDER[SubStatus.NOT_FOUND_OTHER] == 0
    assert SUB_ORDER[SubStatus.DELIVERED_OTHER] == 18
    assert SUB_ORDER[SubStatus.EXCEPTION_CANCEL] == 29
    assert main_statuses(15) == []


async def test_register_and_gettrackinfo_golden(v1: V1, clock: FixedClock, poll: Poll) -> None:
    registered = await v1.call("register", [{"number": DELIVERED}, {"number": "1234"}])
    assert registered["data"]["accepted"] == [{"number": DELIVERED, "carrier": SANDBOX_CARRIER}]
    assert rejected_codes(registered) == [ErrorCode.DATA_FORMAT_INVALID]
    before = await v1.call("gettrackinfo", [{"number": DELIVERED}])
    assert before["data"]["accepted"][0]["track"] == {
        "e": 0,
        "w1": SANDBOX_CARRIER,
        "w2": 0,
        "b": 0,
        "c": 0,
        "ln1": None,
        "ln2": None,
        "z0": {"a": None, "b": None, "c": "", "d": "", "z": None, "s": None},
        "z1": [],
        "z2": [],
    }
    await play(clock, poll, 11)
    payload = await v1.call("gettrackinfo", [{"number": DELIVERED}, {"number": RETURNED}])
    assert payload["data"]["accepted"][0]["track"]["e"] == 40
    assert rejected_codes(payload) == [ErrorCode.NOT_REGISTERED]
    golden("v1_register_gettrackinfo", {"register": registered, "gettrackinfo": payload})


async def test_v1_agrees_with_v22(v1: V1, key: str, clock: FixedClock, poll: Poll) -> None:
    """Every v1 field comes from the same stored tracking as the v2.2 answer."""
    v22 = Api(v1.client, key)
    await v1.call("register", [{"number": RETURNED}])
    await play(clock, poll, 11)
    old = (await v1.call("gettrackinfo", [{"number": RETURNED}]))["data"]["accepted"][0]
    new = (await v22.call("gettrackinfo", [{"number": RETURNED}]))["data"]["accepted"][0]
    info = new["track_info"]
    track = old["track"]
    assert track["e"] == 50
    latest = info["latest_event"]
    assert track["z0"] == {
        "a": latest["time_iso"][:16].replace("T", " "),
        "b": None,
        "c": latest["location"],
        "d": "",
        "z": latest["description"],
        "s": SUB_ORDER[SubStatus(latest["sub_status"])],
    }
    assert track["z0"]["s"] == SUB_ORDER[SubStatus.EXCEPTION_RETURNED]
    countries = {  # from ../shared/data/17track/country.all.json
        **{"FR": 605, "JP": 1002, "GB": 1103, "US": 2105, "DE": 704, "CN": 301, "NL": 1404, "AU": 115},
        **{"IT": 907, "ES": 1918, "CA": 304, "BR": 215, "BE": 206},
    }
    shipping = info["shipping_info"]
    assert track["b"] == countries.get(shipping["shipper_address"]["country"], -1)
    assert track["c"] == countries.get(shipping["recipient_address"]["country"], -1)
    providers = {p["provider"]["key"]: p["events"] for p in info["tracking"]["providers"]}
    assert track["w1"] == new["carrier"] and set(providers) == {track["w1"], track["w2"]} - {0}
    for leg, events in (("z1", providers.get(track["w1"], [])), ("z2", providers.get(track["w2"], []))):
        newest_first = sorted(events, key=lambda e: e["time_utc"], reverse=True)
        assert [e["z"] for e in track[leg]] == [e["description"] for e in newest_first]
        assert [e["a"] for e in track[leg]] == [e["time_iso"][:16].replace("T", " ") for e in newest_first]
    assert track["z0"] in track["z1"] + track["z2"]
    assert len(track["z1"]) + len(track["z2"]) > 3


async def test_two_carriers_split_into_z1_and_z2(v1: V1, clock: FixedClock, poll: Poll) -> None:
    await v1.call("register", [{"number": "RR123456789CN", "carrier": 3011, "final_carrier": 21051}])
    await play(clock, poll, 11)
    track = (await v1.call("gettrackinfo", [{"number": "RR123456789CN"}]))["data"]["accepted"][0]["track"]
    assert (track["w1"], track["w2"], track["b"]) == (3011, 21051, 301)
    assert track["z1"] and track["z2"]
    assert track["z0"] == track["z2"][0]  # the final carrier has the latest event


async def test_gettracklist_filters_by_v1_status(v1: V1, clock: FixedClock, poll: Poll) -> None:
    await v1.call("register", [{"number": DELIVERED}, {"number": RETURNED}, {"number": "RR123456789CN"}])
    await play(clock, poll, 11)
    everything = await v1.call("gettracklist", {})
    assert everything["page"] == {"data_total": 3, "page_total": 1, "page_no": 1, "page_size": 40}
    by_number = {item["number"]: item for item in everything["data"]["accepted"]}
    assert by_number[DELIVERED]["e"] == 40
    assert by_number[RETURNED]["e"] == 50
    alert = await v1.call("gettracklist", {"status": 50})
    assert [i["number"] for i in alert["data"]["accepted"]] == [RETURNED]
    delivered = await v1.call("gettracklist", {"status": 40})
    assert {i["number"] for i in delivered["data"]["accepted"]} == {
        number for number, item in by_number.items() if item["e"] == 40
    }
    assert DELIVERED in {i["number"] for i in delivered["data"]["accepted"]}
    paged = await v1.call("gettracklist", {"page": 2, "page_size": 2})
    assert paged["page"] == {"data_total": 3, "page_total": 2, "page_no": 2, "page_size": 2}
    assert len(paged["data"]["accepted"]) == 1


async def test_gettracklist_filters_v1_clients_send(v1: V1, clock: FixedClock, poll: Poll) -> None:
    """`seventeentrack` sends `package_state` (a v1 `e`, "" for all) and `tracking_state`."""
    await v1.call("register", [{"number": DELIVERED}, {"number": RETURNED}, {"number": "RR123456789CN"}])
    await play(clock, poll, 11)
    await v1.call("stoptrack", [{"number": "RR123456789CN"}])

    async def numbers(body: dict[str, Any]) -> set[str]:
        return {item["number"] for item in (await v1.call("gettracklist", body))["data"]["accepted"]}

    assert await numbers({"package_state": ""}) == {DELIVERED, RETURNED, "RR123456789CN"}
    assert await numbers({"package_state": "", "tracking_state": 1}) == {DELIVERED, RETURNED}
    assert await numbers({"package_state": 40, "tracking_state": 1}) == {DELIVERED}
    assert await numbers({"package_state": 50}) == {RETURNED}
    assert await numbers({"tracking_state": 2}) == {"RR123456789CN"}
    item = (await v1.call("gettracklist", {"package_state": 40}))["data"]["accepted"][0]
    assert (item["w1"], item["w2"], item["e"]) == (SANDBOX_CARRIER, 0, 40)


async def test_changeinfo_single_object(v1: V1) -> None:
    """`{"number", "items": {"tag"}}` as `seventeentrack` sends it, not only the list."""
    await v1.call("register", [{"number": "RR123456789CN"}])
    changed = await v1.call("changeinfo", {"number": "RR123456789CN", "items": {"tag": "gift"}})
    assert changed["data"] == {"accepted": [{"number": "RR123456789CN", "carrier": 3011}], "rejected": []}
    assert (await v1.call("gettracklist", {}))["data"]["accepted"][0]["tag"] == "gift"
    missing = await v1.call("changeinfo", {"number": "RR000000000CN", "items": {"tag": "x"}})
    assert rejected_codes(missing) == [ErrorCode.NOT_REGISTERED]
    malformed = await v1.call("changeinfo", {"number": "RR123456789CN", "items": "x"})
    assert rejected_codes(malformed) == [ErrorCode.DATA_VALUE_INVALID]


@pytest.mark.parametrize(
    "body",
    [
        {"status": 15},
        {"status": "x"},
        {"page_size": 41},
        {"page_size": 0},
        {"page": -1},
        [],
        {"package_state": 15},
        {"package_state": "x"},
        {"tracking_state": 3},
    ],
)
async def test_gettracklist_bad_filters(v1: V1, body: Any) -> None:
    payload = await v1.call("gettracklist", body)
    assert only_error(payload) in (ErrorCode.FIELD_VALUE_INVALID, ErrorCode.SUBMITTED_DATA_INVALID)


async def test_management_operations(v1: V1, clock: FixedClock, poll: Poll) -> None:
    await v1.call("register", [{"number": "RR123456789CN"}])
    changed = await v1.call("changeinfo", [{"number": "RR123456789CN", "tag": "order-7"}])
    assert changed["data"] == {"accepted": [{"number": "RR123456789CN", "carrier": 3011}], "rejected": []}
    listed = await v1.call("gettracklist", {})
    assert listed["data"]["accepted"][0]["tag"] == "order-7"
    await poll()
    carrier = await v1.call("changecarrier", [{"number": "RR123456789CN", "carrier": 21051}])
    assert carrier["data"]["accepted"] == [{"number": "RR123456789CN", "carrier": 21051}]
    same = await v1.call("changecarrier", [{"number": "RR123456789CN", "carrier": 21051}])
    assert rejected_codes(same) == [ErrorCode.CARRIER_SAME_AS_CURRENT]
    missing = await v1.call("changecarrier", [{"number": "RR123456789CN"}])
    assert rejected_codes(missing) == [ErrorCode.CARRIER_NEW_MISSING]
    stopped = await v1.call("stoptrack", [{"number": "RR123456789CN"}])
    assert stopped["data"]["accepted"] == [{"number": "RR123456789CN", "carrier": 21051}]
    again = await v1.call("stoptrack", [{"number": "RR123456789CN"}])
    assert rejected_codes(again) == [ErrorCode.STOP_ONLY_TRACKING]
    retracked = await v1.call("retrack", [{"number": "RR123456789CN"}])
    assert retracked["data"]["accepted"] == [{"number": "RR123456789CN", "carrier": 21051}]
    push = await v1.call("push", [{"number": "RR123456789CN"}])
    assert only_error(push) == ErrorCode.WEBHOOK_NOT_SET
    deleted = await v1.call("deletetrack", [{"number": "RR123456789CN"}])
    assert deleted["data"]["accepted"] == [{"number": "RR123456789CN", "carrier": 21051}]
    gone = await v1.call("gettrackinfo", [{"number": "RR123456789CN"}])
    assert rejected_codes(gone) == [ErrorCode.NOT_REGISTERED]


async def test_v1_quota_and_errors(v1: V1, client: httpx.AsyncClient) -> None:
    await v1.call("register", [{"number": "RR123456789CN"}])
    quota = await v1.call("getquota", [])
    assert quota["data"]["quota_used"] == 1
    unknown = await v1.raw("nosuch", [])
    assert unknown.status_code == 404
    assert unknown.json()["data"]["errors"][0]["code"] == 404
    no_key = await client.post("/track/v1/register", json=[{"number": "RR123456789CN"}])
    assert no_key.status_code == 401
    assert only_error(no_key.json()) == ErrorCode.INVALID_KEY
    too_many = await v1.call("register", [{"number": f"RR{i:09d}CN"} for i in range(41)])
    assert only_error(too_many) == ErrorCode.OVER_40_LIMIT
    broken = await v1.call("gettrackinfo", raw=b'{"number":')
    assert only_error(broken) == ErrorCode.SUBMITTED_DATA_INVALID
