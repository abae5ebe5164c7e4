"""Register throughput through HTTP against a real server on SQLite, with a same-run baseline.

    python benchmarks/register_bench.py [--runs 3] [--seconds 10] [--connections 16]

Each run: a fresh SQLite file, a server subprocess (the `parceltrace serve` app plus a no-op
route), then this process loads it: first the no-op route, then /register, both with batches
of 40 unique, valid S10 numbers (no carrier given, so detection runs). With the embedded
worker it then waits until every new tracking has had its first poll and prints how many were
polled during the load and how long the rest took. Prints medians.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loadgen import LoadResult, run_load

COUNTRIES = ("GB", "US", "CN", "DE", "NL", "FR", "JP", "AU")
WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)
BATCH = 40


def s10(serial: int, country: str) -> str:
    digits = f"{serial:08d}"
    remainder = sum(int(d) * w for d, w in zip(digits, WEIGHTS, strict=True)) % 11
    check = {0: 5, 1: 0}.get(remainder, 11 - remainder)
    return f"RB{digits}{check}{country}"


def register_body(run: int) -> object:
    def body(connection: int, request: int) -> bytes:
        base = ((run * 64 + connection) * 100_000 + request) * BATCH
        items = [{"number": s10((base + i) % 100_000_000, COUNTRIES[(base + i) // 100_000_000 % 8])}
                 for i in range(BATCH)]  # fmt: skip
        return json.dumps(items).encode()

    return body


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(db: str, port: int, *extra: str) -> subprocess.Popen[bytes]:
    here = Path(__file__).resolve().parent
    process = subprocess.Popen(
        [sys.executable, str(here / "bench_server.py"), db, str(port), *extra],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("server did not start")


def create_key(db: str) -> str:
    cli = Path(sys.executable).parent / "parceltrace"
    out = subprocess.run(
        [
            str(cli),
            "account",
            "create",
            "bench",
            "--quota",
            "1000000000",
            "--rate-limit",
            "0",
            "--json",
            "--db",
            db,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return str(json.loads(out)["key"])


def polled(path: str) -> tuple[int, int]:
    """(trackings, trackings polled at least once), read from the server's SQLite file."""
    with sqlite3.connect(path, timeout=30) as conn:
        total, done = conn.execute(
            "SELECT count(*), coalesce(sum(poll_count > 0), 0) FROM trackings"
        ).fetchone()
    return int(total), int(done)


def drain(path: str, limit: float = 600.0) -> tuple[int, float]:
    """First polls done when the load stopped, and the seconds the worker took for the rest."""
    started = time.monotonic()
    total, at_end = polled(path)
    done = at_end
    while done < total and time.monotonic() - started < limit:
        time.sleep(0.25)
        total, done = polled(path)
    return at_end, time.monotonic() - started


def one_run(
    run: int, seconds: float, connections: int, extra: tuple[str, ...] = (), wait_for_polls: bool = True
) -> tuple[LoadResult, LoadResult, int, tuple[int, float] | None]:
    with tempfile.TemporaryDirectory() as folder:
        db = f"sqlite:///{folder}/bench.db"
        key = create_key(db)
        port = free_port()
        server = start_server(db, port, *extra)
        try:
            headers = {"17token": key}
            body = register_body(run)
            noop = run_load("127.0.0.1", port, "/bench/noop", headers, body, connections, seconds)  # type: ignore[arg-type]
            register = run_load(
                "127.0.0.1", port, "/track/v2.2/register", headers, body, connections, seconds
            )  # type: ignore[arg-type]
            backlog = drain(f"{folder}/bench.db") if wait_for_polls and "--no-worker" not in extra else None
            quota = httpx.post(
                f"http://127.0.0.1:{port}/track/v2.2/getquota", json=[], headers=headers
            ).json()
        finally:
            server.terminate()
            server.wait(timeout=10)
    return noop, register, int(quota["data"]["quota_used"]), backlog


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--no-worker", action="store_true", help="serve --no-worker: the API alone")
    args = parser.parse_args()
    rows = []
    for run in range(args.runs):
        extra = ("--no-worker",) if args.no_worker else ()
        noop, register, stored, backlog = one_run(run, args.seconds, args.connections, extra)
        numbers = register.rate * BATCH
        ok = register.statuses.get(200, 0)
        assert stored == ok * BATCH, (
            f"stored {stored} numbers, expected {ok * BATCH}: not all were registered"
        )
        rows.append((noop.rate, register.rate, numbers, register.percentile(0.5), register.percentile(0.99)))
        print(
            f"run {run + 1}: no-op {noop.rate:8.1f} req/s | register {register.rate:7.1f} req/s = "
            f"{numbers:8.0f} numbers/s (ratio {register.rate / noop.rate:.2f}) | "
            f"p50 {register.percentile(0.5) * 1000:.1f} ms p99 {register.percentile(0.99) * 1000:.1f} ms",
            flush=True,
        )
        if backlog is not None:
            print(
                f"       first polls done by the end of the load: {backlog[0]} of {stored}; "
                f"the worker polled the rest in {backlog[1]:.1f} s after it",
                flush=True,
            )
    med = [statistics.median(col) for col in zip(*rows, strict=True)]
    lo = [min(col) for col in zip(*rows, strict=True)]
    hi = [max(col) for col in zip(*rows, strict=True)]
    print()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    mode = (
        "serve --no-worker (API only)" if args.no_worker else "serve (embedded worker, giving way to the API)"
    )
    print(
        f"{args.runs} runs x {args.seconds:.0f} s, {args.connections} connections, batches of {BATCH}, {mode}"
    )
    print("| measure | median | min - max |")
    print("|---|---|---|")
    print(f"| no-op route, requests/s | {med[0]:.0f} | {lo[0]:.0f} - {hi[0]:.0f} |")
    print(f"| register, requests/s | {med[1]:.0f} | {lo[1]:.0f} - {hi[1]:.0f} |")
    print(f"| register, numbers/s | {med[2]:.0f} | {lo[2]:.0f} - {hi[2]:.0f} |")
    ratios = [r[1] / r[0] for r in rows]
    mid, low, high = statistics.median(ratios), min(ratios), max(ratios)
    print(f"| register / no-op request rate | {mid:.2f} | {low:.2f} - {high:.2f} |")
    print(f"| register latency p50 / p99, ms | {med[3] * 1000:.1f} / {med[4] * 1000:.1f} | |")


if __name__ == "__main__":
    main()
