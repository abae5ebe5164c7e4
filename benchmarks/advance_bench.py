"""One account's sandbox clock advance beside another account's registrations, on SQLite.

    python benchmarks/advance_bench.py [--runs 3] [--trackings 2000] [--days 30]

Account A has N sandbox trackings and advances its clock by D days (every poll, push and purge
on the way, in windows and batches); meanwhile account B registers one number every 20 ms.
Reported: how long each write transaction held SQLite's single writer during the advance
(the longest, and the 99th percentile), B's registration latency during the advance against
its latency with no advance running (the baseline of the same run), and the advance's time.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from parceltrace.clock import FixedClock
from parceltrace.protocol.structs import RegisterItem
from parceltrace.service.accounts import AccountSettings, create_account
from parceltrace.service.context import Services
from parceltrace.service.register import register
from parceltrace.store.engine import Store
from parceltrace.worker.runner import Worker

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
SCENARIOS = ("Delivered-Other", "InTransit-Arrival", "Exception-Returned", "Expired-Other")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def timed_writes(store: Store, holds: list[float]) -> None:
    """Every write transaction's duration goes to `holds` (the store does the work)."""
    real_write = store.write

    @asynccontextmanager
    async def write() -> AsyncIterator[Any]:
        started = time.perf_counter()
        async with real_write() as conn:
            yield conn
        holds.append(time.perf_counter() - started)

    store.write = write  # type: ignore[method-assign]


async def one_run(count: int, days: int) -> dict[str, float]:
    folder = tempfile.mkdtemp()
    clock = FixedClock(START)
    services = Services(Store(f"sqlite:///{folder}/advance.db"), clock)
    await services.store.migrate()
    a, _ = await create_account(services, "a", AccountSettings(quota_total=10**9))
    b, _ = await create_account(services, "b", AccountSettings(quota_total=10**9))
    for start in range(0, count, 40):
        items = [
            RegisterItem(number=f"SANDBOX-{SCENARIOS[i % len(SCENARIOS)]}-{i}")
            for i in range(start, min(start + 40, count))
        ]
        await register(services, a.id, items)
    worker = Worker(services, owner="bench")
    serial = iter(range(10**9))

    async def registrations(stop: asyncio.Event, latencies: list[float]) -> None:
        while not stop.is_set():
            started = time.perf_counter()
            await register(services, b.id, [RegisterItem(number=f"SANDBOX-InTransit-Arrival-{next(serial)}")])
            latencies.append(time.perf_counter() - started)
            await asyncio.sleep(0.02)

    quiet: list[float] = []
    stop = asyncio.Event()
    task = asyncio.create_task(registrations(stop, quiet))
    await asyncio.sleep(2)
    stop.set()
    await task

    holds: list[float] = []
    timed_writes(services.store, holds)
    busy: list[float] = []
    stop = asyncio.Event()
    task = asyncio.create_task(registrations(stop, busy))
    started = time.perf_counter()
    report = await worker.advance(services.clocks.of(a.id), START + timedelta(days=days))
    elapsed = time.perf_counter() - started
    stop.set()
    await task
    await worker.close()
    await services.close()
    return {
        "advance_s": elapsed,
        "polls": report.polls,
        "hold_max_ms": max(holds) * 1000,
        "hold_p99_ms": percentile(holds, 0.99) * 1000,
        "b_quiet_p99_ms": percentile(quiet, 0.99) * 1000,
        "b_busy_p99_ms": percentile(busy, 0.99) * 1000,
        "b_busy_max_ms": max(busy) * 1000,
        "b_registrations": len(busy),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--trackings", type=int, default=2000)
    parser.add_argument("--days", type=int, default=30)
    args = parser.parse_args()
    runs = []
    for run in range(args.runs):
        runs.append(asyncio.run(one_run(args.trackings, args.days)))
        print(f"run {run + 1}: " + ", ".join(f"{k} {v:.1f}" for k, v in runs[-1].items()), flush=True)
    print(f"\n{args.trackings} trackings of account A, advanced {args.days} days; B registers every 20 ms\n")
    print("| measure | median | min - max |")
    print("|---|---|---|")
    for key in runs[0]:
        values = [r[key] for r in runs]
        print(f"| {key} | {statistics.median(values):.1f} | {min(values):.1f} - {max(values):.1f} |")


if __name__ == "__main__":
    main()
