from __future__ import annotations

import itertools
import json
from typing import Any

import httpx
import pytest

import parceltrace
from parceltrace import (
    AuthenticationError,
    Client,
    InvalidRequestError,
    QuotaError,
    RateLimitError,
    RetryPolicy,
    ServerError,
    TransportError,
)
from parceltrace.client.limiter import Limiter


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def ok(accepted: list[Any], rejected: list[Any] | None = None) -> httpx.Response:
    return httpx.Response(200, json={"code": 0, "data": {"accepted": accepted, "rejected": rejected or []}})


def make_client(handler: Any, clock: FakeClock | None = None, retry: RetryPolicy | None = None) -> Client:
    clock = clock or FakeClock()
    return Client(
        "KEY",
        "http://api.test/track/v2.2",
        transport=httpx.MockTransport(handler),
        limiter=Limiter(3.0, now=clock.time, sleep=clock.sleep),
        retry=retry or RetryPolicy(jitter=lambda: 1.0),
        sleep=clock.sleep,
    )


def test_batches_of_forty_are_merged() -> None:
    sizes: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/track/v2.2/register" and request.headers["17token"] == "KEY"
        items = json.loads(request.content)
        sizes.append(len(items))
        return ok(
            [
                {
                    "origin": 1,
                    "number": i["number"],
                    "carrier": 3011,
                    "email": None,
                    "tag": None,
                    "lang": None,
                }
                for i in items
            ]
        )

    with make_client(handler) as client:
        result = client.register(f"N{i:07d}" for i in range(95))
    assert sizes == [40, 40, 15]
    assert len(result.accepted) == 95 and result.accepted[94].number == "N0000094"


@pytest.mark.parametrize(("data_origin", "header"), [(None, None), ("Import", "Import")])
def test_register_names_the_data_origin_only_when_asked(data_origin: str | None, header: str | None) -> None:
    seen: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("X-Parceltrace-Data-Origin"))
        return ok([])

    with make_client(handler) as client:
        client.register([f"N{i:07d}" for i in range(41)], data_origin=data_origin)
    assert seen == [header, header]  # on every batch


def test_the_limiter_spaces_requests_three_a_second() -> None:
    clock = FakeClock()
    sent_at: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent_at.append(clock.now)
        return ok([])

    with make_client(handler, clock) as client:
        client.stop_track(f"N{i:07d}" for i in range(200))  # 5 requests
    gaps = [round(b - a, 6) for a, b in itertools.pairwise(sent_at)]
    assert gaps == [round(1 / 3, 6)] * 4


def test_retry_after_is_honoured_then_success() -> None:
    clock = FakeClock()
    answers = iter(
        [
            httpx.Response(
                429,
                headers={"Retry-After": "2"},
                json={"code": 429, "data": {"errors": [{"code": 429, "message": "slow down"}]}},
            ),
            ok([{"number": "N1234567", "carrier": 3011}]),
        ]
    )
    with make_client(lambda request: next(answers), clock) as client:
        result = client.stop_track(["N1234567"])
    assert len(result.accepted) == 1
    assert 2.0 in clock.sleeps


@pytest.mark.parametrize(
    "failure",
    [
        httpx.Response(503, text="busy"),
        httpx.Response(
            200, json={"code": 0, "data": {"errors": [{"code": -18010003, "message": "Internal"}]}}
        ),
    ],
)
def test_server_errors_are_retried_with_backoff(failure: httpx.Response) -> None:
    clock = FakeClock()
    answers = iter([failure, failure, ok([])])
    with make_client(lambda request: next(answers), clock) as client:
        client.retrack(["N1234567"])
    backoff = [s for s in clock.sleeps if s not in (0, round(1 / 3, 9))]
    assert backoff[:2] == [0.5, 1.0]


