from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import update

from parceltrace.clock import HORIZON, FixedClock
from parceltrace.protocol.errors import ErrorCode
from parceltrace.runtime.server import create_app
from parceltrace.service.context import Services
from parceltrace.service.sandbox_clock import take_up
from parceltrace.store.sandbox import load_clocks
from parceltrace.store.tables import accounts
from parceltrace.worker.runner import Worker
from tests.conftest import START, NewKey, app_client, only_error


@pytest.fixture
async def sandbox_client(
    services: Services, worker: Worker, clock: FixedClock
) -> AsyncIterator[httpx.AsyncClient]:
    async with app_client(create_app(services, advancer=worker, clock=clock)) as client:
        yield client


async def test_read_and_advance_the_clock(sandbox_client: httpx.AsyncClient, key: str) -> None:
    headers = {"17token": key}
    now = (await sandbox_client.get("/sandbox/clock", headers=headers)).json()
    assert now == {"code": 0, "data": {"now": START.strftime("%Y-%m-%dT%H:%M:%S.%fZ")}}
    moved = await sandbox_client.post("/sandbox/clock/advance", json={"seconds": 3600}, headers=headers)
    assert moved.json()["data"]["now"] == (START + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    to = await sandbox_client.post(
        "/sandbox/clock/advance", json={"to": "2026-03-05T00:00:00Z"}, headers=headers
    )
    assert to.json()["data"]["now"] == "2026-03-05T00:00:00.000000Z"


async def test_advance_runs_due_polls(sandbox_client: httpx.AsyncClient, key: str) -> None:
    headers = {"17token": key}
    await sandbox_client.post(
        "/track/v2.2/register", json=[{"number": "SANDBOX-Delivered-Other-1"}], headers=headers
    )
    report = (
        await sandbox_client.post("/sandbox/clock/advance", json={"seconds": 10 * 86400}, headers=headers)
    ).json()
    assert report["data"]["polls"] >= 5
    info = await sandbox_client.post(
        "/track/v2.2/gettrackinfo", json=[{"number": "SANDBOX-Delivered-Other-1"}], headers=headers
    )
    assert info.json()["data"]["accepted"][0]["track_info"]["latest_status"]["status"] == "Delivered"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"seconds": -5}, ErrorCode.FIELD_VALUE_INVALID),
        ({"seconds": "soon"}, ErrorCode.FIELD_VALUE_INVALID),
        ({"seconds": True}, ErrorCode.FIELD_VALUE_INVALID),
        ({"to": "2020-01-01T00:00:00Z"}, ErrorCode.FIELD_VALUE_INVALID),
        ({"to": "whenever"}, ErrorCode.FIELD_VALUE_INVALID),
        ({"seconds": 1, "to": "2030-01-01"}, ErrorCode.SUBMITTED_DATA_INVALID),
        ({}, ErrorCode.SUBMITTED_DATA_INVALID),
        ([], ErrorCode.SUBMITTED_DATA_INVALID),
        ({"seconds": 10**12}, ErrorCode.FIELD_VALUE_INVALID),
    ],
)
async def test_bad_advance_bodies(
    sandbox_client: httpx.AsyncClient, key: str, body: Any, code: ErrorCode
) -> None:
    response = await sandbox_client.post("/sandbox/clock/advance", json=body, headers={"17token": key})
    assert response.status_code == 200 and only_error(response.json()) == code


async def test_sandbox_needs_a_key(sandbox_client: httpx.AsyncClient) -> None:
    assert (await sandbox_client.get("/sandbox/clock")).status_code == 401
    assert (await sandbox_client.post("/sandbox/clock/advance", json={"seconds": 1})).status_code == 401


async def test_no_sandbox_routes_in_live_mode(client: httpx.AsyncClient, key: str) -> None:
    assert (await client.get("/sandbox/clock", headers={"17token": key})).status_code == 404
    assert (
        await client.post("/sandbox/clock/advance", json={"seconds": 1}, headers={"17token": key})
    ).status_code == 404


