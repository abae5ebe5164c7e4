"""A signed-in dashboard client on the real app, store and worker (sandbox clock controls on)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
import pytest

from parceltrace.api.app import create_app
from parceltrace.clock import FixedClock
from parceltrace.service.context import Services
from parceltrace.worker.runner import Worker
from tests.conftest import NewKey, app_client

WALL_START = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
LOGIN = re.compile(r'name="login_token" value="([^"]+)"')


@dataclass
class Dashboard:
    http: httpx.AsyncClient
    key: str
    csrf: str = ""

    async def sign_in(self, key: str | None = None) -> httpx.Response:
        form = await self.http.get("/dashboard/login")
        token = LOGIN.search(form.text)
        assert token, form.text
        response = await self.http.post(
            "/dashboard/login", data={"login_token": token.group(1), "key": key or self.key, "next": ""}
        )
        if response.status_code == 303:
            page = await self.http.get("/dashboard/trackings")
            self.csrf = CSRF.search(page.text).group(1)  # type: ignore[union-attr]
        return response

    async def post(self, path: str, **data: str) -> httpx.Response:
        """A form POST with the session's CSRF token; follows the redirect to the next page."""
        response = await self.http.post(path, data={"csrf_token": self.csrf, **data})
        if response.status_code == 303:
            return await self.http.get(response.headers["location"])
        return response


@pytest.fixture
def wall() -> FixedClock:
    return FixedClock(WALL_START)


@pytest.fixture
async def web_client(
    services: Services, worker: Worker, clock: FixedClock, wall: FixedClock
) -> AsyncIterator[httpx.AsyncClient]:
    async with app_client(create_app(services, worker=worker, clock=clock, wall=wall)) as http:
        yield http


@pytest.fixture
async def dashboard(web_client: httpx.AsyncClient, new_key: NewKey) -> Dashboard:
    board = Dashboard(web_client, await new_key("shop", quota_total=1000))
    response = await board.sign_in()
    assert response.status_code == 303, response.text
    return board
