"""parceltrace against a stateless mock of the same API: Stoplight Prism (npm) serving
parceltrace's own OpenAPI document, with the same register requests and the same load generator.

    python benchmarks/prism_bench.py [--runs 3] [--seconds 10] [--connections 16]

Prism is installed on first use into benchmarks/.prism (npm, from the registry). Each run
measures, one after the other on the same machine: parceltrace's no-op route (the HTTP stack
alone), parceltrace's /register (real work: detection, validation, quota, a durable write), and
Prism's /register (schema validation and a generated example answer, nothing stored).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loadgen import LoadResult, run_load
from register_bench import BATCH, free_port, one_run, register_body

from parceltrace.api.openapi import openapi_document

PRISM_DIR = Path(__file__).resolve().parent / ".prism"
PRISM = PRISM_DIR / "node_modules" / ".bin" / "prism"


def ensure_prism() -> Path:
    if not PRISM.exists():
        npm = shutil.which("npm")
        if npm is None:
            raise SystemExit("npm is needed to install Stoplight Prism (apt-get install npm)")
        print("installing @stoplight/prism-cli into benchmarks/.prism ...", flush=True)
        subprocess.run(
            [npm, "install", "--prefix", str(PRISM_DIR), "--no-audit", "--no-fund", "--loglevel=error",
             "@stoplight/prism-cli@5"],
            check=True,
        )  # fmt: skip
    return PRISM


def prism_version() -> str:
    done = subprocess.run([str(PRISM), "--version"], capture_output=True, text=True, check=False)
    return done.stdout.strip() or "unknown"


def prism_run(run: int, seconds: float, connections: int, spec: Path) -> LoadResult:
    port = free_port()
    process = subprocess.Popen(
        [str(PRISM), "mock", str(spec), "-h", "127.0.0.1", "-p", str(port), "--verboseLevel", "error"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                httpx.post(
                    f"http://127.0.0.1:{port}/track/v2.2/getquota",
                    json=[],
                    headers={"17token": "x"},
                    timeout=1,
                )
                break
            except httpx.TransportError:
                time.sleep(0.2)
        else:
            raise SystemExit("prism did not start")
        return run_load(
            "127.0.0.1",
            port,
            "/track/v2.2/register",
            {"17token": "x"},
            register_body(run),
            connections,
            seconds,
        )  # type: ignore[arg-type]
    finally:
        process.terminate()
        process.wait(timeout=10)


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):,.0f} ({min(values):,.0f}-{max(values):,.0f})"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    ensure_prism()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    node = subprocess.run(["node", "--version"], capture_output=True, text=True, check=False).stdout.strip()
    print(f"prism {prism_version()}, node {node}")
    rows: dict[str, list[tuple[float, float, float]]] = {"noop": [], "register": [], "prism": []}
    with tempfile.TemporaryDirectory() as folder:
        spec = Path(folder) / "openapi.json"
        spec.write_bytes(openapi_document())
        for run in range(args.runs):
            noop, register, _stored, _ = one_run(run, args.seconds, args.connections, wait_for_polls=False)
            prism = prism_run(run, args.seconds, args.connections, spec)
            for name, result in (("noop", noop), ("register", register), ("prism", prism)):
                assert all(200 <= status < 300 for status in result.statuses), (name, result.statuses)
                rows[name].append(
                    (result.rate, result.percentile(0.5) * 1000, result.percentile(0.99) * 1000)
                )
            print(
                f"run {run + 1}: parceltrace no-op {noop.rate:,.0f}/s, "
                f"parceltrace register {register.rate:,.0f}/s, prism register {prism.rate:,.0f}/s",
                flush=True,
            )
    noop_rates = [r[0] for r in rows["noop"]]
    print(
        f"\n{args.runs} runs x {args.seconds:.0f} s, {args.connections} connections, {BATCH} numbers a batch"
    )
    print(
        "| server, route | requests/s median (min-max) | numbers/s | p50 ms | p99 ms | / parceltrace no-op |"
    )
    print("|---|---|---|---|---|---|")
    labels = {
        "noop": "parceltrace, no-op route",
        "register": "parceltrace, /register",
        "prism": "Prism mock, /register",
    }
    for name, label in labels.items():
        rates = [r[0] for r in rows[name]]
        ratios = [rate / base for rate, base in zip(rates, noop_rates, strict=True)]
        numbers = "-" if name == "noop" else f"{statistics.median(rates) * BATCH:,.0f}"
        print(
            f"| {label} | {spread(rates)} | {numbers} | {statistics.median([r[1] for r in rows[name]]):.1f} "
            f"| {statistics.median([r[2] for r in rows[name]]):.1f} | {statistics.median(ratios):.2f} |"
        )


if __name__ == "__main__":
    main()
