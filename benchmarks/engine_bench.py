"""Tracking-engine throughput, in one process (one core), on SQLite.

    python benchmarks/engine_bench.py [--runs 3] [--polls 10000] [--advance 10000 100000]

polls/s: N sandbox trackings registered, then every due poll run by one Poller in batches of
200; baseline in the same run: the same poller with a source that returns a fixed empty result
(what storage and scheduling cost without the simulator). advance: N trackings registered, then
the sandbox clock advanced 30 days (every poll, stop and purge on the way).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta

from parceltrace.clock import FixedClock
from parceltrace.protocol.structs import RegisterItem
from parceltrace.service.accounts import AccountSettings, create_account
from parceltrace.service.context import Services
from parceltrace.service.register import register
from parceltrace.sources.base import TrackingRef
from parceltrace.store.engine import Store
from parceltrace.tracking.model import SourceResult
from parceltrace.worker.poller import Poller
from parceltrace.worker.runner import Worker

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
SCENARIOS = (
    "Delivered-Other",
    "InTransit-Arrival",
    "Exception-Returned",
    "OutForDelivery-Other",
    "Expired-Other",
)


class FixedSource:
    name = "fixed"

    async def fetch(self, ref: TrackingRef, now: datetime) -> SourceResult:
        return SourceResult()


async def populated(count: int) -> tuple[Services, FixedClock, str]:
    """A fresh SQLite store with `count` sandbox trackings of one account; and its API key."""
    folder = tempfile.mkdtemp()
    clock = FixedClock(START)
    services = Services(Store(f"sqlite:///{folder}/engine.db"), clock)
    await services.store.migrate()
    account, key = await create_account(services, "bench", AccountSettings(quota_total=10**9))
    for start in range(0, count, 40):
        items = [
            RegisterItem(number=f"SANDBOX-{SCENARIOS[i % len(SCENARIOS)]}-{i}")
            for i in range(start, min(start + 40, count))
        ]
        await register(services, account.id, items)
    return services, clock, key


async def polls_per_second(count: int, baseline: bool) -> float:
    services, clock, _ = await populated(count)
    if baseline:
        services.sources.default = FixedSource()
    poller = Poller(services, "bench", batch_size=200)
    started = time.perf_counter()
    done = 0
    while batch := await poller.poll_batch(clock.now()):
        done += len(batch)
    elapsed = time.perf_counter() - started
    await services.store.close()
    assert done == count
    return done / elapsed


async def advance_seconds(count: int) -> tuple[float, int]:
    services, clock, _ = await populated(count)
    worker = Worker(services, owner="bench", batch_size=1000)
    started = time.perf_counter()
    report = await worker.advance(clock, START + timedelta(days=30))
    elapsed = time.perf_counter() - started
    await services.store.close()
    return elapsed, report.polls


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--polls", type=int, default=10_000)
    parser.add_argument("--advance", type=int, nargs="*", default=[10_000])
    args = parser.parse_args()
    simulator, fixed = [], []
    for run in range(args.runs):
        simulator.append(asyncio.run(polls_per_second(args.polls, baseline=False)))
        fixed.append(asyncio.run(polls_per_second(args.polls, baseline=True)))
        print(
            f"run {run + 1}: {simulator[-1]:.0f} polls/s (simulator), {fixed[-1]:.0f} polls/s (fixed source)",
            flush=True,
        )
    ratios = [s / f for s, f in zip(simulator, fixed, strict=True)]
    print("| measure | median | min - max |")
    print("|---|---|---|")
    for label, values in (
        ("polls/s, one core, sandbox simulator", simulator),
        ("polls/s, one core, fixed-result source (baseline)", fixed),
    ):
        print(f"| {label} | {statistics.median(values):.0f} | {min(values):.0f} - {max(values):.0f} |")
    print(
        f"| simulator / baseline | {statistics.median(ratios):.2f} | {min(ratios):.2f} - {max(ratios):.2f} |"
    )
    for count in args.advance:
        results = [asyncio.run(advance_seconds(count)) for _ in range(args.runs)]
        times = [t for t, _ in results]
        print(
            f"| advance 30 days, {count} trackings, seconds ({results[0][1]} polls) | "
            f"{statistics.median(times):.1f} | {min(times):.1f} - {max(times):.1f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
