"""Scale mode on loopback: 2 API processes (`serve --no-worker`) and 2 `parceltrace worker`
processes on one PostgreSQL, rate limits in Redis, sandbox numbers registered through both
APIs, the shared sandbox clock moved on through their whole lives.

Checked: every change is pushed exactly once (and, with a worker killed -9 mid-run, at least
once); no tracking is polled by two workers at once (a trigger records every claim and every
completed poll); the per-key rate limit holds across both API processes.

PARCELTRACE_CLUSTER_NUMBERS sets how many numbers (default 1,000; the figure in BENCHMARKS.md
comes from 20,000)."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from parceltrace.clock import SystemClock
from parceltrace.service.accounts import AccountSettings, create_account, get_account
from parceltrace.service.context import Services
from parceltrace.store.engine import Store
from parceltrace.store.sandbox import load_clocks, save_clock
from tests import postgres, stored
from tests.runtime.test_server_process import free_port
from tests.webhooks.receiver import Receiver, receiving

BIN = Path(sys.executable).parent / "parceltrace"
NUMBERS = int(os.environ.get("PARCELTRACE_CLUSTER_NUMBERS", "1000"))
SCENARIOS = (
    "Delivered-Other",
    "InTransit-Arrival",
    "Exception-Returned",
    "OutForDelivery-Other",
    "Expired-Other",
)
STEP = timedelta(hours=12)
LIFE = timedelta(days=48)
RETENTION_DAYS = "90"
"""Delivered messages are kept past LIFE, so every one sent can be found in the outbox at the
end (the default 30 days let a housekeeping round that came late in the life prune the first
pushes, and the test then missed messages it had received)."""
"""Long enough for every scenario to end, stop (15 days after delivery, 30 after the last
event) and be pushed as stopped."""

AUDIT = """
CREATE TABLE IF NOT EXISTS poll_audit (
    seq bigserial PRIMARY KEY, tracking_id int, kind text, owner text
);
CREATE OR REPLACE FUNCTION audit_polls() RETURNS trigger AS $$
BEGIN
    IF NEW.lease_owner IS NOT NULL AND NEW.lease_owner IS DISTINCT FROM OLD.lease_owner THEN
        INSERT INTO poll_audit (tracking_id, kind, owner) VALUES (NEW.id, 'claim', NEW.lease_owner);
    END IF;
    IF OLD.lease_owner IS NOT NULL AND NEW.lease_owner IS NULL THEN
        INSERT INTO poll_audit (tracking_id, kind, owner) VALUES (NEW.id, 'done', OLD.lease_owner);
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_polls ON trackings;
CREATE TRIGGER audit_polls AFTER UPDATE ON trackings FOR EACH ROW EXECUTE FUNCTION audit_polls();
"""


@dataclass
class Cluster:
    store: Store
    apis: list[str]
    workers: list[subprocess.Popen[bytes]]
    receiver: Receiver
    key: str
    limited_key: str
    logs: Path
    killed: set[str] = field(default_factory=set)

    def kill_worker(self, index: int) -> None:
        process = self.workers[index]
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        self.killed.add(f"{os.uname().nodename}:{process.pid}")


def _start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as sink:
        return subprocess.Popen([str(BIN), *args], stdout=sink, stderr=sink, env=env)


def _wait_healthy(url: str, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError(f"API did not start: {log.read_text()[-2000:]}")


@asynccontextmanager
async def cluster(db: str, redis_url: str, tmp_path: Path) -> AsyncIterator[Cluster]:
    await postgres.empty_tables(db)
    await postgres.execute(db, AUDIT)
    store = Store(db)
    env = {**os.environ, "PARCELTRACE_DB": db, "PARCELTRACE_REDIS": redis_url, "COLUMNS": "200"}
    processes: list[subprocess.Popen[bytes]] = []
    async with receiving([200]) as receiver:
        services = Services(store, SystemClock())
        _, key = await create_account(
            services,
            "cluster",
            AccountSettings(quota_total=10**7, rate_limit=0, webhook_url=receiver.url),
        )
        _, limited = await create_account(services, "limited", AccountSettings(rate_limit=3))
        try:
            urls = []
            for i in range(2):
                port = free_port()
                log = tmp_path / f"api{i}.log"
                processes.append(_start(["serve", "--no-worker", "--port", str(port)], env, log))
                urls.append(f"http://127.0.0.1:{port}")
            for i, url in enumerate(urls):
                _wait_healthy(url, tmp_path / f"api{i}.log")
            workers = [
                _start(
                    [
                        "worker",
                        "--concurrency",
                        "200",
                        "--lease",
                        "10",
                        "--delivery-retention",
                        RETENTION_DAYS,
                    ],
                    env,
                    tmp_path / f"worker{i}.log",
                )
                for i in range(2)
            ]
            processes.extend(workers)
            yield Cluster(store, urls, workers, receiver, key, limited, tmp_path)
        finally:
            for process in processes:
                if process.poll() is None:
                    process.terminate()
            for process in processes:
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
            await postgres.execute(
                db, "DROP TRIGGER IF EXISTS audit_polls ON trackings; DROP TABLE poll_audit"
            )
            await store.close()


async def register_all(group: Cluster, count: int) -> None:
    """`count` sandbox numbers in batches of 40, alternately through each API, 8 at a time."""
    numbers = [f"SANDBOX-{SCENARIOS[i % len(SCENARIOS)]}-{i}" for i in range(count)]
    batches = [numbers[i : i + 40] for i in range(0, count, 40)]
    gate = asyncio.Semaphore(8)
    async with httpx.AsyncClient(timeout=60) as http:

        async def send(index: int, batch: list[str]) -> None:
            async with gate:
                url = f"{group.apis[index % 2]}/track/v2.2/register"
                response = await http.post(
                    url, headers={"17token": group.key}, json=[{"number": n} for n in batch]
                )
                assert response.status_code == 200, response.text
                assert len(response.json()["data"]["accepted"]) == len(batch), response.text

        await asyncio.gather(*(send(i, b) for i, b in enumerate(batches)))


async def remaining_work(store: Store, now: datetime) -> int:
    """Polls due or under way, and pushes due."""
    due = [
        t
        for t in await stored.trackings(store)
        if t.tracking_status == "Tracking"
        and ((t.next_poll_at is not None and t.next_poll_at <= now) or t.lease_owner is not None)
    ]
    pushes = [d for d in await stored.deliveries(store) if d.state == "pending" and d.due_at <= now]
    return len(due) + len(pushes)


async def live_through(group: Cluster, life: timedelta, on_step: Any = None) -> None:
    """Move the shared sandbox clock on by STEP at a time; after each step wait for the workers
    to finish everything due."""
    steps = int(life / STEP)
    account = await get_account(Services(group.store, SystemClock()), "cluster")
    assert account is not None
    for step in range(steps):
        offset = (await load_clocks(group.store)).get(account.id, (timedelta(0), 0))[0] + STEP
        await save_clock(group.store, account.id, offset)  # NOTIFYs: every process follows at once
        await asyncio.sleep(0.05)
        deadline = time.monotonic() + 120
        while await remaining_work(group.store, datetime.now(UTC) + offset):
            assert time.monotonic() < deadline, f"workers did not catch up at step {step}"
            await asyncio.sleep(0.05)
        if on_step is not None:
            on_step(step)


def pushes(receiver: Receiver) -> list[dict[str, Any]]:
    out = []
    for message in receiver.received:
        body = json.loads(message.body)
        info = body["data"].get("track_info") or {}
        latest = info.get("latest_event") or {}
        out.append(
            {
                "id": message.headers.get("webhook-id"),
                "event": body["event"],
                "number": body["data"]["number"],
                "change": (
                    body["event"],
                    body["data"]["number"],
                    latest.get("time_utc"),
                    (info.get("latest_status") or {}).get("sub_status"),
                ),
            }
        )
    return out


async def audit_violations(store: Store, killed: set[str]) -> list[str]:
    """Claims and releases (a poll's write-back) per tracking must alternate, each poll completed by the worker
    that claimed it; only a killed worker's claim may be taken over (after its lease)."""
    async with store.read() as conn:
        rows = (
            await conn.execute(text("SELECT tracking_id, kind, owner FROM poll_audit ORDER BY seq"))
        ).all()
    holder: dict[int, str | None] = defaultdict(lambda: None)
    problems = []
    for tracking_id, kind, owner in rows:
        current = holder[tracking_id]
        if kind == "claim":
            if current is not None and current not in killed:
                problems.append(f"tracking {tracking_id}: claimed by {owner} while {current} held it")
            holder[tracking_id] = owner
        else:
            if owner != current:
                problems.append(f"tracking {tracking_id}: poll completed by {owner}, lease held by {current}")
            holder[tracking_id] = None
    return problems


async def final_state(store: Store) -> tuple[Counter[str], int]:
    statuses = Counter(t.tracking_status for t in await stored.trackings(store))
    undelivered = sum(1 for d in await stored.deliveries(store) if d.state != "delivered")
    return statuses, undelivered


async def message_ids(store: Store) -> set[str]:
    return {d.message_id for d in await stored.deliveries(store)}


async def test_rate_limit_holds_across_api_processes(
    pg_database: str, redis_url: str, tmp_path: Path
) -> None:
    async with cluster(pg_database, redis_url, tmp_path) as group:
        async with httpx.AsyncClient(timeout=10) as http:
            started = time.monotonic()
            answers = [
                (
                    await http.post(
                        f"{group.apis[i % 2]}/track/v2.2/getquota",
                        headers={"17token": group.limited_key},
                        json=[],
                    )
                ).status_code
                for i in range(10)
            ]
            elapsed = time.monotonic() - started
        assert elapsed < 1, "all ten inside one second, or the check means nothing"
        assert answers.count(200) == 3 and answers.count(429) == 7, answers


async def test_every_change_is_pushed_exactly_once_and_no_poll_overlaps(
    pg_database: str, redis_url: str, tmp_path: Path
) -> None:
    async with cluster(pg_database, redis_url, tmp_path) as group:
        started = time.monotonic()
        await register_all(group, NUMBERS)
        registered = time.monotonic()
        await live_through(group, LIFE)
        lived = time.monotonic()
        statuses, undelivered = await final_state(group.store)
        assert statuses == Counter({"Stopped": NUMBERS}), statuses
        assert undelivered == 0
        received = pushes(group.receiver)
        ids = Counter(p["id"] for p in received)
        assert [i for i, n in ids.items() if n > 1] == [], "a message was delivered twice"
        changes = Counter(p["change"] for p in received)
        assert [c for c, n in changes.items() if n > 1] == [], "a change was pushed twice"
        assert set(ids) == await message_ids(group.store), "every queued push arrived"
        stopped = Counter(p["number"] for p in received if p["event"] == "TRACKING_STOPPED")
        assert len(stopped) == NUMBERS and set(stopped.values()) == {1}
        assert await audit_violations(group.store, group.killed) == []
        print(
            f"\ncluster: {NUMBERS} numbers registered in {registered - started:.1f} s, "
            f"{LIFE.days} sandbox days lived in {lived - registered:.1f} s, {len(received)} pushes"
        )


async def test_with_a_worker_killed_mid_run_every_change_still_arrives(
    pg_database: str, redis_url: str, tmp_path: Path
) -> None:
    count = max(NUMBERS // 4, 100)
    async with cluster(pg_database, redis_url, tmp_path) as group:
        await register_all(group, count)

        def kill_at_third_step(step: int) -> None:
            if step == 2:
                group.kill_worker(0)

        await live_through(group, LIFE, on_step=kill_at_third_step)
        assert group.killed
        statuses, undelivered = await final_state(group.store)
        assert statuses == Counter({"Stopped": count}), statuses
        assert undelivered == 0
        received = {p["id"] for p in pushes(group.receiver)}
        assert await message_ids(group.store) <= received, "every queued push arrived at least once"
        assert await audit_violations(group.store, group.killed) == []


pytestmark = pytest.mark.slow
