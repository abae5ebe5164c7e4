from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from parceltrace.clock import FixedClock
from parceltrace.protocol.errors import ErrorCode
from tests.conftest import Api, NewKey, only_error, rejected_codes


async def test_quick_start_example(api: Api) -> None:
    """003's quick start: RR123456789CN accepted as China Post, 21213123123230 undetectable."""
    payload = await api.call("register", [{"number": "RR123456789CN"}, {"number": "21213123123230"}])
    assert payload == {
        "code": 0,
        "data": {
            "accepted": [
                {
                    "origin": 1,
                    "number": "RR123456789CN",
                    "carrier": 3011,
                    "email": None,
                    "tag": None,
                    "lang": None,
                }
            ],
            "rejected": [
                {
                    "number": "21213123123230",
                    "error": {
                        "code": -18019903,
                        "message": "The carrier can not be detected, please visit "
                        "https://res.17track.net/asset/carrier/info/apicarrier.all.json "
                        "for the carrier code and send in as the parameter.",
                    },
                }
            ],
        },
    }


async def test_register_example_request(api: Api) -> None:
    """003's register example: the full item and the invalid "1234"."""
    payload = await api.call(
        "register",
        [
            {
                "number": "RR123456789CN",
                "lang": "",
                "email": "",
                "param": "",
                "order_no": "202340984938",
                "order_time": "2023/1/1",
                "carrier": 3011,
                "final_carrier": 21051,
                "auto_detection": True,
                "tag": "MyOrderId",
                "remark": "My Remarks",
            },
            {"number": "1234", "tag": "My-Order-ID"},
        ],
    )
    assert payload["data"]["accepted"] == [
        {
            "origin": 2,
            "number": "RR123456789CN",
            "carrier": 3011,
            "email": None,
            "tag": "MyOrderId",
            "lang": None,
        }
    ]
    assert payload["data"]["rejected"] == [
        {
            "number": "1234",
            "tag": "My-Order-ID",
            "error": {"code": -18010012, "message": "The format of the data '1234' is invalid."},
        }
    ]


async def test_wrong_carrier_is_corrected(api: Api) -> None:
    payload = await api.call("register", [{"number": "1Z999AA10123456784", "carrier": 100003}])
    assert payload["data"]["accepted"][0] | {} == {
        "origin": 1,
        "number": "1Z999AA10123456784",
        "carrier": 100002,
        "email": None,
        "tag": None,
        "lang": None,
    }


@pytest.mark.parametrize(
    ("item", "code"),
    [
        ({"number": "1234"}, ErrorCode.DATA_FORMAT_INVALID),
        ({"number": "21213123123230"}, ErrorCode.CARRIER_NOT_DETECTED),
        ({"number": "RR123456789CN", "auto_detection": False}, ErrorCode.CARRIER_NOT_DETECTED),
        ({"number": "21213123123230", "carrier": 99}, ErrorCode.CARRIER_CODE_INCORRECT),
        ({"number": "X12345678", "carrier": 100005}, ErrorCode.PARAM_POSTAL_REQUIRED),
        ({"number": "X12345678", "carrier": 14041}, ErrorCode.PARAM_COUNTRY_POSTAL_REQUIRED),
        ({"number": "X12345678", "carrier": 100074}, ErrorCode.PARAM_PHONE_REQUIRED),
        ({"number": "1Z999AA10123456784", "final_carrier": 21051}, ErrorCode.FINAL_CARRIER_POSTAL_ONLY),
        ({"number": "RR123456789CN", "final_carrier": 42}, ErrorCode.CARRIER_CODE_INCORRECT),
        ({"number": "RR123456789CN", "lang": "xx"}, ErrorCode.FIELD_VALUE_INVALID),
        ({"number": "RR123456789CN", "tag": "t" * 101}, ErrorCode.FIELD_VALUE_INVALID),
        ({"number": "RR123456789CN", "remark": "r" * 1001}, ErrorCode.FIELD_VALUE_INVALID),
        ({"number": "RR123456789CN", "email": "nope"}, ErrorCode.FIELD_VALUE_INVALID),
        ({"number": "RR123456789CN", "order_no": "1"}, ErrorCode.FIELD_VALUE_INVALID),
        ({"number": "RR123456789CN", "order_time": "someday"}, ErrorCode.FIELD_VALUE_INVALID),
        ({"number": "RR123456789CN", "param": "x" * 13}, ErrorCode.FIELD_VALUE_INVALID),
        ({"tag": "no number"}, ErrorCode.DATA_REQUIRED),
        ({"number": 123456}, ErrorCode.DATA_VALUE_INVALID),
    ],
)
async def test_item_rejections(api: Api, item: dict[str, Any], code: ErrorCode) -> None:
    payload = await api.call("register", [item])
    assert payload["data"]["accepted"] == []
    assert rejected_codes(payload) == [code]


