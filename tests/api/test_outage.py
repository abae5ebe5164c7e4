"""The database out of reach (issue 33, first part): every API version answers 17TRACK's
-18010003 with HTTP 503 and `Retry-After`, the dashboard a plain "try again" page, the log one
line for the outage (no traceback a request), and `/readyz` says what is missing while
`/healthz` stays a liveness check. The store points at a closed port on 127.0.0.1."""

from __future__ import annotations

import asyncio
import re
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from structlog.testing import capture_logs

from parceltrace.clock import FixedClock
from parceltrace.edge.ratelimit import RateLimiter
from parceltrace.runtime.server import create_app
from parceltrace.service.accounts import AccountSettings, create_account
from parceltrace.service.context import Services
from parceltrace.store import engine
from parceltrace.store import outage as outage_module
from parceltrace.store.engine import Store, out_of_reach
from tests.conftest import app_client
from tests.runtime.test_server_process import free_port

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
    warnings = [entry["event"] for entry in logs if entry["log_level"] in ("warning", "error")]
    assert len(warnings) == 1 and warnings[0].startswith("database out of reach: API requests")


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


def test_a_broken_schema_is_a_bug_not_an_outage() -> None:
    import sqlite3

    from sqlalchemy.exc import OperationalError

    locked = OperationalError("UPDATE", {}, sqlite3.OperationalError("database is locked"))
    missing = OperationalError("SELECT", {}, sqlite3.OperationalError("no such table: trackings"))
    assert out_of_reach(locked) and not out_of_reach(missing)


async def test_sqlite_locked_by_another_process_refuses_writes_for_a_while_and_reads_go_on(
    tmp_path: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process holds SQLite's write lock (a backup, the sqlite3 shell) past the busy
    timeout: registrations answer 503 and Retry-After, reads go on, /readyz says unavailable;
    when the lock is released the probe (a write) finds the database back and writes go on."""
    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", 300)
    monkeypatch.setattr(outage_module, "PROBE_EVERY", 0.05)
    path = tmp_path / "locked.db"
    services = Services(Store(f"sqlite:///{path}"), clock, sandbox=True)
    await services.store.migrate()
    _, key = await create_account(services, "locked", AccountSettings(rate_limit=0))
    headers = {"17token": key}
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        async with app_client(create_app(services)) as http:
            with capture_logs() as logs:
                holder.execute("BEGIN EXCLUSIVE")
                refused = await http.post(
                    "/track/v2.2/register", headers=headers, json=[{"number": "SANDBOX-Delivered-Other-1"}]
                )
                listed = await http.post("/track/v2.2/gettracklist", headers=headers, json={})
                unready = await http.get("/readyz")
                holder.execute("ROLLBACK")
                for _ in range(100):
                    if not services.store.outage.ongoing:
                        break
                    await asyncio.sleep(0.05)
                accepted = await http.post(
                    "/track/v2.2/register", headers=headers, json=[{"number": "SANDBOX-Delivered-Other-1"}]
                )
                ready = await http.get("/readyz")
    finally:
        holder.close()
        await services.close()
    assert (refused.status_code, refused.headers["retry-after"], refused.json()["code"]) == (
        503,
        "5",
        -18010003,
    )
    assert (listed.status_code, listed.json()["code"]) == (200, 0)
    assert (unready.status_code, ready.status_code) == (503, 200)
    assert [item["number"] for item in accepted.json()["data"]["accepted"]] == [
        "SANDBOX-DELIVERED-OTHER-1"
    ], accepted.json()
    assert [entry["event"] for entry in logs if entry["log_level"] != "debug"] == [
        f"database out of reach: {services.store.outage.meanwhile}",
        "database reachable again",
    ]


async def test_metrics_answer_during_the_outage_and_count_it(unreachable: Services) -> None:
    """An operator reads /metrics while the database (and here Redis) is gone: this process's
    own figures, the outages' among them, without the store's (which cannot be read)."""
    limiter = RateLimiter(f"redis://127.0.0.1:{free_port()}")
    try:
        async with app_client(create_app(unreachable, rate_limiter=limiter)) as http:
            for _ in range(3):
                await http.post("/track/v2.2/register", headers={"17token": "k" * 32}, json=[])
            scraped = await http.get("/metrics")
    finally:
        await limiter.close()
    assert scraped.status_code == 200
    figures = {
        line.rsplit(" ", 1)[0]: float(line.rsplit(" ", 1)[1])
        for line in scraped.text.splitlines()
        if line.startswith("parceltrace_out")
    }
    assert figures['parceltrace_out_of_reach{service="database"}'] == 1
    assert figures['parceltrace_outages_total{service="database"}'] == 1
    assert figures['parceltrace_outage_failed_calls_total{service="database"}'] >= 3
    assert figures['parceltrace_out_of_reach{service="redis"}'] == 1, "the key checks met it too"
