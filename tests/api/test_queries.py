from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from parceltrace.clock import FixedClock
from parceltrace.protocol.errors import ErrorCode
from tests.conftest import Api, NewKey, Poll, only_error, rejected_codes

CN = "RR123456789CN"
NOTHING_YET = {
    "shipping_info": {
        "shipper_address": {
            "country": "CN",
            "state": None,
            "city": None,
            "street": None,
            "postal_code": None,
            "coordinates": {"longitude": None, "latitude": None},
        },
        "recipient_address": {
            "country": None,
            "state": None,
            "city": None,
            "street": None,
            "postal_code": None,
            "coordinates": {"longitude": None, "latitude": None},
        },
    },
    "latest_status": {"status": "NotFound", "sub_status": "NotFound_Other", "sub_status_descr": None},
    "latest_event": None,
    "time_metrics": {
        "days_after_order": 0,
        "days_of_transit": 0,
        "days_of_transit_done": 0,
        "days_after_last_update": 0,
        "estimated_delivery_date": {"source": None, "from": None, "to": None},
    },
    "milestone": [],
    "misc_info": {
        "risk_factor": 0,
        "service_type": None,
        "weight_raw": None,
        "weight_kg": None,
        "pieces": None,
        "dimensions": None,
        "customer_number": None,
        "reference_number": None,
        "local_number": None,
        "local_provider": None,
        "local_key": 0,
    },
    "tracking": {"providers_hash": 0, "providers": []},
}


async def test_never_found_is_003s_not_found_example(api: Api, poll: Poll, clock: FixedClock) -> None:
    """Polled and not found: the carrier's own entry (synced, no events), details null except
    what registration knows."""
    number = "SANDBOX-NOTFOUND-OTHER-5"
    await api.call("register", [{"number": number}])
    await poll()
    [item] = (await api.call("gettrackinfo", [{"number": number}]))["data"]["accepted"]
    info = item["track_info"]
    assert info["latest_status"] == {
        "status": "NotFound",
        "sub_status": "NotFound_Other",
        "sub_status_descr": None,
    }
    assert info["latest_event"] is None and info["milestone"] == []
    assert info["misc_info"] == NOTHING_YET["misc_info"]
    assert info["shipping_info"] == NOTHING_YET["shipping_info"] | {
        "shipper_address": NOTHING_YET["shipping_info"]["shipper_address"] | {"country": None}
    }
    [provider] = info["tracking"]["providers"]
    assert provider["provider"]["key"] == item["carrier"] == 999001
    assert (provider["latest_sync_status"], provider["events"]) == ("Success", [])
    assert provider["latest_sync_time"] == clock.now().strftime("%Y-%m-%dT%H:%M:%SZ")


async def test_gettrackinfo_before_any_result(api: Api) -> None:
    await api.call("register", [{"number": CN, "tag": "myID", "param": "518000"}])
    payload = await api.call(
        "gettrackinfo", [{"number": CN, "carrier": 3011}, {"number": "21213123123230", "carrier": 21051}]
    )
    assert payload["data"]["accepted"] == [
        {"number": CN, "carrier": 3011, "param": "518000", "tag": "myID", "track_info": NOTHING_YET}
    ]
    assert rejected_codes(payload) == [ErrorCode.NOT_REGISTERED]


async def test_gettracklist_item_fields(api: Api) -> None:
    await api.call(
        "register",
        [{"number": CN, "tag": "t1", "order_no": "86574382938", "order_time": "2022-04-25T22:22:47+05:00",
          "remark": "test", "email": "a@b.co", "lang": "en"}],
    )  # fmt: skip
    payload = await api.call("gettracklist", {})
    assert payload["page"] == {"data_total": 1, "page_total": 1, "page_no": 1, "page_size": 40}
    assert payload["code"] == 0
    assert payload["data"]["accepted"] == [
        {
            "number": CN,
            "param": None,
            "param_type": "None",
            "data_origin": "Api",
            "carrier": 3011,
            "shipping_country": "CN",
            "final_carrier": 0,
            "recipient_country": None,
            "register_time": "2026-03-02T10:00:00Z",
            "tracking_status": "Tracking",
            "package_status": "NotFound",
            "track_time": None,
            "push_time": None,
            "push_status": "NotPushed",
            "push_status_code": None,
            "stop_track_time": None,
            "stop_track_reason": None,
            "is_retracked": False,
            "carrier_change_count": 0,
            "tag": "t1",
            "email": "a@b.co",
            "order_no": "86574382938",
            "order_time": "2022-04-25T22:22:47+05:00",
            "lang": "en",
            "remark": "test",
            "latest_event_time": None,
            "latest_event_info": None,
            "days_after_order": 0,
            "days_after_last_update": 0,
            "days_of_transit": 0,
            "days_of_transit_done": 0,
            "delievery_time": None,
            "pickup_time": "",
        }
    ]


async def test_gettracklist_unset_values_follow_003s_example(api: Api) -> None:
    """003's example answers an unset email, lang and pickup time with "" (not null)."""
    await api.call("register", [{"number": CN}])
    [item] = (await api.call("gettracklist", {}))["data"]["accepted"]
    assert (item["email"], item["lang"], item["pickup_time"]) == ("", "", "")
    assert (item["tag"], item["delievery_time"], item["remark"]) == (None, None, None)


