"""Scale mode on PostgreSQL: register throughput through 2 API processes, polls/s with 1 and 2
worker processes, and read latency at 1,000,000 trackings.

    python benchmarks/pg_bench.py [--pg postgresql://127.0.0.1:5432/test] [--runs 3]
        [--seconds 10] [--polls 20000] [--rows 1000000] [--requests 300]

Creates (and drops) a database `parceltrace_bench` beside the one given.

register: `serve --no-worker` twice (ports A and B) on PostgreSQL, the load generator of
register_bench.py driving both at once (half the connections each); same-run baseline: the
no-op route of the same two processes.
polls/s: N sandbox numbers registered, then `parceltrace worker` processes started; timed
from the first completed poll to the last first poll (process start-up excluded). Baseline in
the same run: 1 worker.
reads: the trackings table filled to N rows for one account (SQL, with realistic statuses,
times and a stored result on every row), then one API process answers sequential requests:
gettracklist filtered by package_status (and by register-time range), gettrackinfo for 40
random numbers; p50/p99 of each.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import uvloop
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loadgen import LoadResult, _run
from register_bench import BATCH, create_key, free_port, register_body, start_server

BIN = Path(sys.executable).parent / "parceltrace"
SECRET = "rKmOr5EvrAz3IgtC7h4ooGFDTEOl7oMnqWUHcw-dwEw="
STATUSES = ("Delivered", "InTransit", "NotFound", "InfoReceived", "OutForDelivery", "Exception", "Expired")


def plain(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def fresh_database(base: str, name: str = "parceltrace_bench") -> str:
    connection = await asyncpg.connect(plain(base))
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    subprocess.run([str(BIN), "migrate", "--db", url], check=True, capture_output=True)
    return url


async def sql(url: str, statement: str, *args: object) -> object:
    connection = await asyncpg.connect(plain(url))
    try:
        return await connection.fetchval(statement, *args)
    finally:
        await connection.close()


# ---------------------------------------------------------------- register through 2 APIs


def shifted(body: Any, offset: int) -> Any:
    """The body factory for another server's connections: numbers never repeat across servers."""
    return lambda connection, request: body(connection + offset, request)


async def _both(
    ports: list[int], path: str, key: str, run: int, connections: int, seconds: float
) -> LoadResult:
    body = register_body(run)
    half = connections // len(ports)
    results = await asyncio.gather(
        *(
            _run("127.0.0.1", port, path, {"17token": key}, shifted(body, i * half), half, seconds)
            for i, port in enumerate(ports)
        )
    )
    total = LoadResult(seconds=max(r.seconds for r in results))
    for result in results:
        total.requests += result.requests
        total.latencies += result.latencies
        for status, count in result.statuses.items():
            total.statuses[status] = total.statuses.get(status, 0) + count
    return total


def register_runs(base: str, runs: int, seconds: float, connections: int) -> list[tuple[float, float]]:
    rows = []
    for run in range(runs):
        db = asyncio.run(fresh_database(base))
        key = create_key(db)
        ports = [free_port(), free_port()]
        servers = [start_server(db, port, "--no-worker") for port in ports]
        try:
            noop = uvloop.run(_both(ports, "/bench/noop", key, run, connections, seconds))
            register = uvloop.run(_both(ports, "/track/v2.2/register", key, run, connections, seconds))
        finally:
            for server in servers:
                server.terminate()
                server.wait(timeout=10)
        stored = asyncio.run(sql(db, "SELECT count(*) FROM trackings"))
        assert stored == register.statuses.get(200, 0) * BATCH, (stored, register.statuses)
        rows.append((noop.rate, register.rate))
        print(
            f"register run {run + 1}: no-op {noop.rate:.0f} req/s, register {register.rate:.0f} req/s = "
            f"{register.rate * BATCH:.0f} numbers/s, p99 {register.percentile(0.99) * 1000:.0f} ms",
            flush=True,
        )
    return rows


# ---------------------------------------------------------------- polls with 1 and 2 workers


