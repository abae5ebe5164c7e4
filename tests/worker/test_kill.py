"""A worker killed with SIGKILL mid-batch loses no tracking, and no tracking is polled twice."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from parceltrace.clock import SystemClock
from parceltrace.protocol.structs import RegisterItem
from parceltrace.service.accounts import AccountSettings, create_account
from parceltrace.service.context import Services
from parceltrace.service.register import register
from parceltrace.store.engine import Store
from parceltrace.store.tables import trackings
from parceltrace.worker.runner import Worker
from tests import stored

BIN = Path(sys.executable).parent / "parceltrace"
COUNT = 3000


async def poll_counts(store: Store) -> dict[int, int]:
    """How many trackings were polled how many times."""
    return dict(Counter(t.poll_count for t in await stored.trackings(store)))


async def leased(store: Store) -> int:
    return sum(1 for t in await stored.trackings(store) if t.lease_owner is not None)


def start_worker(db_url: str, log: Path, lease: int = 3) -> subprocess.Popen[bytes]:
    with log.open("ab") as sink:
        return subprocess.Popen(
            [str(BIN), "worker", "--db", db_url, "--batch-size", "50", "--lease", str(lease)],
            stdout=sink,
            stderr=sink,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )


@pytest.mark.parametrize("lease", [3, 600], ids=["lease 3 s", "lease 10 min"])
async def test_kill_minus_nine_mid_batch(db_url: str, tmp_path: Path, lease: int) -> None:
    """With a 10-minute lease the second worker can only finish within the minute because it
    frees the dead worker's leases at start (same host, pid gone)."""
    store = Store(db_url)
    await store.migrate()
    services = Services(store, SystemClock())
    account, _ = await create_account(services, "k", AccountSettings(quota_total=COUNT))
    for start in range(0, COUNT, 40):
        items = [RegisterItem(number=f"SANDBOX-InTransit-Other-{i}") for i in range(start, start + 40)]
        await register(services, account.id, items)

    log = tmp_path / "worker.log"
    first = start_worker(db_url, log, lease)
    deadline = time.monotonic() + 30
    while (await poll_counts(store)).get(1, 0) < COUNT // 10:  # let it get well into its work
        assert time.monotonic() < deadline, log.read_text()
        await asyncio.sleep(0.02)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    done_by_first = (await poll_counts(store)).get(1, 0)
    assert done_by_first < COUNT, "the worker finished before it could be killed; raise COUNT"

    second = start_worker(db_url, log, lease)
    try:
        deadline = time.monotonic() + 60
        while (await poll_counts(store)).get(1, 0) < COUNT:
            assert time.monotonic() < deadline, log.read_text()
            await asyncio.sleep(0.1)
    finally:
        second.terminate()
        second.wait(timeout=10)
    assert await poll_counts(store) == {1: COUNT}  # none lost, none polled twice
    assert await leased(store) == 0
    await store.close()


async def test_sigterm_mid_batch_finishes_the_batch_and_holds_no_lease(db_url: str, tmp_path: Path) -> None:
    """Graceful shutdown: the worker writes back what it claimed, then exits 0."""
    store = Store(db_url)
    await store.migrate()
    services = Services(store, SystemClock())
    account, _ = await create_account(services, "t", AccountSettings(quota_total=COUNT))
    for start in range(0, COUNT, 40):
        items = [RegisterItem(number=f"SANDBOX-InTransit-Other-{i}") for i in range(start, start + 40)]
        await register(services, account.id, items)
    log = tmp_path / "worker.log"
    worker = start_worker(db_url, log)
    deadline = time.monotonic() + 30
    while (await poll_counts(store)).get(1, 0) < COUNT // 10:
        assert time.monotonic() < deadline, log.read_text()
        await asyncio.sleep(0.02)
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(timeout=20) == 0, log.read_text()
    counts = await poll_counts(store)
    assert counts.get(1, 0) < COUNT, "the worker finished before it was stopped; raise COUNT"
    assert set(counts) <= {0, 1}
    assert await leased(store) == 0, "every claimed tracking was written back before exit"
    await store.close()


async def test_only_dead_processes_of_this_host_lose_their_leases(db_url: str) -> None:
    store = Store(db_url)
    await store.migrate()
    services = Services(store, SystemClock())
    account, _ = await create_account(services, "d", AccountSettings(quota_total=10))
    await register(
        services, account.id, [RegisterItem(number=f"SANDBOX-InTransit-Other-{i}") for i in range(4)]
    )
    ended = await asyncio.create_subprocess_exec(sys.executable, "-c", "pass")
    await ended.wait()
    host = socket.gethostname()
    owners = [f"{host}:{ended.pid}", f"{host}:{os.getpid()}", f"elsewhere:{ended.pid}", "test-worker"]
    until = datetime.now(UTC) + timedelta(hours=1)
    ids = [t.id for t in await stored.trackings(store)]
    async with store.write() as conn:
        for tracking_id, owner in zip(ids, owners, strict=True):
            await conn.execute(
                update(trackings)
                .where(trackings.c.id == tracking_id)
                .values(lease_owner=owner, lease_until=until)
            )
    assert await Worker(services).take_over_crashed() == 1
    assert [t.lease_owner for t in await stored.trackings(store)] == [None, *owners[1:]]
    await store.close()