def test_a_503_with_retry_after_is_retried_when_it_says() -> None:
    """What parceltrace answers while its database is out of reach (api.app.out_of_reach_answer):
    HTTP 503, -18010003, Retry-After: 5. The client waits the 5 seconds asked, not its own
    back-off, and the error it raises at last says how long to wait."""
    clock = FakeClock()
    outage = httpx.Response(
        503,
        headers={"Retry-After": "5"},
        json={"code": 0, "data": {"errors": [{"code": -18010003, "message": "Internal service error."}]}},
    )
    answers = iter([outage, outage, ok([])])
    with make_client(lambda request: next(answers), clock) as client:
        client.retrack(["N1234567"])
    assert [s for s in clock.sleeps if s not in (0, round(1 / 3, 9))] == [5.0, 5.0]
    with (
        make_client(lambda request: outage, retry=RetryPolicy(attempts=1)) as client,
        pytest.raises(ServerError) as caught,
    ):
        client.get_quota()
    assert (caught.value.status, caught.value.code, caught.value.retry_after) == (503, -18010003, 5.0)


def test_transport_errors_are_retried_then_raised() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused")

    with make_client(handler) as client, pytest.raises(TransportError):
        client.get_quota()


def test_retry_policy_is_capped_exponential_with_jitter() -> None:
    policy = RetryPolicy(base=1, cap=5, jitter=lambda: 0.5)
    assert [policy.delay(n) for n in range(1, 6)] == [0.5, 1.0, 2.0, 2.5, 2.5]
    assert policy.delay(3, retry_after=7) == 5


@pytest.mark.parametrize(
    ("response", "error", "code"),
    [
        (
            httpx.Response(
                401,
                json={
                    "code": -18010002,
                    "data": {"errors": [{"code": -18010002, "message": "Invalid security key."}]},
                },
            ),
            AuthenticationError,
            -18010002,
        ),
        (
            httpx.Response(
                200,
                json={
                    "code": 0,
                    "data": {"errors": [{"code": -18010014, "message": "Tracking numbers exceed 40 limit."}]},
                },
            ),
            InvalidRequestError,
            -18010014,
        ),
        (
            httpx.Response(
                404,
                json={"code": 404, "data": {"errors": [{"code": 404, "message": "Incorrect request URL."}]}},
            ),
            InvalidRequestError,
            None,  # an HTTP status copied into the envelope is not a 17TRACK code
        ),
        (
            httpx.Response(
                500, json={"code": -18010003, "data": {"errors": [{"code": -18010003, "message": "x"}]}}
            ),
            ServerError,
            -18010003,
        ),
        (httpx.Response(200, text="<html>"), TransportError, None),
    ],
)
def test_error_mapping(response: httpx.Response, error: type[Exception], code: int | None) -> None:
    with (
        make_client(lambda request: response, retry=RetryPolicy(attempts=1)) as client,
        pytest.raises(error) as caught,
    ):
        client.get_quota()
    assert getattr(caught.value, "code", None) == code
    assert getattr(caught.value, "status", None) == response.status_code


def test_authentication_is_not_retried() -> None:
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(
            401, json={"code": -18010002, "data": {"errors": [{"code": -18010002, "message": "no"}]}}
        )

    with make_client(handler) as client, pytest.raises(AuthenticationError):
        client.get_quota()
    assert len(calls) == 1


def test_rate_limit_error_carries_retry_after() -> None:
    response = httpx.Response(
        429,
        headers={"Retry-After": "3"},
        json={"code": 429, "data": {"errors": [{"code": 429, "message": "x"}]}},
    )
    with (
        make_client(lambda request: response, retry=RetryPolicy(attempts=1)) as client,
        pytest.raises(RateLimitError) as caught,
    ):
        client.get_quota()
    assert caught.value.retry_after == 3.0


def test_per_item_rejections_are_values_and_skip_registered() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return ok(
            [],
            [
                {"number": "RR123456789CN", "error": {"code": -18019901, "message": "already"}},
                {"number": "1234", "error": {"code": -18010012, "message": "format"}},
            ],
        )

    with make_client(handler) as client:
        plain = client.register(["RR123456789CN", "1234"])
        skipping = client.register(["RR123456789CN", "1234"], skip_registered=True)
    assert [r.code for r in plain.rejected] == [-18019901, -18010012]
    assert skipping.already_registered == ["RR123456789CN"] and [r.code for r in skipping.rejected] == [
        -18010012
    ]


