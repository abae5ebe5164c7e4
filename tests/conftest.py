"""Shared fixtures: a real SQLite store per test, a clock the test controls, the real app, a
signed-in dashboard client."""

from __future__ import annotations

import io
import logging
import os
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
import redis
import structlog
from litestar import Litestar

from parceltrace.clock import FixedClock
from parceltrace.edge.ratelimit import RateLimiter
from parceltrace.protocol import v24
from parceltrace.protocol.structs import TrackInfoItem
from parceltrace.runtime.logs import HANDLER_NAME, configure_logging
from parceltrace.runtime.server import create_app
from parceltrace.service.accounts import AccountSettings, create_account
from parceltrace.service.context import Services
from parceltrace.service.sealing import SECRET_ENV
from parceltrace.store.engine import Store
from parceltrace.worker.runner import Worker
from tests import postgres

START = datetime(2026, 3, 2, 10, 0, 0, tzinfo=UTC)


PG_BASE = os.environ.get("PARCELTRACE_TEST_PG", "postgresql://127.0.0.1:5432/test")
REQUIRE_SERVICES = os.environ.get("PARCELTRACE_REQUIRE_SERVICES") == "1"
TEST_SECRET = "rKmOr5EvrAz3IgtC7h4ooGFDTEOl7oMnqWUHcw-dwEw="
"""The server secret (PARCELTRACE_SECRET) for PostgreSQL test databases, which have no
secret file beside them."""


