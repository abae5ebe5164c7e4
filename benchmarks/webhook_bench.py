"""Webhook delivery throughput and latency, SQLite, a receiver in its own process.

    python benchmarks/webhook_bench.py [--runs 3] [--messages 5000] [--latency 300]

deliveries/s: N trackings with a first result queue N signed TRACKING_UPDATED messages; one
dispatcher (this process, one core, on uvloop like `parceltrace serve`) drains them.
Baseline in the same run: as many plain, unsigned POSTs of the same bodies with the same HTTP
client and concurrency (the ceiling the receiver and the HTTP stack allow). The same messages
through the delivery loop as `serve` runs it (`Dispatcher.run`: a task per attempt, recorded by
group commit, at most 16 attempts in flight per account and per receiver).
latency: with the worker loop running on the real clock, registrations at ~50/s; from each
registration (the change: nothing -> first result) to the moment the receiver has the push.
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import uvloop
from sqlalchemy import func, select

from parceltrace.clock import SystemClock
from parceltrace.outbox.safety import WebhookPolicy
from parceltrace.outbox.transport import new_session, post
from parceltrace.protocol.structs import RegisterItem
from parceltrace.service.accounts import AccountSettings, create_account
from parceltrace.service.context import Services
from parceltrace.service.register import register
from parceltrace.store.engine import Store
from parceltrace.store.tables import deliveries
from parceltrace.worker.dispatcher import Dispatcher
from parceltrace.worker.poller import Poller
from parceltrace.worker.runner import Worker

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from register_bench import free_port  # noqa: E402


def start_receiver(port: int, path: str) -> subprocess.Popen[bytes]:
    process = subprocess.Popen([sys.executable, str(HERE / "webhook_receiver.py"), str(port), path])
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process
        except OSError:
            time.sleep(0.05)
    raise SystemExit("receiver did not start")


def received(path: str) -> list[tuple[float, str]]:
    text = Path(path).read_text(encoding="utf-8") if Path(path).exists() else ""
    return [(float(t), m) for t, m in (line.split() for line in text.splitlines() if line.strip())]


async def setup(url: str, count: int) -> tuple[Services, int]:
    folder = tempfile.mkdtemp()
    services = Services(Store(f"sqlite:///{folder}/hooks.db"), SystemClock())
    await services.store.migrate()
    account, _ = await create_account(
        services,
        "bench",
        AccountSettings(quota_total=10**9, rate_limit=0, webhook_url=url),
    )
    for start in range(0, count, 40):
        items = [
            RegisterItem(number=f"SANDBOX-Delivered-Other-{i}") for i in range(start, min(start + 40, count))
        ]
        await register(services, account.id, items)
    return services, account.id


@asynccontextmanager
async def queued(count: int) -> AsyncIterator[tuple[Services, int]]:
    """A receiver in its own process and `count` signed TRACKING_UPDATED messages due for it."""
    port, log = free_port(), tempfile.mktemp()
    receiver = start_receiver(port, log)
    try:
        services, _ = await setup(f"http://127.0.0.1:{port}/hook", count)
        poller = Poller(services, "bench", batch_size=500)
        while await poller.poll_batch(services.clock.now()):
            pass
        yield services, port
        await services.store.close()
    finally:
        receiver.terminate()
        receiver.wait()


async def throughput(count: int) -> tuple[float, float]:
    async with queued(count) as (services, port):
        async with services.store.read() as conn:
            bodies = [b.encode() for b in (await conn.execute(select(deliveries.c.body))).scalars()]
        assert len(bodies) == count
        policy = WebhookPolicy.for_mode(sandbox=True)
        async with new_session(policy) as session:
            started = time.perf_counter()
            for first in range(0, count, 100):
                chunk = bodies[first : first + 100]
                await asyncio.gather(
                    *(post(session, policy, f"http://127.0.0.1:{port}/plain", b, {}) for b in chunk)
                )
            plain = count / (time.perf_counter() - started)
        dispatcher = Dispatcher(services, "bench")
        started = time.perf_counter()
        done = 0
        while sent := await dispatcher.deliver_batch(services.clock.now()):
            done += sum(1 for a in sent if a.succeeded)
        signed = done / (time.perf_counter() - started)
        await dispatcher.close()
        assert done == count
        return signed, plain


async def loop_throughput(count: int) -> float:
    """deliveries/s of the delivery loop as `serve` runs it (a task per attempt, ended attempts
    written together, the one account's share of places, 16 connections to the receiver)."""
    async with queued(count) as (services, _):
        dispatcher = Dispatcher(services, "bench")
        stop = asyncio.Event()
        started = time.perf_counter()
        running = asyncio.create_task(dispatcher.run(stop, idle_seconds=0.01))
        pending = select(func.count()).select_from(deliveries).where(deliveries.c.state != "delivered")
        while True:
            async with services.store.read() as conn:
                if (await conn.execute(pending)).scalar_one() == 0:
                    break
            await asyncio.sleep(0.05)
        rate = count / (time.perf_counter() - started)
        stop.set()
        await running
        await dispatcher.close()
        return rate


async def latency(count: int) -> list[float]:
    port, log = free_port(), tempfile.mktemp()
    receiver = start_receiver(port, log)
    try:
        services, account_id = await setup(f"http://127.0.0.1:{port}/hook", 0)
        worker = Worker(services, owner="bench")
        stop = asyncio.Event()
        running = asyncio.create_task(worker.run(stop, idle_seconds=0.5))
        sent: dict[str, float] = {}
        for i in range(count):
            number = f"SANDBOX-InfoReceived-{i}"
            sent[number.upper()] = time.time()
            await register(services, account_id, [RegisterItem(number=number)])
            await asyncio.sleep(0.02)
        deadline = time.monotonic() + 30
        while len(received(log)) < count and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
        stop.set()
        worker.wake()
        await running
        async with services.store.read() as conn:
            by_message = dict(
                (await conn.execute(select(deliveries.c.message_id, deliveries.c.number))).all()
            )
        await worker.close()
        await services.store.close()
        return [at - sent[by_message[message]] for at, message in received(log) if message in by_message]
    finally:
        receiver.terminate()
        receiver.wait()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--latency", type=int, default=300)
    args = parser.parse_args()
    signed, plain, looped = [], [], []
    for run in range(args.runs):
        s, p = uvloop.run(throughput(args.messages))
        signed.append(s)
        plain.append(p)
        looped.append(uvloop.run(loop_throughput(args.messages)))
        print(
            f"run {run + 1}: {s:.0f} signed deliveries/s, {p:.0f} plain POSTs/s, "
            f"{looped[-1]:.0f} deliveries/s through the delivery loop",
            flush=True,
        )
    waits = uvloop.run(latency(args.latency))
    ordered = sorted(waits)
    ratios = [s / p for s, p in zip(signed, plain, strict=True)]
    print("| measure | median | min - max |")
    print("|---|---|---|")
    for label, values in (
        ("signed deliveries/s (dispatcher)", signed),
        ("signed deliveries/s (the delivery loop, as serve runs it)", looped),
        ("plain POSTs/s (baseline)", plain),
    ):
        print(f"| {label} | {statistics.median(values):.0f} | {min(values):.0f} - {max(values):.0f} |")
    print(
        f"| dispatcher / baseline | {statistics.median(ratios):.2f} | {min(ratios):.2f} - {max(ratios):.2f} |"
    )
    p50, p99 = ordered[len(ordered) // 2], ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    label = f"change -> receiver latency p50 / p99, ms ({len(waits)} pushes)"
    print(f"| {label} | {p50 * 1000:.0f} / {p99 * 1000:.0f} | |")


if __name__ == "__main__":
    main()
