"""The noisy neighbour: a healthy account's registration-to-push latency with and without
another account whose webhook receiver accepts connections and never answers, same run.

    python benchmarks/neighbour_bench.py [--runs 3] [--numbers 100] [--dead 400]

Each run: a fresh SQLite file, the worker loop running on the real clock (as `parceltrace
serve` runs it), account B registering `--numbers` sandbox numbers at ~20/s to a healthy
receiver on 127.0.0.1 (in this process), from registration to the moment its first push
arrives. "beside a dead receiver": account A first registers `--dead` numbers whose pushes go
to a receiver that never answers (every attempt waits for the 15 s timeout). Medians of the
runs' p50 and p99, and the ratio with/without, are printed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import uvloop

from parceltrace.clock import SystemClock
from parceltrace.protocol.structs import RegisterItem
from parceltrace.service.accounts import AccountSettings, create_account
from parceltrace.service.context import Services
from parceltrace.service.register import register
from parceltrace.store.engine import Store
from parceltrace.worker.runner import Worker


class Healthy:
    def __init__(self) -> None:
        self.arrived: dict[str, float] = {}
        self.port = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = next(
                    int(line.split(b":", 1)[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length:")
                )
                body = await reader.readexactly(length)
                number = json.loads(body)["data"]["number"]
                self.arrived.setdefault(number, time.monotonic())
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, StopIteration):
            pass
        finally:
            writer.close()


async def dead(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        await asyncio.sleep(3600)
    except asyncio.CancelledError:
        pass
    finally:
        writer.close()


@asynccontextmanager
async def serving(handler: object) -> AsyncIterator[int]:
    server = await asyncio.start_server(handler, "127.0.0.1", 0)  # type: ignore[arg-type]
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        server.close()


async def one_run(numbers: int, dead_numbers: int) -> list[float]:
    folder = tempfile.mkdtemp()
    services = Services(Store(f"sqlite:///{folder}/neighbour.db"), SystemClock())
    await services.store.migrate()
    healthy = Healthy()
    async with serving(healthy.handle) as healthy_port, serving(dead) as dead_port:
        settings = {"quota_total": 10**9, "rate_limit": 0}
        b, _ = await create_account(
            services,
            "b",
            AccountSettings(**settings, webhook_url=f"http://127.0.0.1:{healthy_port}/hook"),
        )
        worker = Worker(services, owner="bench")
        stop = asyncio.Event()
        running = asyncio.create_task(worker.run(stop, idle_seconds=0.5))
        if dead_numbers:
            a, _ = await create_account(
                services,
                "a",
                AccountSettings(**settings, webhook_url=f"http://127.0.0.1:{dead_port}/hook"),
            )
            for start in range(0, dead_numbers, 40):
                items = [RegisterItem(number=f"SANDBOX-Delivered-Other-{start + n}") for n in range(40)]
                await register(services, a.id, items)
            await asyncio.sleep(1.0)  # A's attempts are under way and hanging
        sent: dict[str, float] = {}
        for i in range(numbers):
            number = f"SANDBOX-InfoReceived-{i}"
            sent[number.upper()] = time.monotonic()
            await register(services, b.id, [RegisterItem(number=number)])
            await asyncio.sleep(0.05)
        deadline = time.monotonic() + 60
        while len(healthy.arrived) < numbers and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        stop.set()
        worker.wake()
        await running
        await worker.close()
        await services.close()
    return sorted(healthy.arrived[n] - sent[n] for n in sent if n in healthy.arrived) + [
        float("inf") for n in sent if n not in healthy.arrived
    ]


def percentile(ordered: list[float], share: float) -> float:
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--numbers", type=int, default=100)
    parser.add_argument("--dead", type=int, default=400)
    args = parser.parse_args()
    alone: list[tuple[float, float]] = []
    beside: list[tuple[float, float]] = []
    for run in range(args.runs):
        for label, dead_numbers, into in (("alone", 0, alone), ("beside a dead receiver", args.dead, beside)):
            waits = uvloop.run(one_run(args.numbers, dead_numbers))
            p50, p99 = percentile(waits, 0.5), percentile(waits, 0.99)
            into.append((p50, p99))
            print(f"run {run + 1}, {label}: p50 {p50 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms", flush=True)
    print("| healthy account's registration -> push | p50 ms (median) | p99 ms (median) |")
    print("|---|---|---|")
    for label, values in (("alone", alone), (f"beside {args.dead} pushes to a dead receiver", beside)):
        p50 = statistics.median(v[0] for v in values) * 1000
        p99 = statistics.median(v[1] for v in values) * 1000
        print(f"| {label} | {p50:.0f} | {p99:.0f} |")
    ratio50 = statistics.median(b[0] / a[0] for a, b in zip(alone, beside, strict=True))
    ratio99 = statistics.median(b[1] / a[1] for a, b in zip(alone, beside, strict=True))
    print(f"| beside / alone (median of the runs' ratios) | {ratio50:.2f} | {ratio99:.2f} |")


if __name__ == "__main__":
    main()