def timed_first_polls(base: str, count: int, workers: int) -> float:
    db = asyncio.run(fresh_database(base))
    key = create_key(db)
    port = free_port()
    server = start_server(db, port, "--no-worker")
    try:
        with httpx.Client(timeout=60) as http:
            for first in range(0, count, 40):
                items = [
                    {"number": f"SANDBOX-Delivered-Other-{i}"} for i in range(first, min(first + 40, count))
                ]
                http.post(
                    f"http://127.0.0.1:{port}/track/v2.2/register", headers={"17token": key}, json=items
                )
    finally:
        server.terminate()
        server.wait(timeout=10)
    env = {**os.environ, "PARCELTRACE_DB": db}
    processes = [
        subprocess.Popen([str(BIN), "worker", "--concurrency", "200"], env=env, stderr=subprocess.DEVNULL)
        for _ in range(workers)
    ]
    unpolled = "SELECT count(*) FROM trackings WHERE poll_count = 0"
    try:
        while (left := asyncio.run(sql(db, unpolled))) == count:  # the workers are starting
            time.sleep(0.05)
        started, first_left = time.perf_counter(), int(left)  # type: ignore[call-overload]
        while asyncio.run(sql(db, unpolled)):
            time.sleep(0.05)
        elapsed = time.perf_counter() - started
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)
    return first_left / elapsed


# ---------------------------------------------------------------- reads at 1,000,000 trackings

FILL = """
INSERT INTO trackings (account_id, number, carrier, origin, register_time, package_status,
                       tracking_status, data_origin, track_time, latest_event_time, source_data,
                       awaiting_result, next_poll_at)
SELECT $1,
       'RB' || lpad(g::text, 9, '0') || 'GB',
       11031, 1,
       timestamp '2026-01-01' + (g % 8640) * interval '1 hour',
       ($2::text[])[1 + g % 7],
       CASE WHEN g % 5 = 0 THEN 'Stopped' ELSE 'Tracking' END,
       'Api',
       timestamp '2026-06-01' + (g % 1000) * interval '1 minute',
       timestamp '2026-05-30' + (g % 1000) * interval '1 minute',
       $3, false,
       timestamp '2026-06-02' + (g % 1000) * interval '1 minute'
FROM generate_series($4::int, $5::int) AS g
"""


async def fill(db: str, account_id: int, rows: int, sample: str) -> None:
    connection = await asyncpg.connect(plain(db))
    try:
        for first in range(0, rows, 100_000):
            last = min(first + 100_000, rows) - 1
            await connection.execute(FILL, account_id, list(STATUSES), sample, first, last)
        await connection.execute("VACUUM ANALYZE trackings")
    finally:
        await connection.close()


def sample_result(db: str, key: str) -> str:
    """A real stored result (a delivered sandbox journey), copied onto every filled row."""
    port = free_port()
    server = start_server(db, port)
    try:
        httpx.post(
            f"http://127.0.0.1:{port}/track/v2.2/register",
            headers={"17token": key},
            json=[{"number": "SANDBOX-Delivered-Other-1"}],
        )
        httpx.post(
            f"http://127.0.0.1:{port}/sandbox/clock/advance",
            headers={"17token": key},
            json={"seconds": 864000},
            timeout=60,
        )
        result = asyncio.run(
            sql(db, "SELECT source_data FROM trackings WHERE source_data IS NOT NULL LIMIT 1")
        )
        asyncio.run(sql(db, "DELETE FROM trackings"))
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert isinstance(result, str)
    return result


def percentiles(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]