def test_max_quota_refuses_before_sending() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise AssertionError("nothing may be sent")

    with make_client(handler) as client, pytest.raises(QuotaError):
        client.register([{"number": "A1234567", "lang": "en"}, "B1234567"], max_quota=2)


def test_dry_run_uses_the_free_lookup() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.path.endswith("/gettrackinfo")
        empty_info = {"shipping_info": {}, "latest_status": {"status": "NotFound", "sub_status": "NotFound_Other"},
                      "latest_event": None, "time_metrics": {}, "milestone": [], "misc_info": {}, "tracking": {}}  # fmt: skip
        return ok(
            [{"number": "A1234567", "carrier": 3011, "param": None, "tag": None, "track_info": empty_info}]
        )

    with make_client(handler) as client:
        plan = client.register_dry_run(["a1234567", {"number": "B1234567", "lang": "de"}])
    assert (plan.to_register, plan.already_registered, plan.cost) == (["B1234567"], ["a1234567"], 2)


def test_dry_run_counts_the_request_not_the_answer() -> None:
    """An answer about a number the file does not hold (a carrier-corrected or unrelated item)
    is not one of the file's numbers "already registered"."""

    def handler(request: httpx.Request) -> httpx.Response:
        return ok([{"number": "ZZ999999999CN", "carrier": 3011, "track_info": {}}])

    with make_client(handler) as client:
        plan = client.register_dry_run(["A1234567", "B1234567"])
    assert (plan.to_register, plan.already_registered, plan.cost) == (["A1234567", "B1234567"], [], 2)


def test_iter_track_list_walks_every_page() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        page = json.loads(request.content)["page_no"]
        items = [dict(ITEM, number=f"P{page}-{i:05d}") for i in range(40 if page < 3 else 5)]
        return httpx.Response(
            200,
            json={
                "page": {"data_total": 85, "page_total": 3, "page_no": page, "page_size": 40},
                "code": 0,
                "data": {"accepted": items},
            },
        )

    with make_client(handler) as client:
        numbers = [item.number for item in client.iter_track_list(tracking_status="Tracking")]
    assert len(numbers) == 85 and numbers[-1] == "P3-00004"


ITEM = {
    "number": "", "param": None, "param_type": "None", "data_origin": "Api", "carrier": 3011, "shipping_country": "CN",
    "final_carrier": 0, "recipient_country": None, "register_time": "2026-01-01T00:00:00Z", "tracking_status": "Tracking",
    "package_status": "NotFound", "track_time": None, "push_time": None, "push_status": "NotPushed", "push_status_code": None,
    "stop_track_time": None, "stop_track_reason": None, "is_retracked": False, "carrier_change_count": 0, "tag": None,
    "email": None, "order_no": None, "order_time": None, "lang": None, "remark": None, "latest_event_time": None,
    "latest_event_info": None, "days_after_order": 0, "days_after_last_update": 0, "days_of_transit": 0,
    "days_of_transit_done": 0, "delievery_time": None, "pickup_time": None,
}  # fmt: skip


def test_public_names_are_complete() -> None:
    exported = set(parceltrace.__all__)
    assert {"Client", "AsyncClient", "ClientError", "AuthenticationError", "RateLimitError", "QuotaError",
            "InvalidRequestError", "ServerError", "TransportError", "BatchResult", "RetryPolicy"} <= exported  # fmt: skip
    for name in exported:
        assert getattr(parceltrace, name) is not None
    from importlib import resources

    assert resources.files("parceltrace").joinpath("py.typed").is_file()


def test_an_answer_over_the_cap_fails_once_without_being_read_whole() -> None:
    """An upstream answering 9 MiB: AnswerTooLarge (a ClientError, not retried); nothing past
    MAX_ANSWER is kept."""
    from parceltrace.client import AnswerTooLarge
    from parceltrace.client.core import MAX_ANSWER

    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(
            200, content=b'{"code":0,"data":{"accepted":[' + b" " * (MAX_ANSWER + 1) + b"]}}"
        )

    with make_client(handler) as client, pytest.raises(AnswerTooLarge, match="over 8 MiB"):
        client.get_quota()
    assert calls == [1]
