"""Wrong keys are throttled per client address (API and dashboard together); the dashboard has
a per-account request limit, and its registrations keep the key's API pace."""

from __future__ import annotations

import re
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from parceltrace.edge.ratelimit import DASHBOARD_PER_SECOND, FAILED_SIGN_INS, RateLimiter
from parceltrace.runtime.server import create_app
from parceltrace.service.context import Services
from tests.conftest import Dashboard, NewKey

WRONG = "0" * 32


@asynccontextmanager
async def from_address(app: object, address: str) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, client=(address, 40000))  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


async def test_an_address_that_tries_wrong_keys_waits_even_with_the_right_one(
    services: Services, new_key: NewKey
) -> None:
    key = await new_key("shop")
    app = create_app(services, rate_limiter=RateLimiter())
    async with from_address(app, "203.0.113.7") as guesser, from_address(app, "203.0.113.8") as other:
        for _ in range(FAILED_SIGN_INS.amount):
            wrong = await guesser.post("/track/v2.2/getquota", json=[], headers={"17token": WRONG})
            assert wrong.status_code == 401
        blocked = await guesser.post("/track/v2.2/getquota", json=[], headers={"17token": key})
        assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) >= 1
        assert blocked.json()["data"]["errors"][0]["code"] == 429
        assert (
            await other.post("/track/v2.2/getquota", json=[], headers={"17token": key})
        ).status_code == 200


async def test_failed_dashboard_sign_ins_count_too(services: Services, new_key: NewKey) -> None:
    key = await new_key("shop")
    app = create_app(services, rate_limiter=RateLimiter())
    async with from_address(app, "203.0.113.9") as guesser:
        board = Dashboard(guesser, key)
        for _ in range(FAILED_SIGN_INS.amount):
            assert (await board.sign_in(WRONG)).status_code == 401
        refused = await board.sign_in(key)
        assert refused.status_code == 429 and "Too many wrong keys" in refused.text
        assert "Retry-After" in refused.headers
        api = await guesser.post("/track/v2.2/getquota", json=[], headers={"17token": key})
        assert api.status_code == 429


async def test_dashboard_pages_have_a_per_account_limit(services: Services, new_key: NewKey) -> None:
    app = create_app(services, rate_limiter=RateLimiter())
    async with from_address(app, "198.51.100.7") as http:
        board = Dashboard(http, await new_key("clicker"))
        assert (await board.sign_in()).status_code == 303
        answers = [await http.get("/dashboard/trackings") for _ in range(DASHBOARD_PER_SECOND + 5)]
    statuses = [a.status_code for a in answers]
    assert statuses.count(200) < DASHBOARD_PER_SECOND and 429 in statuses
    refused = next(a for a in answers if a.status_code == 429)
    assert "requests a second per account" in refused.text and refused.headers["Retry-After"]


async def test_a_big_paste_registers_at_the_keys_api_pace(services: Services, new_key: NewKey) -> None:
    """200 numbers with a key limited to 2 requests/s: 5 calls' worth, paced, none refused."""
    app = create_app(services, rate_limiter=RateLimiter())
    async with from_address(app, "198.51.100.4") as http:
        board = Dashboard(http, await new_key("pasting", quota_total=1000, rate_limit=2))
        assert (await board.sign_in()).status_code == 303
        numbers = "\n".join(f"SANDBOX-InTransit-Arrival-{i}" for i in range(200))
        started = time.monotonic()
        page = await board.post("/dashboard/register", numbers=numbers)
        elapsed = time.monotonic() - started
    assert re.search(r"200 accepted, 0 rejected", page.text), page.text[:2000]
    assert elapsed >= 1.5, "5 batches of 40 at 2 requests/s take two seconds"
