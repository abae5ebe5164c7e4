"""Shared fixtures: a real SQLite store per test, a clock the test controls, the real app."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from litestar import Litestar

from parceltrace.api.app import create_app
from parceltrace.clock import FixedClock
from parceltrace.service.accounts import AccountSettings, create_account
from parceltrace.service.context import Services
from parceltrace.store.engine import Store
from parceltrace.worker.runner import Worker

START = datetime(2026, 3, 2, 10, 0, 0, tzinfo=UTC)


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'test.db'}"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
async def services(db_url: str, clock: FixedClock) -> AsyncIterator[Services]:
    store = Store(db_url)
    await store.migrate()
    yield Services(store, clock, sandbox=True)
    await store.close()


@pytest.fixture
async def worker(services: Services) -> AsyncIterator[Worker]:
    """A worker the test drives itself (nothing runs in the background)."""
    running = Worker(services, owner="test-worker")
    yield running
    await running.close()


Poll = Callable[[], Awaitable[int]]


@pytest.fixture
def poll(worker: Worker) -> Poll:
    """Runs every poll that is due now; returns how many ran."""

    async def run() -> int:
        total = 0
        while done := await worker.run_once():
            total += done
        return total

    return run


@asynccontextmanager
async def app_client(app: Litestar) -> AsyncIterator[httpx.AsyncClient]:
    """The app driven in the test's own event loop: database drivers such as asyncpg keep their
    connections on the loop that opened them. (create_app registers no lifespan hooks; the
    server's are tested through real `parceltrace serve` processes.)"""
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


@pytest.fixture
async def client(services: Services) -> AsyncIterator[httpx.AsyncClient]:
    async with app_client(create_app(services)) as http:
        yield http


NewKey = Callable[..., Awaitable[str]]


@pytest.fixture
def new_key(services: Services) -> NewKey:
    """Creates an account (unlimited rate unless given) and returns its API key."""
    counter = iter(range(1_000_000))

    async def make(name: str | None = None, **settings: Any) -> str:
        settings.setdefault("rate_limit", 0)
        _, key = await create_account(
            services.store, services.clock, name or f"acct{next(counter)}", AccountSettings(**settings)
        )
        return key

    return make


@pytest.fixture
async def key(new_key: NewKey) -> str:
    return await new_key("main")


class Api:
    """Calls /track/v2.2/<operation> with a key and returns (status, json)."""

    def __init__(self, client: httpx.AsyncClient, key: str) -> None:
        self.client = client
        self.key = key

    async def call(self, operation: str, body: Any = None, *, raw: bytes | None = None) -> Any:
        response = await self.raw(operation, body, raw=raw)
        assert response.status_code == 200, response.text
        return response.json()

    async def raw(self, operation: str, body: Any = None, *, raw: bytes | None = None) -> Any:
        content = raw if raw is not None else None
        kwargs: dict[str, Any] = {"headers": {"17token": self.key}}
        if content is not None:
            kwargs["content"] = content
        else:
            kwargs["json"] = [] if body is None else body
        return await self.client.post(f"/track/v2.2/{operation}", **kwargs)


@pytest.fixture
def api(client: httpx.AsyncClient, key: str) -> Api:
    return Api(client, key)


def only_error(payload: dict[str, Any]) -> int:
    """The single error code of a whole-request failure."""
    errors = payload["data"]["errors"]
    assert len(errors) == 1, payload
    return int(errors[0]["code"])


def rejected_codes(payload: dict[str, Any]) -> list[int]:
    return [r["error"]["code"] for r in payload["data"]["rejected"]]