def read_latencies(base: str, rows: int, requests: int) -> dict[str, tuple[float, float]]:
    db = asyncio.run(fresh_database(base))
    key = create_key(db)
    sample = sample_result(db, key)
    account_id = asyncio.run(sql(db, "SELECT id FROM accounts WHERE name = 'bench'"))
    started = time.perf_counter()
    asyncio.run(fill(db, int(account_id), rows, sample))  # type: ignore[call-overload]
    print(f"filled {rows} trackings in {time.perf_counter() - started:.0f} s", flush=True)
    port = free_port()
    server = start_server(db, port, "--no-worker")
    queries = {
        "gettracklist package_status=Delivered": lambda r: {
            "package_status": "Delivered",
            "page_no": 1 + r.randrange(50),
        },
        "gettracklist Delivered + register_time range": lambda r: {
            "package_status": "Delivered",
            "register_time_from": "2026-03-01",
            "register_time_to": "2026-04-01",
        },
        "gettracklist tracking_status=Stopped, TrackTimeDesc": lambda r: {
            "tracking_status": "Stopped",
            "order_by": "TrackTimeDesc",
        },
    }
    out: dict[str, tuple[float, float]] = {}
    try:
        rng = random.Random(7)
        with httpx.Client(timeout=30, headers={"17token": key}) as http:
            base_url = f"http://127.0.0.1:{port}/track/v2.2"
            for name, make in queries.items():
                times = []
                for _ in range(requests):
                    body = make(rng)
                    t = time.perf_counter()
                    response = http.post(f"{base_url}/gettracklist", json=body)
                    times.append((time.perf_counter() - t) * 1000)
                    assert response.status_code == 200 and response.json()["data"]["accepted"], response.text[
                        :300
                    ]
                out[name] = percentiles(times)
            times = []
            for _ in range(requests):
                numbers = [f"RB{rng.randrange(rows):09d}GB" for _ in range(40)]
                t = time.perf_counter()
                response = http.post(f"{base_url}/gettrackinfo", json=[{"number": n} for n in numbers])
                times.append((time.perf_counter() - t) * 1000)
                assert len(response.json()["data"]["accepted"]) == 40, response.text[:300]
            out["gettrackinfo, 40 numbers"] = percentiles(times)
            times = []
            for _ in range(requests):
                t = time.perf_counter()
                http.get(f"http://127.0.0.1:{port}/healthz")
                times.append((time.perf_counter() - t) * 1000)
            out["healthz (baseline)"] = percentiles(times)
    finally:
        server.terminate()
        server.wait(timeout=10)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--pg", default=os.environ.get("PARCELTRACE_TEST_PG", "postgresql://127.0.0.1:5432/test")
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--polls", type=int, default=20_000)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--only", choices=["register", "polls", "reads"], action="append")
    args = parser.parse_args()
    os.environ.setdefault("PARCELTRACE_SECRET", SECRET)
    only = set(args.only or ["register", "polls", "reads"])
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    if "register" in only:
        rows = register_runs(args.pg, args.runs, args.seconds, args.connections)
        noop = statistics.median(r[0] for r in rows)
        reg = statistics.median(r[1] for r in rows)
        print(
            f"| register, 2 API processes, numbers/s | {reg * BATCH:.0f} "
            f"({min(r[1] for r in rows) * BATCH:.0f} - {max(r[1] for r in rows) * BATCH:.0f}) |\n"
            f"| no-op route, 2 processes, requests/s | {noop:.0f} | ratio register/no-op "
            f"{statistics.median(r[1] / r[0] for r in rows):.2f} |"
        )
    if "polls" in only:
        one, two = [], []
        for run in range(args.runs):
            one.append(timed_first_polls(args.pg, args.polls, 1))
            two.append(timed_first_polls(args.pg, args.polls, 2))
            print(f"polls run {run + 1}: 1 worker {one[-1]:.0f}/s, 2 workers {two[-1]:.0f}/s", flush=True)
        print(
            f"| polls/s, 1 worker | {statistics.median(one):.0f} ({min(one):.0f} - {max(one):.0f}) |\n"
            f"| polls/s, 2 workers | {statistics.median(two):.0f} ({min(two):.0f} - {max(two):.0f}) |"
        )
    if "reads" in only:
        results = read_latencies(args.pg, args.rows, args.requests)
        print(f"| request at {args.rows} trackings | p50 ms | p99 ms |")
        print("|---|---|---|")
        for name, (p50, p99) in results.items():
            print(f"| {name} | {p50:.1f} | {p99:.1f} |")
    print(json.dumps({"args": vars(args)}))


if __name__ == "__main__":
    main()