async def test_the_clock_stops_at_its_horizon(sandbox_client: httpx.AsyncClient, key: str) -> None:
    """The issue's repro: repeated ten-year advances walked the clock to year 9999, after which
    every endpoint answered 500. Now the second is refused, with the limit, and all still works."""
    headers = {"17token": key}
    first = await sandbox_client.post("/sandbox/clock/advance", json={"seconds": 315360000}, headers=headers)
    assert first.status_code == 200 and "now" in first.json()["data"]
    for _ in range(3):
        refused = await sandbox_client.post(
            "/sandbox/clock/advance", json={"seconds": 315360000}, headers=headers
        )
        assert refused.status_code == 200
        error = refused.json()["data"]["errors"][0]
        assert error["code"] == ErrorCode.FIELD_VALUE_INVALID
        assert "within 10 years of real time" in error["message"]
        assert (START + HORIZON).strftime("%Y-%m-%dT%H:%M:%S") in error["message"]
    to = await sandbox_client.post(
        "/sandbox/clock/advance", json={"to": "2099-01-01T00:00:00Z"}, headers=headers
    )
    assert "within 10 years" in only_error_message(to.json())
    for path, body in [
        ("register", [{"number": "SANDBOX-Delivered-Other-1"}]),
        ("gettrackinfo", [{"number": "SANDBOX-Delivered-Other-1"}]),
        ("getquota", {}),
        ("gettracklist", {}),
    ]:
        answer = await sandbox_client.post(f"/track/v2.2/{path}", json=body, headers=headers)
        assert answer.status_code == 200 and answer.json()["code"] == 0, answer.text
    up_to_the_limit = await sandbox_client.post(
        "/sandbox/clock/advance", json={"to": (START + HORIZON).isoformat()}, headers=headers
    )
    assert up_to_the_limit.json()["data"]["now"].startswith((START + HORIZON).strftime("%Y-%m-%dT%H:%M"))
    assert (await sandbox_client.get("/sandbox/clock", headers=headers)).status_code == 200


def only_error_message(payload: dict[str, Any]) -> str:
    return str(payload["data"]["errors"][0]["message"])


async def test_a_stored_offset_past_the_horizon_is_brought_back(services: Services, new_key: NewKey) -> None:
    """A database whose clock was walked to year 9999 before the bound: taking it up gives the
    horizon, and the clock works."""
    await new_key("walked")
    eight_thousand_years = timedelta(days=8000 * 365)
    async with services.store.write() as conn:
        await conn.execute(
            update(accounts).values(sandbox_offset_us=int(eight_thousand_years / timedelta(microseconds=1)))
        )
    await take_up(services)
    [account_id] = list(await load_clocks(services.store))
    assert services.clocks.offset(account_id) == HORIZON
    assert services.clocks.now(account_id).year < 2100


async def test_each_account_has_its_own_clock(
    sandbox_client: httpx.AsyncClient, new_key: NewKey, clock: FixedClock
) -> None:
    """Issue 17: account B moving its clock 200 days stopped and purged account A's trackings.
    Now B's advance runs B's work only; A's tracking, clock and webhooks are untouched."""
    a, b = {"17token": await new_key("a")}, {"17token": await new_key("b")}
    number = [{"number": "SANDBOX-Delivered-Other-1"}]
    for headers in (a, b):
        assert (
            await sandbox_client.post("/track/v2.2/register", json=number, headers=headers)
        ).status_code == 200
    moved = await sandbox_client.post("/sandbox/clock/advance", json={"seconds": 200 * 86400}, headers=b)
    report = moved.json()["data"]
    assert report["polls"] >= 5 and report["stopped"] == 1 and report["purged"] == 1
    b_now = (await sandbox_client.get("/sandbox/clock", headers=b)).json()["data"]["now"]
    a_now = (await sandbox_client.get("/sandbox/clock", headers=a)).json()["data"]["now"]
    assert b_now.startswith((START + timedelta(days=200)).strftime("%Y-%m-%dT%H:%M"))
    assert a_now == START.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    a_list = (await sandbox_client.post("/track/v2.2/gettracklist", json={}, headers=a)).json()["data"][
        "accepted"
    ]
    assert [(i["tracking_status"], i["package_status"]) for i in a_list] == [("Tracking", "NotFound")]
    b_list = (await sandbox_client.post("/track/v2.2/gettracklist", json={}, headers=b)).json()["data"][
        "accepted"
    ]
    assert b_list == []
    assert clock.now() == START, "the base clock (real time) did not move"


async def test_the_background_worker_polls_each_account_by_its_own_clock(
    services: Services, worker: Worker, new_key: NewKey, clock: FixedClock
) -> None:
    from parceltrace.protocol.structs import RegisterItem
    from parceltrace.service.accounts import get_account
    from parceltrace.service.register import register

    await new_key("ahead")
    await new_key("behind")
    ahead, behind = await get_account(services, "ahead"), await get_account(services, "behind")
    assert ahead is not None and behind is not None
    for account in (ahead, behind):
        await register(services, account.id, [RegisterItem(number="SANDBOX-InTransit-Arrival-3")])
    await worker.run_once()  # both first polls, at registration
    services.clocks.advance_to(ahead.id, START + timedelta(days=2))
    polled = await worker.poller.poll_batch(clock.now())
    assert [p.polled_at for p in polled] == [START + timedelta(days=2)], "only the account whose clock moved"
