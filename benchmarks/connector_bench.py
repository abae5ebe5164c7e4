"""Polls per second through one carrier connector (karrio) against a stand-in of the carrier's
API that answers after 50 ms, beside the sandbox simulator's polls/s in the same run.

    python benchmarks/connector_bench.py [--runs 3] [--polls 3000] [--threads 32] [--delay 0.05]

Each run: N live trackings of the carrier registered on a fresh SQLite store, then every due
poll run by the embedded worker's poll step (`Worker.poll`: batches of 200, one per lane), as
`serve --live` runs it. Two carriers: DHL (one HTTP call per number, the common case) and FedEx
(30 numbers per call); DHL also with one lane, the worker before live mode had two. The stand-in
runs in its own process, so it does not share this process's core time.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx

from parceltrace.clock import FixedClock
from parceltrace.protocol.structs import RegisterItem
from parceltrace.service.accounts import AccountSettings, create_account
from parceltrace.service.context import Services
from parceltrace.service.register import register
from parceltrace.sources.connectors import calls
from parceltrace.sources.connectors.catalog import BY_NAME, Pace
from parceltrace.sources.connectors.source import DEFAULT_THREADS, CarrierConnector, ConnectorSource
from parceltrace.store.engine import Store
from parceltrace.worker.runner import LIVE_POLL_LANES, Worker

HERE = Path(__file__).resolve().parent
# Every poll is a first poll (nothing cached); CPU is this process's (user + system) and the
# stand-in's, per poll, read from /proc: on this 2-core machine CPU, not concurrency, is the limit.
START = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
CARRIERS = {
    "dhl_universal": (7041, {"consumer_key": "dhl-key", "consumer_secret": "dhl-secret"}, "JJD{:014d}"),
    "fedex": (100003, {"track_api_key": "fedex-key", "track_secret_key": "fedex-secret"}, "79{:010d}"),
}


TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (/proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_standin(carrier: str, delay: float) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            str(HERE / "carrier_standin.py"),
            "--carrier",
            carrier,
            "--port",
            str(port),
            "--delay",
            str(delay),
        ]
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=1)
            return process, url
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("the stand-in did not start")


async def populated(count: int, sandbox: bool, carrier: int, pattern: str) -> tuple[Services, FixedClock]:
    folder = tempfile.mkdtemp()
    clock = FixedClock(START)
    services = Services(Store(f"sqlite:///{folder}/bench.db"), clock, sandbox=sandbox)
    await services.store.migrate()
    account, _ = await create_account(services, "bench", AccountSettings(quota_total=10**9))
    for start in range(0, count, 40):
        items = [
            RegisterItem(number=pattern.format(i), carrier=carrier)
            for i in range(start, min(start + 40, count))
        ]
        await register(services, account.id, items)
    return services, clock


async def polls_per_second(
    count: int, name: str | None, url: str, threads: int, standin_pid: int = 0, lanes: int | None = None
) -> tuple[float, float, float]:
    """(polls/s, CPU ms per poll in parceltrace and karrio, CPU ms per poll in the stand-in)."""
    carrier, credentials, pattern = CARRIERS[name or "dhl_universal"]
    services, clock = await populated(count, name is None, carrier, pattern)
    connector = None
    if name is not None:
        spec = BY_NAME[name]
        connector = CarrierConnector(
            spec,
            calls.Connection(name, credentials, url),
            pace=Pace(100_000, 1),
            threads=threads,
        )
        services.sources.use_connectors(ConnectorSource({code: connector for code in spec.carriers}))
    if connector is not None:  # karrio loads its plugins before the clock starts
        await connector.lookup(pattern.format(count + 1))
    worker = Worker(services, "bench", batch_size=200, poll_lanes=lanes)
    cpu_before = cpu_seconds(os.getpid())
    standin_before = cpu_seconds(standin_pid) if standin_pid else 0.0
    started = time.perf_counter()
    done = failed = 0
    while batch := await worker.poll(clock.now()):
        done += len(batch)
        failed += sum(1 for result in batch if not result.changed)
    elapsed = time.perf_counter() - started
    ours = (cpu_seconds(os.getpid()) - cpu_before) / count * 1000
    theirs = ((cpu_seconds(standin_pid) - standin_before) if standin_pid else 0.0) / count * 1000
    if connector is not None:
        connector.close()
    await services.close()
    assert done == count and failed == 0, f"{failed} of {done} polls did not get a result"
    return done / elapsed, ours, theirs


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--polls", type=int, default=3000)
    parser.add_argument("--threads", type=int, default=DEFAULT_THREADS)
    parser.add_argument("--delay", type=float, default=0.05)
    args = parser.parse_args()
    calls.prepare_karrio(loopback_only=True)
    rows: dict[str, list[tuple[float, float, float]]] = {
        "simulator": [],
        "dhl_one_lane": [],
        "dhl_universal": [],
        "fedex": [],
    }
    standins = {name: start_standin(name, args.delay) for name in ("dhl_universal", "fedex")}
    try:
        for run in range(args.runs):
            rows["simulator"].append(asyncio.run(polls_per_second(args.polls, None, "", args.threads)))
            process, url = standins["dhl_universal"]
            rows["dhl_one_lane"].append(
                asyncio.run(polls_per_second(args.polls, "dhl_universal", url, args.threads, process.pid, 1))
            )
            for name, (process, url) in standins.items():
                rows[name].append(
                    asyncio.run(polls_per_second(args.polls, name, url, args.threads, process.pid))
                )
            print(
                f"run {run + 1}: " + ", ".join(f"{k} {v[-1][0]:.0f} polls/s" for k, v in rows.items()),
                flush=True,
            )
    finally:
        for process, _ in standins.values():
            process.terminate()
            process.wait(10)
    print(f"\n{args.polls} trackings, the carrier answers after {args.delay * 1000:.0f} ms, "
          f"{args.threads} threads per connector, {LIVE_POLL_LANES} poll lanes\n")  # fmt: skip
    print(
        "| source | polls/s median | min - max | CPU ms/poll, parceltrace + karrio | CPU ms/poll, stand-in |"
    )
    print("|---|---|---|---|---|")
    labels = {
        "simulator": "sandbox simulator (baseline, same run)",
        "dhl_one_lane": "DHL connector, one poll lane (as before)",
        "dhl_universal": "DHL connector (one call per number)",
        "fedex": "FedEx connector (30 numbers per call)",
    }
    for key, values in rows.items():
        rates = [v[0] for v in values]
        print(
            f"| {labels[key]} | {statistics.median(rates):.0f} | {min(rates):.0f} - {max(rates):.0f} | "
            f"{statistics.median(v[1] for v in values):.2f} | {statistics.median(v[2] for v in values):.2f} |"
        )


if __name__ == "__main__":
    main()
