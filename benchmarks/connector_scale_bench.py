"""Polls per second through one carrier connector in scale mode: `parceltrace worker` processes
on PostgreSQL share the polls of one connector (DHL, one number a call), against the stand-in of
connector_bench.py answering after 50 ms.

    python benchmarks/connector_scale_bench.py [--pg postgresql://127.0.0.1:5432/test]
        [--runs 2] [--polls 3000] [--workers 1 2]

Each run: a fresh database (pg_bench.py's `parceltrace_bench`), N live DHL trackings registered,
the connector configured with the CLI (`connectors add dhl_universal --base-url STAND-IN
--max-rate 100000/1`), then the worker processes started; timed from the first completed poll to
the last first poll (start-up excluded), as pg_bench.py times the sandbox's polls. The machine's
CPU use over that time is read from /proc/stat (both cores: workers, stand-in, PostgreSQL).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from connector_bench import CARRIERS, START, start_standin
from pg_bench import BIN, SECRET, fresh_database, sql

from parceltrace.clock import FixedClock
from parceltrace.protocol.structs import RegisterItem
from parceltrace.service.accounts import AccountSettings, create_account
from parceltrace.service.context import Services
from parceltrace.service.register import register
from parceltrace.sources.connectors.calls import LOOPBACK_ONLY_ENV
from parceltrace.store.engine import Store

NAME = "dhl_universal"


async def registered(db: str, count: int) -> None:
    carrier, _, pattern = CARRIERS[NAME]
    clock = FixedClock(START)
    services = Services(Store(db), clock, sandbox=False)
    account, _ = await create_account(services, "bench", AccountSettings(quota_total=10**9))
    for start in range(0, count, 40):
        items = [
            RegisterItem(number=pattern.format(i), carrier=carrier)
            for i in range(start, min(start + 40, count))
        ]
        await register(services, account.id, items)
    await services.close()


def busy_share() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine so far."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def polls_per_second(base: str, standin: str, count: int, workers: int) -> tuple[float, float]:
    db = asyncio.run(fresh_database(base))
    asyncio.run(registered(db, count))
    _, credentials, _ = CARRIERS[NAME]
    pairs = [arg for field, value in credentials.items() for arg in ("-c", f"{field}={value}")]
    add = [str(BIN), "connectors", "add", NAME, *pairs, "--base-url", standin, "--max-rate", "100000/1"]
    subprocess.run([*add, "--db", db], check=True, capture_output=True)
    env = {**os.environ, "PARCELTRACE_DB": db, LOOPBACK_ONLY_ENV: "1"}
    processes = [
        subprocess.Popen(
            [str(BIN), "worker", "--live", "--concurrency", "200"], env=env, stderr=subprocess.DEVNULL
        )
        for _ in range(workers)
    ]
    unpolled = "SELECT count(*) FROM trackings WHERE poll_count = 0"
    try:
        deadline = time.monotonic() + 120
        while (left := asyncio.run(sql(db, unpolled))) == count:  # the workers are starting
            if time.monotonic() > deadline:
                raise SystemExit("no poll in 120 s: is the connector configured?")
            time.sleep(0.05)
        started, first_left, cpu_before = time.perf_counter(), int(left), busy_share()  # type: ignore[call-overload]
        while asyncio.run(sql(db, unpolled)):
            time.sleep(0.05)
        elapsed, cpu_after = time.perf_counter() - started, busy_share()
        failed = asyncio.run(sql(db, "SELECT count(*) FROM trackings WHERE latest_sync_status <> 'Success'"))
        assert failed == 0, f"{failed} polls failed"
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)
    busy = (cpu_after[0] - cpu_before[0]) / max(1, cpu_after[1] - cpu_before[1])
    return first_left / elapsed, busy


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pg", default="postgresql://127.0.0.1:5432/test")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--polls", type=int, default=3000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--delay", type=float, default=0.05)
    args = parser.parse_args()
    os.environ.setdefault("PARCELTRACE_SECRET", SECRET)
    process, url = start_standin(NAME, args.delay)
    rows: dict[int, list[tuple[float, float]]] = {n: [] for n in args.workers}
    try:
        for run in range(args.runs):
            for workers in args.workers:
                rows[workers].append(polls_per_second(args.pg, url, args.polls, workers))
                print(f"run {run + 1}, {workers} worker(s): {rows[workers][-1][0]:.0f} polls/s", flush=True)
    finally:
        process.terminate()
        process.wait(10)
    print(f"\n{args.polls} DHL trackings, the carrier answers after {args.delay * 1000:.0f} ms\n")
    print("| worker processes | polls/s median | min - max | machine CPU busy (2 cores) |")
    print("|---|---|---|---|")
    for workers, values in rows.items():
        rates = [v[0] for v in values]
        print(
            f"| {workers} | {statistics.median(rates):.0f} | {min(rates):.0f} - {max(rates):.0f} | "
            f"{statistics.median(v[1] for v in values) * 100:.0f} % |"
        )


if __name__ == "__main__":
    main()
