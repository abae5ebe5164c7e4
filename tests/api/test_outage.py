"""The database out of reach (issue 33, first part): every API version answers 17TRACK's
-18010003 with HTTP 503 and `Retry-After`, the dashboard a plain "try again" page, the log one
line for the outage (no traceback a request), and `/readyz` says what is missing while
`/healthz` stays a liveness check. The store points at a closed port on 127.0.0.1."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest
from structlog.testing import capture_logs

from parceltrace.clock import FixedClock
from parceltrace.server import create_app
from parceltrace.service.context import Services
from parceltrace.service.ratelimit import RateLimiter
from parceltrace.store.engine import Store, out_of_reach
from tests.conftest import app_client
from tests.test_server_process import free_port

CLOSED = "postgresql://postgres@127.0.0.1:{port}/test"


@pytest.fixture
async def unreachable(clock: FixedClock) -> AsyncIterator[Services]:
    services = Services(Store(CLOSED.format(port=free_port())), clock)
    yield services
    await services.close()


@pytest.mark.parametrize("path", ["/track/v2.4/register", "/track/v2.2/register", "/track/v1/register"])
async def test_every_api_version_answers_503_with_retry_after(unreachable: Services, path: str) -> None:
    with capture_logs() as logs:
        async with app_client(create_app(unreachable)) as http:
            answers = [
                await http.post(path, headers={"17token": "k" * 32}, json=[{"number": "RR123456789CN"}])
                for _ in range(20)
            ]
    assert {answer.status_code for answer in answers} == {503}
    assert {answer.headers["retry-after"] for answer in answers} == {"5"}
    assert {answer.json()["code"] for answer in answers} == {-18010003}
    assert [entry["event"] for entry in logs if entry["log_level"] in ("warning", "error")] == [
        "database out of reach: answering 503 until it returns"
    ]


async def test_the_dashboard_says_try_again(unreachable: Services) -> None:
    async with app_client(create_app(unreachable)) as http:
        form = await http.get("/dashboard/login")
        token = re.search(r'name="login_token" value="([^"]+)"', form.text).group(1)  # type: ignore[union-attr]
        page = await http.post("/dashboard/login", data={"login_token": token, "key": "k" * 32})
    assert page.status_code == 503 and "Try again in a few seconds" in page.text
    assert page.headers["retry-after"] == "5"


async def test_readiness_says_what_is_out_of_reach_and_liveness_stays_ok(unreachable: Services) -> None:
    limiter = RateLimiter(f"redis://127.0.0.1:{free_port()}")
    try:
        async with app_client(create_app(unreachable, rate_limiter=limiter)) as http:
            ready = await http.get("/readyz")
            alive = await http.get("/healthz")
    finally:
        await limiter.close()
    assert ready.status_code == 503
    assert ready.json() == {"status": "unavailable", "database": "out of reach", "redis": "out of reach"}
    assert alive.status_code == 200


async def test_readiness_when_all_is_reachable(services: Services) -> None:
    limiter = RateLimiter("redis://127.0.0.1:6379")
    try:
        async with app_client(create_app(services, rate_limiter=limiter)) as http:
            ready = await http.get("/readyz")
    finally:
        await limiter.close()
    assert (ready.status_code, ready.json()) == (200, {"status": "ready", "database": "ok", "redis": "ok"})


@pytest.mark.parametrize(
    ("error", "known"),
    [
        (ConnectionRefusedError(111, "Connect call failed"), True),
        (TimeoutError(), True),
        (RuntimeError("wrapped"), False),
        (ValueError("a bug"), False),
    ],
)
def test_what_counts_as_out_of_reach(error: BaseException, known: bool) -> None:
    assert out_of_reach(error) is known
    wrapper = RuntimeError("while answering")
    wrapper.__cause__ = error
    assert out_of_reach(wrapper) is known


async def test_one_line_when_the_outage_ends(services: Services) -> None:
    """The probe finds the database back (here it never left) and says so once."""
    import asyncio

    from parceltrace.api.outage import DatabaseOutage

    outage = DatabaseOutage(services.store)
    with capture_logs() as logs:
        outage.failed(ConnectionRefusedError(111, "Connect call failed"))
        outage.failed(ConnectionRefusedError(111, "Connect call failed"))
        for _ in range(50):
            if not outage.ongoing:
                break
            await asyncio.sleep(0.1)
        await outage.close()
    assert not outage.ongoing
    assert [(entry["event"], entry.get("requests_refused")) for entry in logs] == [
        ("database out of reach: answering 503 until it returns", None),
        ("database reachable again", 2),
    ]


def test_a_broken_schema_is_a_bug_not_an_outage() -> None:
    import sqlite3

    from sqlalchemy.exc import OperationalError

    locked = OperationalError("UPDATE", {}, sqlite3.OperationalError("database is locked"))
    missing = OperationalError("SELECT", {}, sqlite3.OperationalError("no such table: trackings"))
    assert out_of_reach(locked) and not out_of_reach(missing)