async def register_many(api: Api, clock: FixedClock, count: int) -> list[str]:
    numbers = [f"PT{i:010d}" for i in range(count)]
    for start in range(0, count, 40):
        batch = [{"number": n, "carrier": 3011} for n in numbers[start : start + 40]]
        await api.call("register", batch)
        clock.advance_to(clock.now() + timedelta(hours=1))
    return numbers


async def test_pages_of_forty(client: Any, new_key: NewKey, clock: FixedClock) -> None:
    api = Api(client, await new_key(quota_total=1000))
    numbers = await register_many(api, clock, 83)
    first = await api.call("gettracklist", {"page_no": 1})
    third = await api.call("gettracklist", {"page_no": 3})
    assert first["page"] == {"data_total": 83, "page_total": 3, "page_no": 1, "page_size": 40}
    assert [i["number"] for i in first["data"]["accepted"]] == numbers[:40]
    assert [i["number"] for i in third["data"]["accepted"]] == numbers[80:]
    beyond = await api.call("gettracklist", {"page_no": 9})
    assert beyond["data"]["accepted"] == []


async def test_order_by_register_time_desc(client: Any, new_key: NewKey, clock: FixedClock) -> None:
    api = Api(client, await new_key(quota_total=1000))
    numbers = await register_many(api, clock, 50)
    payload = await api.call("gettracklist", {"order_by": "RegisterTimeDesc"})
    assert [i["number"] for i in payload["data"]["accepted"]][:10] == numbers[40:][::-1]


async def test_filters(client: Any, new_key: NewKey, clock: FixedClock) -> None:
    api = Api(client, await new_key(quota_total=1000))
    numbers = await register_many(api, clock, 80)  # 40 at 10:00, 40 at 11:00
    await api.call("stoptrack", [{"number": n} for n in numbers[:5]])

    async def count(**filters: Any) -> int:
        return int((await api.call("gettracklist", filters))["page"]["data_total"])

    assert await count(tracking_status="Stopped") == 5
    assert await count(tracking_status="Tracking") == 75
    assert await count(number=",".join(numbers[:3])) == 3
    assert await count(number=numbers[0], carrier=3011) == 1
    assert await count(number=numbers[0], carrier=21051) == 0
    assert await count(register_time_from="2026-03-02 10:30:00") == 40
    assert await count(register_time_to="2026-03-02T10:00:00Z") == 40
    assert await count(register_time_from="2026-03-02", register_time_to="2026-03-02") == 80
    assert await count(stop_track_time_from="2026-03-02") == 5
    assert await count(package_status="NotFound") == 80
    assert await count(package_status="Delivered") == 0
    assert await count(data_origin="Api") == 80
    assert await count(push_status="NotPushed") == 80
    assert await count(push_time_from="2020-01-01") == 0


@pytest.mark.parametrize(
    ("filters", "code"),
    [
        ({"number": ",".join(f"N{i:07d}" for i in range(201))}, ErrorCode.FIELD_VALUE_INVALID),
        ({"number": "1234"}, ErrorCode.DATA_FORMAT_INVALID),
        ({"carrier": 42}, ErrorCode.CARRIER_CODE_INCORRECT),
        ({"data_origin": "Fax"}, ErrorCode.FIELD_VALUE_INVALID),
        ({"package_status": "Lost"}, ErrorCode.FIELD_VALUE_INVALID),
        ({"tracking_status": "Sleeping"}, ErrorCode.FIELD_VALUE_INVALID),
        ({"push_status": "Maybe"}, ErrorCode.FIELD_VALUE_INVALID),
        ({"order_by": "Random"}, ErrorCode.FIELD_VALUE_INVALID),
        ({"register_time_from": "last week"}, ErrorCode.FIELD_VALUE_INVALID),
        ({"page_no": "two"}, ErrorCode.FIELD_VALUE_INVALID),
        ({"page_no": -1}, ErrorCode.FIELD_VALUE_INVALID),
    ],
)
async def test_invalid_filters(api: Api, filters: dict[str, Any], code: ErrorCode) -> None:
    assert only_error(await api.call("gettracklist", filters)) == code


async def test_two_hundred_numbers_filter_is_allowed(api: Api) -> None:
    numbers = ",".join(f"N{i:07d}" for i in range(200))
    assert (await api.call("gettracklist", {"number": numbers}))["page"]["data_total"] == 0


async def test_the_documented_example_filter_is_accepted(api: Api) -> None:
    await api.call("register", [{"number": CN}])
    payload = await api.call(
        "gettracklist",
        {
            "number": "RR123456789CN,RR111111111CN",
            "carrier": 3011,
            "data_origin": "Api",
            "register_time_from": "2019-01-01",
            "register_time_to": "2019-02-01",
            "track_time_from": "2019-01-01",
            "track_time_to": "2019-12-01",
            "push_time_from": "2019-01-01",
            "push_time_to": "2019-12-01",
            "push_status": "Success",
            "stop_track_time_from": "2019-01-01",
            "stop_track_time_to": "2019-12-01",
            "package_status": "NotFound",
            "tracking_status": "Tracking",
            "page_no": 1,
            "order_by": "PushTimeAsc",
        },
    )
    assert payload["page"]["data_total"] == 0
