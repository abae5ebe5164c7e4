from __future__ import annotations

import json

import httpx
import pytest

from parceltrace import AsyncClient, RetryPolicy, ServerError
from parceltrace.client.limiter import AsyncLimiter


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def time(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def client_for(handler: httpx.MockTransport, clock: FakeClock) -> AsyncClient:
    return AsyncClient(
        "KEY",
        "http://api.test/track/v2.2/",
        transport=handler,
        limiter=AsyncLimiter(3.0, now=clock.time, sleep=clock.sleep),
        retry=RetryPolicy(attempts=2, jitter=lambda: 1.0),
        sleep=clock.sleep,
    )


async def test_async_batches_limiter_and_paging() -> None:
    clock = FakeClock()
    sizes: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        if request.url.path.endswith("/gettracklist"):
            return httpx.Response(
                200,
                json={
                    "page": {"data_total": 0, "page_total": 0, "page_no": 1, "page_size": 40},
                    "code": 0,
                    "data": {"accepted": []},
                },
            )
        sizes.append(len(body))
        return httpx.Response(
            200,
            json={
                "code": 0,
                "data": {"accepted": [{"number": i["number"], "carrier": 1} for i in body], "rejected": []},
            },
        )

    async with client_for(httpx.MockTransport(handler), clock) as client:
        result = await client.delete_track(f"N{i:07d}" for i in range(81))
        listed = [item async for item in client.iter_track_list()]
    assert sizes == [40, 40, 1] and len(result.accepted) == 81 and listed == []
    assert clock.now == pytest.approx(3 / 3)  # 4 requests spaced 1/3 s apart


async def test_async_gives_up_after_its_attempts() -> None:
    clock = FakeClock()
    async with client_for(
        httpx.MockTransport(lambda r: httpx.Response(502, text="bad gateway")), clock
    ) as client:
        with pytest.raises(ServerError) as caught:
            await client.get_quota()
    assert caught.value.status == 502


async def test_an_answer_over_the_cap_fails_once_without_being_read_whole() -> None:
    from parceltrace.client import AnswerTooLarge
    from parceltrace.client.core import MAX_ANSWER

    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(
            200, content=b'{"code":0,"data":{"accepted":[' + b" " * (MAX_ANSWER + 1) + b"]}}"
        )

    async with client_for(httpx.MockTransport(handler), FakeClock()) as client:
        with pytest.raises(AnswerTooLarge, match="over 8 MiB"):
            await client.get_quota()
    assert calls == [1]


async def test_async_a_503_with_retry_after_is_retried_when_it_says() -> None:
    clock = FakeClock()
    outage = httpx.Response(
        503,
        headers={"Retry-After": "5"},
        json={"code": 0, "data": {"errors": [{"code": -18010003, "message": "Internal service error."}]}},
    )
    answers = iter([outage, httpx.Response(200, json={"code": 0, "data": {"accepted": [], "rejected": []}})])
    async with client_for(httpx.MockTransport(lambda request: next(answers)), clock) as client:
        await client.retrack(["N1234567"])
    assert 5.0 in clock.sleeps