async def test_param_given_satisfies_the_carrier(api: Api) -> None:
    payload = await api.call("register", [{"number": "X12345678", "carrier": 100005, "param": "1000 AA"}])
    assert payload["data"]["accepted"][0]["carrier"] == 100005


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b"{not json", ErrorCode.SUBMITTED_DATA_INVALID),
        (b'{"number": "RR123456789CN"}', ErrorCode.SUBMITTED_DATA_INVALID),
        (b"[]", ErrorCode.DATA_REQUIRED),
        (b"", ErrorCode.SUBMITTED_DATA_INVALID),
    ],
)
async def test_invalid_bodies(api: Api, raw: bytes, code: ErrorCode) -> None:
    assert only_error(await api.call("register", raw=raw)) == code


async def test_more_than_40_numbers(api: Api) -> None:
    body = [{"number": f"RB{i:08d}0GB"} for i in range(41)]
    payload = await api.call("register", body)
    assert payload["code"] == 0
    assert payload["data"]["errors"] == [{"code": -18010014, "message": "Tracking numbers exceed 40 limit."}]


async def test_already_registered_and_duplicate_in_one_request(api: Api) -> None:
    first = await api.call("register", [{"number": "RR123456789CN"}, {"number": "rr123456789cn"}])
    assert len(first["data"]["accepted"]) == 1
    assert first["data"]["rejected"][0]["error"] == {
        "code": -18019901,
        "message": "Tracking number 'RR123456789CN' is already registered.",
    }
    again = await api.call("register", [{"number": "RR123456789CN"}])
    assert rejected_codes(again) == [ErrorCode.ALREADY_REGISTERED]


async def test_same_number_with_another_carrier_is_another_tracking(api: Api) -> None:
    await api.call("register", [{"number": "21213123123230", "carrier": 3011}])
    payload = await api.call("register", [{"number": "21213123123230", "carrier": 21051}])
    assert payload["data"]["accepted"][0]["carrier"] == 21051


async def test_confident_detection_overrides_a_wrong_carrier_for_postal_numbers(api: Api) -> None:
    payload = await api.call("register", [{"number": "RR123456789CN", "carrier": 21051}])
    assert payload["data"]["accepted"][0] | {} == payload["data"]["accepted"][0] | {
        "carrier": 3011,
        "origin": 1,
    }


async def quota(api: Api) -> dict[str, Any]:
    return (await api.call("getquota", []))["data"]


async def test_quota_charges(api: Api) -> None:
    """1 unit per accepted number; `lang`'s extra unit waits for the first translated result
    (tests/worker/test_translation.py), so registering with `lang` costs 1 now."""
    await api.call(
        "register",
        [{"number": "RB123456785GB"}, {"number": "RB123456785US", "lang": "de"}, {"number": "1234"}],
    )
    assert await quota(api) == {
        "quota_total": 100,
        "quota_used": 2,
        "quota_remain": 98,
        "today_used": 2,
        "max_track_daily": 0,
        "free_email_quota": 300,
        "free_email_quotaused": 0,
    }
    await api.call("register", [{"number": "RB123456785GB"}])  # a repeat is free
    assert (await quota(api))["quota_used"] == 2


async def test_register_again_after_delete_charges_again(api: Api) -> None:
    await api.call("register", [{"number": "RB123456785GB"}])
    await api.call("deletetrack", [{"number": "RB123456785GB"}])
    await api.call("register", [{"number": "RB123456785GB"}])
    assert (await quota(api))["quota_used"] == 2