def unavailable(what: str, exc: BaseException) -> None:
    """Skip (or, with PARCELTRACE_REQUIRE_SERVICES=1 as in CI, fail) for a missing service."""
    message = f"{what} ({exc.__class__.__name__}: {exc})"
    if REQUIRE_SERVICES:
        pytest.fail(message + "; PARCELTRACE_REQUIRE_SERVICES=1 makes this a failure", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A database of its own for this test session on the PostgreSQL of PARCELTRACE_TEST_PG,
    migrated once; each test starts from emptied tables (see `db_url`)."""
    try:
        url = postgres.run(postgres.create_database, PG_BASE, f"parceltrace_test_{os.getpid()}")
    except (OSError, asyncpg.PostgresError) as exc:
        unavailable(f"PostgreSQL not reachable at {PG_BASE} (set PARCELTRACE_TEST_PG)", exc)
    os.environ.setdefault(SECRET_ENV, TEST_SECRET)
    postgres.run(postgres.migrate, url)
    yield url
    postgres.run(postgres.drop_database, PG_BASE, url)


REDIS_URL = os.environ.get("PARCELTRACE_TEST_REDIS", "redis://127.0.0.1:6379/0")


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The Redis of PARCELTRACE_TEST_REDIS, checked once."""
    try:
        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
        client.ping()
        client.close()
    except (OSError, redis.RedisError) as exc:
        unavailable(f"Redis not reachable at {REDIS_URL} (set PARCELTRACE_TEST_REDIS)", exc)
    return REDIS_URL


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked `sqlite_only` (SQLite's files, pragmas, single writer) run on SQLite only."""
    items[:] = [
        item
        for item in items
        if not (
            item.get_closest_marker("sqlite_only")
            and getattr(item, "callspec", None) is not None
            and item.callspec.params.get("db_url") == "postgresql"  # type: ignore[attr-defined]
        )
    ]


@pytest.fixture(params=["sqlite", "postgresql"])
async def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Every store test runs on both engines: a fresh SQLite file, or the session's
    PostgreSQL database with every table emptied."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    url: str = request.getfixturevalue("pg_database")
    await postgres.empty_tables(url)
    return url


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
async def services(db_url: str, clock: FixedClock) -> AsyncIterator[Services]:
    store = Store(db_url)
    await store.migrate()
    services = Services(store, clock, sandbox=True)
    yield services
    await services.close()


class WriteCount:
    """How many write transactions the store opened (the single writer on SQLite)."""

    def __init__(self) -> None:
        self.opened = 0


@pytest.fixture
def write_transactions(services: Services, monkeypatch: pytest.MonkeyPatch) -> WriteCount:
    """Counts `services.store.write()` calls from here on; the real store still does the work."""
    count = WriteCount()
    real_write = services.store.write

    def counting_write() -> Any:
        count.opened += 1
        return real_write()

    monkeypatch.setattr(services.store, "write", counting_write)
    return count


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
        _, key = await create_account(services, name or f"acct{next(counter)}", AccountSettings(**settings))
        return key

    return make


@pytest.fixture
async def key(new_key: NewKey) -> str:
    return await new_key("main")


class Api:
    """Calls /track/<version>/<operation> with a key and returns (status, json)."""

    def __init__(self, client: httpx.AsyncClient, key: str, version: str = "v2.2") -> None:
        self.client = client
        self.key = key
        self.version = version

    async def call(self, operation: str, body: Any = None, *, raw: bytes | None = None) -> Any:
        response = await self.raw(operation, body, raw=raw)
        assert response.status_code == 200, response.text
        payload = response.json()
        return without_v24_additions(operation, payload) if self.version == "v2.4" else payload

    async def raw(self, operation: str, body: Any = None, *, raw: bytes | None = None) -> Any:
        content = raw if raw is not None else None
        kwargs: dict[str, Any] = {"headers": {"17token": self.key}}
        if content is not None:
            kwargs["content"] = content
        else:
            kwargs["json"] = [] if body is None else body
        return await self.client.post(f"/track/{self.version}/{operation}", **kwargs)


V24_ITEM_FIELDS = {
    "gettrackinfo": set(v24.TrackInfoItemV24.__struct_fields__) - set(TrackInfoItem.__struct_fields__),
    "getrealtimetrackinfo": set(v24.TrackInfoItemV24.__struct_fields__)
    - set(TrackInfoItem.__struct_fields__),
    "gettracklist": {"sync_status"},
}


def without_v24_additions(operation: str, payload: Any) -> Any:
    """A v2.4 answer less what v2.4 adds, checking every addition is there: what is left must
    be exactly the v2.2 answer, so v2.2's tests hold unchanged."""
    added = V24_ITEM_FIELDS.get(operation.lower())
    data = payload.get("data") if isinstance(payload, dict) else None
    if not added or not isinstance(data, dict):
        return payload
    for item in data.get("accepted", []):
        assert added <= item.keys(), f"v2.4 item lacks {added - item.keys()}"
        for name in added:
            del item[name]
        for provider in item.get("track_info", {}).get("tracking", {}).get("providers", []):
            assert provider.pop("provider_tips") is None
    return payload


@pytest.fixture(params=["v2.2", "v2.4"])
def api(client: httpx.AsyncClient, key: str, request: pytest.FixtureRequest) -> Api:
    """The contract's tests run against v2.2 and, unchanged, against v2.4 (additive only)."""
    return Api(client, key, request.param)


def only_error(payload: dict[str, Any]) -> int:
    """The single error code of a whole-request failure."""
    errors = payload["data"]["errors"]
    assert len(errors) == 1, payload
    return int(errors[0]["code"])


def rejected_codes(payload: dict[str, Any]) -> list[int]:
    return [r["error"]["code"] for r in payload["data"]["rejected"]]


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """Every record (structlog's and the standard library's) in JSON lines, as in production."""
    buffer = io.StringIO()
    configure_logging(json_lines=True, stream=buffer, cache=False)
    yield buffer
    structlog.reset_defaults()
    root = logging.getLogger()
    for handler in [h for h in root.handlers if h.get_name() == HANDLER_NAME]:
        root.removeHandler(handler)


# ---------------------------------------------------------------- the dashboard

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
    unlimited = RateLimiter(dashboard_per_second=0)  # these tests click faster than a person
    async with app_client(
        create_app(services, advancer=worker, clock=clock, wall=wall, rate_limiter=unlimited)
    ) as http:
        yield http


@pytest.fixture
async def dashboard(web_client: httpx.AsyncClient, new_key: NewKey) -> Dashboard:
    board = Dashboard(web_client, await new_key("shop", quota_total=1000))
    response = await board.sign_in()
    assert response.status_code == 303, response.text
    return board
