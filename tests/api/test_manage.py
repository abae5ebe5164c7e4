from __future__ import annotations

from typing import Any

import pytest

from parceltrace.protocol.errors import ErrorCode
from tests.conftest import Api, NewKey, Poll, only_error, rejected_codes

CN = "RR123456789CN"
UNDETECTABLE = "21213123123230"


async def register(api: Api, *items: dict[str, Any]) -> None:
    payload = await api.call("register", list(items))
    assert payload["data"]["rejected"] == [], payload


async def status_of(api: Api, number: str) -> list[dict[str, Any]]:
    payload = await api.call("gettracklist", {"number": number})
    return payload["data"]["accepted"]


async def test_stoptrack_example(api: Api) -> None:
    await register(api, {"number": CN})
    payload = await api.call(
        "stoptrack", [{"number": CN, "carrier": 3011}, {"number": UNDETECTABLE, "carrier": 21051}]
    )
    assert payload["data"]["accepted"] == [{"number": CN, "carrier": 3011}]
    assert payload["data"]["rejected"] == [
        {
            "number": UNDETECTABLE,
            "error": {
                "code": -18019902,
                "message": f"Tracking number '{UNDETECTABLE}' is not registered yet. Please register first.",
            },
        }
    ]
    [row] = await status_of(api, CN)
    assert (row["tracking_status"], row["stop_track_reason"]) == ("Stopped", "ByRequest")
    assert row["stop_track_time"] == "2026-03-02T10:00:00Z"
    again = await api.call("stoptrack", [{"number": CN}])
    assert rejected_codes(again) == [ErrorCode.STOP_ONLY_TRACKING]


async def test_retrack_once(api: Api) -> None:
    await register(api, {"number": CN})
    assert rejected_codes(await api.call("retrack", [{"number": CN}])) == [ErrorCode.RETRACK_ONLY_STOPPED]
    await api.call("stoptrack", [{"number": CN}])
    assert (await api.call("retrack", [{"number": CN}]))["data"]["accepted"] == [
        {"number": CN, "carrier": 3011}
    ]
    [row] = await status_of(api, CN)
    assert (row["tracking_status"], row["is_retracked"], row["stop_track_reason"]) == ("Tracking", True, None)
    await api.call("stoptrack", [{"number": CN}])
    assert rejected_codes(await api.call("retrack", [{"number": CN}])) == [ErrorCode.RETRACK_ONCE]


async def test_number_without_carrier_acts_on_every_carrier(api: Api) -> None:
    await register(api, {"number": UNDETECTABLE, "carrier": 3011}, {"number": UNDETECTABLE, "carrier": 21051})
    payload = await api.call("stoptrack", [{"number": UNDETECTABLE}])
    assert payload["data"]["accepted"] == [
        {"number": UNDETECTABLE, "carrier": 3011},
        {"number": UNDETECTABLE, "carrier": 21051},
    ]
    deleted = await api.call("deletetrack", [{"number": UNDETECTABLE, "carrier": 21051}])
    assert deleted["data"]["accepted"] == [{"number": UNDETECTABLE, "carrier": 21051}]
    assert [r["carrier"] for r in await status_of(api, UNDETECTABLE)] == [3011]


async def test_delete_is_final(api: Api) -> None:
    await register(api, {"number": CN})
    assert len((await api.call("deletetrack", [{"number": CN}]))["data"]["accepted"]) == 1
    assert rejected_codes(await api.call("deletetrack", [{"number": CN}])) == [ErrorCode.NOT_REGISTERED]
    assert rejected_codes(await api.call("gettrackinfo", [{"number": CN}])) == [ErrorCode.NOT_REGISTERED]


async def test_accounts_do_not_see_each_other(client: Any, new_key: NewKey) -> None:
    alice, bob = Api(client, await new_key()), Api(client, await new_key())
    await register(alice, {"number": CN})
    assert rejected_codes(await bob.call("stoptrack", [{"number": CN}])) == [ErrorCode.NOT_REGISTERED]
    assert (await bob.call("register", [{"number": CN}]))["data"]["accepted"][0]["carrier"] == 3011


async def test_change_carrier(api: Api, poll: Poll) -> None:
    await register(api, {"number": UNDETECTABLE, "carrier": 3011})
    await poll()
    payload = await api.call(
        "changecarrier", [{"number": UNDETECTABLE, "carrier_old": 3011, "carrier_new": 21051}]
    )
    assert payload["data"]["accepted"] == [{"number": UNDETECTABLE, "carrier": 21051}]
    [row] = await status_of(api, UNDETECTABLE)
    assert (row["carrier"], row["carrier_change_count"]) == (21051, 1)