async def test_quota_runs_out(client: Any, new_key: NewKey) -> None:
    api = Api(client, await new_key(quota_total=2))
    payload = await api.call(
        "register", [{"number": "RB123456785GB"}, {"number": "RB123456785US"}, {"number": "RB123456785DE"}]
    )
    assert len(payload["data"]["accepted"]) == 2
    assert payload["data"]["rejected"][0]["error"] == {
        "code": -18019908,
        "message": "Your quotas have ran out.",
    }
    assert (await quota(api))["quota_remain"] == 0


async def test_lang_registers_on_one_unit(client: Any, new_key: NewKey) -> None:
    api = Api(client, await new_key(quota_total=1))
    payload = await api.call("register", [{"number": "RB123456785GB", "lang": "en"}])
    assert len(payload["data"]["accepted"]) == 1
    assert (await quota(api))["quota_used"] == 1


async def test_daily_limit_resets_at_utc_midnight(client: Any, new_key: NewKey, clock: FixedClock) -> None:
    api = Api(client, await new_key(max_track_daily=1))
    first = await api.call("register", [{"number": "RB123456785GB"}, {"number": "RB123456785US"}])
    assert rejected_codes(first) == [ErrorCode.DAILY_LIMIT_EXCEEDED]
    assert (await quota(api))["today_used"] == 1
    clock.advance_to(clock.now().replace(hour=23, minute=59, second=59))
    assert (await quota(api))["today_used"] == 1
    clock.advance_to(clock.now() + timedelta(seconds=1))
    assert (await quota(api))["today_used"] == 0
    second = await api.call("register", [{"number": "RB123456785US"}])
    assert len(second["data"]["accepted"]) == 1
    assert (await quota(api))["quota_used"] == 2


async def test_get_quota_by_get(api: Api) -> None:
    response = await api.client.get("/track/v2.2/getquota", headers={"17token": api.key})
    assert response.status_code == 200
    assert response.json()["data"]["quota_total"] == 100


@pytest.mark.parametrize(
    ("header", "origin"),
    [
        (None, "Api"),
        ("Import", "Import"),
        ("import", "Import"),
        (" MANUAL ", "Manual"),
        ("Fax", "Api"),
        ("", "Api"),
    ],
)
async def test_a_register_call_can_say_where_its_numbers_came_from(
    api: Api, header: str | None, origin: str
) -> None:
    """The X-Parceltrace-Data-Origin extension; unknown values are an ordinary API call."""
    headers = {"17token": api.key} | ({"X-Parceltrace-Data-Origin": header} if header is not None else {})
    number = "SANDBOX-Delivered-Other-77"
    response = await api.client.post(
        f"/track/{api.version}/register", json=[{"number": number}], headers=headers
    )
    assert response.json()["data"]["accepted"], response.text
    listed = await api.call("gettracklist", {"number": number})
    assert [item["data_origin"] for item in listed["data"]["accepted"]] == [origin]


async def test_a_sandbox_near_miss_says_what_is_needed(api: Api) -> None:
    """It answered -18019903 with only a link to 17TRACK's carrier list."""
    payload = await api.call("register", [{"number": "SANDBOX-Delivered-1"}])
    [rejected] = payload["data"]["rejected"]
    assert rejected["error"]["code"] == ErrorCode.CARRIER_NOT_DETECTED
    assert rejected["error"]["message"].endswith("e.g. SANDBOX-Delivered-Other-1.")


async def test_live_mode_refuses_sandbox_numbers_without_charging(services: Any) -> None:
    from dataclasses import replace

    from parceltrace.protocol.structs import RegisterItem
    from parceltrace.service.accounts import AccountSettings, create_account, get_account
    from parceltrace.service.register import register

    live = replace(services, sandbox=False)
    account, _ = await create_account(live, "live", AccountSettings())
    result = await register(live, account.id, [RegisterItem(number="SANDBOX-Delivered-Other-1", tag="t")])
    [rejected] = result["rejected"]
    assert (rejected.error.code, rejected.tag) == (ErrorCode.CARRIER_NOT_REGISTRABLE, "t")
    assert "sandbox mode" in rejected.error.message
    assert (await get_account(live, "live")).quota_used == 0
