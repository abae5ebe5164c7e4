"""The worker through a database outage (PostgreSQL behind a proxy the test cuts): its loops log
the outage once and its end once, no traceback a step, and go on by themselves: what was due
during the cut is polled after it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from sqlalchemy.engine import make_url
from structlog.testing import capture_logs

from parceltrace.clock import FixedClock
from parceltrace.service.context import Services
from parceltrace.store import outage as outage_module
from parceltrace.store.engine import Store
from parceltrace.worker.runner import Worker
from tests import postgres
from tests.proxy import Proxy, proxy_to
from tests.worker.test_poller import column, register_many


@pytest.fixture
async def behind_proxy(pg_database: str, clock: FixedClock) -> AsyncIterator[tuple[Services, Proxy]]:
    await postgres.empty_tables(pg_database)
    url = make_url(pg_database)
    with proxy_to(url.port or 5432) as proxy:
        services = Services(Store(url.set(port=proxy.port).render_as_string(False)), clock, sandbox=True)
        yield services, proxy
        await services.close()


async def polled(services: Services) -> int:
    return sum(1 for n in await column(services, "poll_count") if n)


async def test_the_worker_waits_out_an_outage_and_polls_what_was_due(
    behind_proxy: tuple[Services, Proxy], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(outage_module, "PROBE_EVERY", 0.1)
    services, proxy = behind_proxy
    await register_many(services, 60)
    worker = Worker(services, owner="w", batch_size=20)
    stop = asyncio.Event()
    proxy.cut()
    with capture_logs() as logs:
        task = asyncio.create_task(worker.run(stop, idle_seconds=0.05))
        for _ in range(100):  # the loops meet the outage over and over for at least a second
            await asyncio.sleep(0.02)
        assert services.store.outage.ongoing and services.store.outage.failures >= 10
        proxy.restore()
        for _ in range(500):
            if not services.store.outage.ongoing and await polled(services) == 60:
                break
            await asyncio.sleep(0.02)
        stop.set()
        worker.wake()
        await asyncio.wait_for(task, 10)
    await worker.close()
    assert await polled(services) == 60
    said = [(entry["log_level"], entry["event"]) for entry in logs if entry["log_level"] != "debug"]
    assert said == [
        ("warning", f"database out of reach: {services.store.outage.meanwhile}"),
        ("warning", "database reachable again"),
    ], said