@pytest.mark.parametrize(
    ("item", "code"),
    [
        ({"number": UNDETECTABLE}, ErrorCode.CARRIER_NEW_MISSING),
        ({"number": UNDETECTABLE, "carrier_new": 21051}, ErrorCode.MULTIPLE_CARRIERS),
        (
            {"number": UNDETECTABLE, "carrier_old": 3013, "carrier_new": 21051},
            ErrorCode.CARRIER_OLD_NOT_REGISTERED,
        ),
        ({"number": UNDETECTABLE, "carrier_old": 3011, "carrier_new": 42}, ErrorCode.CARRIER_NEW_INCORRECT),
        (
            {"number": UNDETECTABLE, "carrier_old": 3011, "carrier_new": 3011},
            ErrorCode.CARRIER_SAME_AS_CURRENT,
        ),
        (
            {"number": UNDETECTABLE, "carrier_old": 3011, "carrier_new": 11031},
            ErrorCode.CARRIER_CHANGE_DUPLICATE,
        ),
        (
            {"number": UNDETECTABLE, "carrier_old": 3011, "carrier_new": 100005},
            ErrorCode.PARAM_POSTAL_REQUIRED,
        ),
        ({"number": "RB123456785GB", "carrier_new": 21051}, ErrorCode.NOT_REGISTERED),
        ({"number": "12", "carrier_new": 21051}, ErrorCode.DATA_FORMAT_INVALID),
    ],
)
async def test_change_carrier_errors(api: Api, poll: Poll, item: dict[str, Any], code: ErrorCode) -> None:
    await register(api, {"number": UNDETECTABLE, "carrier": 3011}, {"number": UNDETECTABLE, "carrier": 11031})
    await poll()
    assert rejected_codes(await api.call("changecarrier", [item])) == [code]


async def test_change_carrier_message_names_number_and_carrier(api: Api, poll: Poll) -> None:
    await register(api, {"number": UNDETECTABLE, "carrier": 3011})
    payload = await api.call(
        "changecarrier", [{"number": UNDETECTABLE, "carrier_old": 3013, "carrier_new": 21051}]
    )
    assert payload["data"]["rejected"][0]["error"]["message"] == (
        f"The tracking number '{UNDETECTABLE}' for the specified carrier '3013' is not registered, "
        "or the existing carrier parameter carrier_old is incorrect."
    )


async def test_change_carrier_at_most_five_times(api: Api, poll: Poll) -> None:
    await register(api, {"number": UNDETECTABLE, "carrier": 3011})
    carriers = [21051, 11031, 7041, 10021, 6051, 3041]
    for new in carriers[:5]:
        await poll()
        payload = await api.call("changecarrier", [{"number": UNDETECTABLE, "carrier_new": new}])
        assert payload["data"]["accepted"] == [{"number": UNDETECTABLE, "carrier": new}]
    await poll()
    payload = await api.call("changecarrier", [{"number": UNDETECTABLE, "carrier_new": carriers[5]}])
    assert rejected_codes(payload) == [ErrorCode.CARRIER_CHANGE_LIMIT]


async def test_change_carrier_refused_when_stopped(api: Api, poll: Poll) -> None:
    await register(api, {"number": UNDETECTABLE, "carrier": 3011})
    await poll()
    await api.call("stoptrack", [{"number": UNDETECTABLE}])
    payload = await api.call("changecarrier", [{"number": UNDETECTABLE, "carrier_new": 21051}])
    assert rejected_codes(payload) == [ErrorCode.CARRIER_CHANGE_STOPPED]


async def test_final_carrier_change(api: Api, poll: Poll) -> None:
    await register(api, {"number": CN}, {"number": "1Z999AA10123456784"})
    await poll()
    payload = await api.call("changecarrier", [{"number": CN, "final_carrier_new": 21051}])
    assert payload["data"]["accepted"] == [{"number": CN, "carrier": 3011}]
    [row] = await status_of(api, CN)
    assert row["final_carrier"] == 21051
    ups = await api.call("changecarrier", [{"number": "1Z999AA10123456784", "final_carrier_new": 21051}])
    assert rejected_codes(ups) == [ErrorCode.FINAL_CARRIER_POSTAL_ONLY]


async def test_change_info(api: Api) -> None:
    await register(api, {"number": CN, "tag": "old"})
    payload = await api.call(
        "changeinfo",
        [
            {
                "number": CN,
                "carrier": 3011,
                "items": {"lang": "en", "param": "8888", "tag": "This is my order id."},
            }
        ],
    )
    assert payload["data"]["accepted"] == [{"number": CN, "carrier": 3011}]
    [row] = await status_of(api, CN)
    assert (row["tag"], row["param"], row["lang"]) == ("This is my order id.", "8888", "en")


