"""Dashboard server time on SQLite: the list page's first page over N trackings.

    python benchmarks/dashboard_bench.py [--runs 3] [--trackings 10000] [--requests 60]

N sandbox trackings are registered and advanced 5 days on the sandbox clock (so rows carry
real results, in all kinds of statuses), then a signed-in session requests each page through
the ASGI app in the same process: the time measured is the server's (routing, session, queries,
templates), no network. Baseline in the same run: GET /healthz through the same path.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

import httpx

from parceltrace.clock import FixedClock
from parceltrace.runtime.server import create_app
from parceltrace.service.context import Services
from parceltrace.worker.runner import Worker

sys.path.insert(0, str(Path(__file__).resolve().parent))
from engine_bench import populated as engine_populated

PAGES = {
    "healthz (baseline)": "/healthz",
    "list, first page": "/dashboard/trackings",
    "list, status filter": "/dashboard/trackings?status=Delivered",
    "list, number search": "/dashboard/trackings?q=SANDBOX-DELIVERED-OTHER-12",
    "list, page 100": "/dashboard/trackings?page=100",
    "tracking detail": "/dashboard/trackings/{id}",
}


async def populated(count: int) -> tuple[Services, FixedClock, str]:
    """engine_bench's trackings, then 5 sandbox days lived, so rows carry real results."""
    services, clock, key = await engine_populated(count)
    worker = Worker(services, owner="bench")
    await worker.advance(clock, clock.now() + timedelta(days=5))
    await worker.close()
    return services, clock, key


async def signed_in(http: httpx.AsyncClient, key: str) -> None:
    form = await http.get("/dashboard/login")
    token = re.search(r'name="login_token" value="([^"]+)"', form.text)
    assert token
    response = await http.post("/dashboard/login", data={"login_token": token.group(1), "key": key})
    assert response.status_code == 303, response.text


async def one_run(count: int, requests: int) -> dict[str, list[float]]:
    services, clock, key = await populated(count)
    app = create_app(services, clock=clock)
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 40000))
    timings: dict[str, list[float]] = {name: [] for name in PAGES}
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
        await signed_in(http, key)
        listing = await http.get("/dashboard/trackings")
        first_id = re.search(r'href="/dashboard/trackings/(\d+)"', listing.text)
        assert first_id and f"{count} trackings" in listing.text, listing.text[:500]
        for _ in range(requests):
            for name, path in PAGES.items():
                url = path.format(id=first_id.group(1) if first_id else 1)
                started = time.perf_counter()
                response = await http.get(url)
                timings[name].append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, (url, response.status_code)
    await services.store.close()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--trackings", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=60)
    args = parser.parse_args()
    medians: dict[str, list[float]] = {name: [] for name in PAGES}
    p95s: dict[str, list[float]] = {name: [] for name in PAGES}
    for run in range(args.runs):
        timings = asyncio.run(one_run(args.trackings, args.requests))
        for name, values in timings.items():
            medians[name].append(statistics.median(values))
            p95s[name].append(statistics.quantiles(values, n=20)[18])
        summary = ", ".join(f"{n} {statistics.median(v):.1f} ms" for n, v in timings.items())
        print(f"run {run + 1}: {summary}")
    baseline = statistics.median(medians["healthz (baseline)"])
    print(f"\n{args.trackings} trackings, {args.requests} requests per page per run, {args.runs} runs")
    print("| page | median ms (min-max of run medians) | p95 ms (median of runs) | / healthz |")
    print("|---|---|---|---|")
    for name in PAGES:
        median = statistics.median(medians[name])
        spread = f"{min(medians[name]):.1f}-{max(medians[name]):.1f}"
        ratio = median / baseline
        print(f"| {name} | {median:.1f} ({spread}) | {statistics.median(p95s[name]):.1f} | {ratio:.1f}x |")


if __name__ == "__main__":
    main()
