"""Importing a CSV of 100,000 numbers through `parceltrace import` into a local server.

    python benchmarks/import_bench.py [--runs 3] [--numbers 100000]

Each run: a fresh SQLite file, `parceltrace serve` (the benchmark app) in a subprocess, an
account without rate limit, a CSV of valid S10 numbers (no carrier: detection runs), then the
CLI as its own process with `--rate-limit 0`. Reports wall time, numbers/s and the CLI's peak
memory (maximum resident set size of the child process). Same-run baseline: the server's no-op
route loaded the way the importer loads it (one connection, one request at a time, bodies of
40 numbers) for 5 s before the import; the ratio compares the importer's request rate with it.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loadgen import run_load
from register_bench import BATCH, create_key, free_port, register_body, s10, start_server

COUNTRIES = ("GB", "US", "CN", "DE", "FR", "JP", "AU", "CA")
"""National posts that need no extra `param` (PostNL does: NL numbers would be rejected)."""

MEASURED_IMPORT = """
import contextlib, io, resource, sys
from parceltrace.cli.main import app
with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
    app(["import", sys.argv[1], "--rate-limit", "0"])
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""
"""`parceltrace import`, run as its own process that reports its own peak memory (KiB)."""


def write_csv(path: Path, count: int, run: int) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["number", "tag"])
        for i in range(count):
            serial = (run * 10_000_000 + i) % 100_000_000
            writer.writerow([s10(serial, COUNTRIES[i % len(COUNTRIES)]), f"order-{i}"])


def one_run(run: int, count: int) -> tuple[float, int, int, float]:
    with tempfile.TemporaryDirectory() as folder:
        db = f"sqlite:///{folder}/import.db"
        key = create_key(db)
        port = free_port()
        server = start_server(db, port)
        try:
            noop = run_load("127.0.0.1", port, "/bench/noop", {"17token": key}, register_body(run), 1, 5.0)  # type: ignore[arg-type]
            path = Path(folder) / "numbers.csv"
            write_csv(path, count, run)
            env = {
                **os.environ,
                "PARCELTRACE_URL": f"http://127.0.0.1:{port}/track/v2.2",
                "PARCELTRACE_KEY": key,
            }
            started = time.perf_counter()
            measured = subprocess.run(
                [sys.executable, "-c", MEASURED_IMPORT, str(path)],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            elapsed = time.perf_counter() - started
            peak_kb = int(measured.stdout.strip().splitlines()[-1])
            used = httpx.post(
                f"http://127.0.0.1:{port}/track/v2.2/getquota", json=[], headers={"17token": key}
            ).json()
        finally:
            server.terminate()
            server.wait(timeout=10)
    return elapsed, int(used["data"]["quota_used"]), peak_kb, noop.rate


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--numbers", type=int, default=100_000)
    args = parser.parse_args()
    times, peaks, ratios = [], [], []
    for run in range(args.runs):
        elapsed, stored, peak_kb, noop_rate = one_run(run, args.numbers)
        assert stored == args.numbers, f"stored {stored} of {args.numbers}"
        times.append(elapsed)
        peaks.append(peak_kb)
        rate = args.numbers / elapsed
        ratios.append(rate / BATCH / noop_rate)
        print(
            f"run {run + 1}: {elapsed:.1f} s, {rate:.0f} numbers/s, peak RSS {peak_kb / 1024:.0f} MiB; "
            f"no-op route, one connection: {noop_rate:.0f} req/s (import / no-op {ratios[-1]:.2f})",
            flush=True,
        )
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print("| measure | median | min - max |")
    print("|---|---|---|")
    label = f"import {args.numbers} numbers, wall seconds"
    print(f"| {label} | {statistics.median(times):.1f} | {min(times):.1f} - {max(times):.1f} |")
    rates = [args.numbers / t for t in times]
    print(f"| numbers/s | {statistics.median(rates):.0f} | {min(rates):.0f} - {max(rates):.0f} |")
    mid_ratio, low_ratio, high_ratio = statistics.median(ratios), min(ratios), max(ratios)
    print(f"| import requests/s / no-op requests/s | {mid_ratio:.2f} | {low_ratio:.2f} - {high_ratio:.2f} |")
    low, mid, high = min(peaks) / 1024, statistics.median(peaks) / 1024, max(peaks) / 1024
    print(f"| peak RSS of the import process, MiB | {mid:.0f} | {low:.0f} - {high:.0f} |")


if __name__ == "__main__":
    main()