async def test_change_info_applies_the_items_in_request_order(api: Api) -> None:
    """The changes are written a few statements at a time (one per run of items changing the
    same fields); a later item still wins over an earlier one, as one by one."""
    other = "RR000000005CN"
    await register(api, {"number": CN}, {"number": other})
    items = [
        {"number": CN, "items": {"tag": "first"}},
        {"number": other, "items": {"tag": "other", "remark": "r1"}},
        {"number": CN, "items": {"tag": "second", "remark": "kept"}},
        {"number": CN, "items": {"tag": "third"}},
        {"number": other, "items": {"remark": "r2"}},
    ]
    payload = await api.call("changeinfo", items)
    assert len(payload["data"]["accepted"]) == 5
    [row] = await status_of(api, CN)
    assert (row["tag"], row["remark"]) == ("third", "kept")
    [row] = await status_of(api, other)
    assert (row["tag"], row["remark"]) == ("other", "r2")


async def test_stop_retrack_and_delete_act_on_every_accepted_row_of_a_request(api: Api) -> None:
    numbers = ["RR000000005CN", "RR000000014CN", "RR000000028CN", "RR000000031CN"]
    await register(api, *({"number": n} for n in numbers))
    stop = await api.call("stoptrack", [{"number": n} for n in numbers[:3]])
    assert len(stop["data"]["accepted"]) == 3
    again = await api.call("retrack", [{"number": n} for n in numbers])
    assert [a["number"] for a in again["data"]["accepted"]] == numbers[:3]
    assert rejected_codes(again) == [ErrorCode.RETRACK_ONLY_STOPPED]
    states = {n: (await status_of(api, n))[0] for n in numbers[:3]}
    assert {r["tracking_status"] for r in states.values()} == {"Tracking"}
    deleted = await api.call("deletetrack", [{"number": n} for n in numbers[1:]])
    assert len(deleted["data"]["accepted"]) == 3
    assert [await status_of(api, n) for n in numbers[1:]] == [[], [], []]
    assert len(await status_of(api, numbers[0])) == 1


@pytest.mark.parametrize(
    ("item", "code"),
    [
        ({"number": UNDETECTABLE, "carrier": 11031, "items": {"tag": "x"}}, ErrorCode.NOT_REGISTERED),
        ({"number": CN, "items": {}}, ErrorCode.UPDATE_DATA_INVALID),
        ({"number": CN, "items": {"tag": "t" * 101}}, ErrorCode.FIELD_VALUE_INVALID),
        ({"number": CN, "items": {"lang": "klingon"}}, ErrorCode.FIELD_VALUE_INVALID),
        ({"number": CN}, ErrorCode.DATA_REQUIRED),
    ],
)
async def test_change_info_errors(api: Api, item: dict[str, Any], code: ErrorCode) -> None:
    await register(api, {"number": CN})
    assert rejected_codes(await api.call("changeinfo", [item])) == [code]


async def test_change_info_needs_a_unique_target(api: Api) -> None:
    await register(api, {"number": UNDETECTABLE, "carrier": 3011}, {"number": UNDETECTABLE, "carrier": 21051})
    payload = await api.call("changeinfo", [{"number": UNDETECTABLE, "items": {"tag": "x"}}])
    assert rejected_codes(payload) == [ErrorCode.UPDATE_NOT_UNIQUE]


async def test_push_needs_a_webhook(client: Any, new_key: NewKey) -> None:
    without = Api(client, await new_key())
    await register(without, {"number": CN})
    assert only_error(await without.call("push", [{"number": CN}])) == ErrorCode.WEBHOOK_NOT_SET
    with_hook = Api(client, await new_key(webhook_url="http://127.0.0.1:9/hook"))
    await register(with_hook, {"number": CN})
    payload = await with_hook.call("push", [{"number": CN, "carrier": 3011}, {"number": UNDETECTABLE}])
    assert payload["data"]["accepted"] == [{"number": CN, "carrier": 3011}]
    assert rejected_codes(payload) == [ErrorCode.NOT_REGISTERED]


@pytest.mark.parametrize(
    "operation", ["stoptrack", "retrack", "deletetrack", "gettrackinfo", "changecarrier"]
)
async def test_forty_item_limit_everywhere(api: Api, operation: str) -> None:
    body = [{"number": f"RB{i:08d}0GB", "carrier_new": 3011} for i in range(41)]
    assert only_error(await api.call(operation, body)) == ErrorCode.OVER_40_LIMIT


async def test_change_carrier_waits_for_a_result(api: Api, poll: Poll) -> None:
    await register(api, {"number": UNDETECTABLE, "carrier": 3011})
    early = await api.call("changecarrier", [{"number": UNDETECTABLE, "carrier_new": 21051}])
    assert rejected_codes(early) == [ErrorCode.CARRIER_CHANGE_PENDING]
    assert await poll() == 1
    changed = await api.call("changecarrier", [{"number": UNDETECTABLE, "carrier_new": 21051}])
    assert changed["data"]["accepted"] == [{"number": UNDETECTABLE, "carrier": 21051}]
    again = await api.call("changecarrier", [{"number": UNDETECTABLE, "carrier_new": 11031}])
    assert rejected_codes(again) == [ErrorCode.CARRIER_CHANGE_PENDING]
