from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest

from parceltrace.api.app import create_app
from parceltrace.clock import FixedClock
from parceltrace.protocol.errors import ErrorCode
from parceltrace.service.context import Services
from parceltrace.worker.runner import Worker
from tests.conftest import START, app_client, only_error


@pytest.fixture
async def sandbox_client(
    services: Services, worker: Worker, clock: FixedClock
) -> AsyncIterator[httpx.AsyncClient]:
    async with app_client(create_app(services, worker=worker, clock=clock)) as client:
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
