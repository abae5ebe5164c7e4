"""A worker killed with SIGKILL while pushes are in flight loses none: another worker delivers
every message at least once, in order per tracking."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from parceltrace.clock import SystemClock
from parceltrace.protocol.structs import RegisterItem
from parceltrace.service.accounts import AccountSettings, create_account
from parceltrace.service.context import Services
from parceltrace.service.register import register
from parceltrace.store.engine import Store
from tests import stored
from tests.webhooks.receiver import receiving

BIN = Path(sys.executable).parent / "parceltrace"
COUNT = 400


def start_worker(db_url: str, log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as sink:
        return subprocess.Popen(
            [str(BIN), "worker", "--db", db_url, "--batch-size", "50", "--lease", "3"],
            stdout=sink,
            stderr=sink,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )


async def wait_for(condition: object, seconds: float, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, f"timed out; the workers' output is in {log}"
        await asyncio.sleep(0.05)


async def delivery_states(store: Store) -> list[str]:
    return [d.state for d in await stored.deliveries(store)]


async def test_dispatcher_killed_mid_flight_loses_nothing(db_url: str, tmp_path: Path) -> None:
    log = tmp_path / "worker.log"
    store = Store(db_url)
    await store.migrate()
    async with receiving(delay=0.05) as receiver:
        services = Services(store, SystemClock())
        account, _ = await create_account(
            services, "k", AccountSettings(quota_total=COUNT, webhook_url=receiver.url)
        )
        numbers = [f"SANDBOX-InfoReceived-{i}" for i in range(COUNT)]
        for start in range(0, COUNT, 40):
            await register(
                services, account.id, [RegisterItem(number=n) for n in numbers[start : start + 40]]
            )

        first = start_worker(db_url, log)
        await wait_for(lambda: len(receiver.received) >= COUNT // 8, 30, log)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        assert len(receiver.received) < COUNT, "everything was delivered before the kill; raise COUNT"

        second = start_worker(db_url, log)
        try:
            got = lambda: {json.loads(r.body)["data"]["number"] for r in receiver.received}  # noqa: E731
            await wait_for(lambda: len(got()) >= COUNT, 60, log)
            deadline = time.monotonic() + 60  # the killed worker's delivery leases last 20 s
            while (states := await delivery_states(store)) != ["delivered"] * COUNT:
                assert time.monotonic() < deadline, f"not all recorded as delivered: see {log}"
                await asyncio.sleep(0.1)
        finally:
            second.terminate()
            second.wait(timeout=10)
    assert got() == {n.upper() for n in numbers}  # none lost
    assert len(receiver.received) >= COUNT  # at least once (duplicates allowed after the kill)
    assert states == ["delivered"] * COUNT
    await store.close()
