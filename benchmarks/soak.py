"""Soak: mixed traffic at a fixed rate against a real `parceltrace serve` for a long time,
with the server's memory and the request latency sampled every minute.

    python benchmarks/soak.py [--minutes 30] [--rate 50] [--json soak.json]

The server is the real CLI (embedded mode: API + poller + dispatcher + janitor, SQLite,
sandbox). The load is open-loop: request i is due at start + i/rate whatever happened before,
and its latency is measured from that due time, so a server that falls behind shows it. The
mix: gettrackinfo 35 %, gettracklist 15 %, getquota 10 %, changeinfo 10 %, register (10 new
numbers) 8 %, stoptrack/retrack 6 %, deletetrack (10 numbers, once the account holds 5,000)
8 %, bad requests (broken JSON, unknown key, unknown path, too many items) 6 %, a sandbox
clock advance of 10 minutes 2 % (exactly: every block of 100 requests holds this mix).

Verdict, over the minutes after warm-up (the first 5): the server's RSS within 10 % of its
minimum (max / min <= 1.10) and no 5xx; and the p99 latency of the API requests within 10 %
across the 5-minute windows, counting the requests the hypervisor did not disturb (no steal
in the seconds they ran and the second before; a window counts if at least half of its
requests are left). Why windows: a minute holds ~2,940 API requests, and their p99 spreads by
x1.20-1.33 over 25 minutes from sampling alone (resampling the soak's own latencies, which the
verdict reports too); five minutes bring that to about x1.03, so a 10 % drift shows. Why
undisturbed: on the shared machine the p99 follows steal (17-21 ms in minutes at 0-0.2 %,
92-222 ms at 10-24 %, 2026-12-02), which is the neighbours, not the server. Every minute is still
printed with its p99 over all requests, and every window with both figures.
The clock advances are the soak's way of making simulated time pass; their latency is the
amount of simulated work due in 10 virtual minutes (an advance does it inside the request,
as documented), so they are reported, and the p99 over every request with them, but the
flatness verdict is on the API's traffic.

The rate is a fixed load well below capacity (a soak looks for drift, not for the limit): at
50 requests/s the server uses about 45 % of one core for this mix on the 2-core machine; at
100/s it used 72-90 % and its tail grew without bound whenever the shared machine slowed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import aiohttp
import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from register_bench import create_key, free_port, s10

WARMUP_MINUTES = 5
WINDOW_MINUTES = 5
MIN_UNDISTURBED = 0.5
"""A window is judged on latency only if at least half its API requests ran undisturbed."""
STEADY_TRACKINGS = 5000
"""Deletions (10 numbers, as often as registrations of 10) keep the account near this size once
it is reached: a soak looks for leaks and drift, not for the cost of a growing table."""
MIX = (
    ("gettrackinfo", 35),
    ("gettracklist", 15),
    ("getquota", 10),
    ("changeinfo", 10),
    ("register", 8),
    ("stop_retrack", 6),
    ("deletetrack", 8),
    ("bad", 6),
    ("advance", 2),
)


@dataclass
class Minute:
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    by_kind: dict[str, list[float]] = field(default_factory=dict)
    rss_mib: float = 0.0
    cpu_share: float = 0.0
    """The server's CPU time in this minute over the minute's length (1.0: one whole core)."""
    advance_polls: int = 0
    """Polls the minute's clock advances did: the simulated work the soak asked for."""
    probe_ms: float = 0.0
    """Median time of the probe's fixed computation in this minute: the machine's speed."""
    steal_share: float = 0.0
    """CPU time the hypervisor gave to other guests, over all cores' time in this minute."""
    api_spans: list[tuple[float, float]] = field(default_factory=list)
    """(due, answered) of each API request, in seconds since the start."""
    undisturbed: list[float] = field(default_factory=list)
    """Latencies of the API requests during which, and in the second before, the hypervisor
    took no CPU time from the machine (filled in at the end of the run)."""


PROBE_EVERY = 1.0


def probe(sink: Connection) -> None:
    """Time the same small computation every second, in a process of its own (in the load
    generator's loop it would delay the requests it measures): on a shared machine the same
    work takes longer when the neighbours are busy, and this shows by how much."""
    while True:
        began = time.perf_counter()
        sum(i * i for i in range(50_000))
        sink.send(time.perf_counter() - began)
        time.sleep(PROBE_EVERY)


def steal_seconds() -> float:
    """Steal time of all CPUs so far (the eighth field of /proc/stat's `cpu` line)."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()
    return int(fields[8]) / os.sysconf("SC_CLK_TCK")


async def sample_steal(started: float, stolen: set[int]) -> None:
    """Every second, note which seconds since `started` the hypervisor took CPU time in."""
    mark, before = time.perf_counter(), steal_seconds()
    while True:
        await asyncio.sleep(1)
        now, after = time.perf_counter(), steal_seconds()
        if after > before:
            stolen.update(range(int(mark - started), int(now - started) + 1))
        mark, before = now, after


def mark_undisturbed(samples: list[Minute], stolen: set[int]) -> None:
    """Keep the latencies of the API requests that no stolen second touched: a stall of the
    whole machine in the second before a request still holds it up through the backlog."""
    for minute in samples:
        minute.undisturbed = [
            done - due
            for due, done in minute.api_spans
            if not any(second in stolen for second in range(int(due) - 1, int(done) + 1))
        ]


class Meters:
    """The server's RSS and CPU time, the machine's steal time and the probe, per minute."""

    def __init__(self, server_pid: int) -> None:
        self.server_pid = server_pid
        self.cpu_mark = cpu_seconds(server_pid)
        self.steal_mark = steal_seconds()
        self.readings, sink = multiprocessing.Pipe(duplex=False)
        self.prober = multiprocessing.Process(target=probe, args=(sink,), daemon=True)
        self.prober.start()

    def read(self, minute: Minute, seconds: float) -> None:
        minute.rss_mib = rss_mib(self.server_pid)
        cpu, steal = cpu_seconds(self.server_pid), steal_seconds()
        minute.cpu_share, self.cpu_mark = (cpu - self.cpu_mark) / seconds, cpu
        minute.steal_share = (steal - self.steal_mark) / seconds / (os.cpu_count() or 1)
        self.steal_mark = steal
        probes = []
        while self.readings.poll():
            probes.append(self.readings.recv())
        minute.probe_ms = statistics.median(probes) * 1000 if probes else 0.0

    def close(self) -> None:
        self.prober.terminate()
        self.prober.join(timeout=5)


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its threads so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def stop_server(server: subprocess.Popen[bytes], grace: float = 30) -> bool:
    """SIGTERM, and SIGKILL if the server has not stopped within `grace` seconds; whether it
    stopped by itself (a server that hangs on shutdown is a finding, and must not be left
    running)."""
    server.terminate()
    try:
        server.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
        return False
    return True


def start_server(db: str, port: int, log: Path) -> subprocess.Popen[bytes]:
    cli = Path(sys.executable).parent / "parceltrace"
    with log.open("wb") as sink:
        process = subprocess.Popen([str(cli), "serve", "--db", db, "--port", str(port)], stderr=sink)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("server did not start")


class Traffic:
    """Builds each request of the mix from what has been registered so far.

    The mix is exact, not drawn: every block of 100 requests holds each kind as often as its
    weight says, in a shuffled order, with the clock advances evenly spaced. Drawn at random,
    a minute held 44 to 77 advances (seed 7), so the simulated work per minute varied by a
    quarter before the server did anything."""

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)
        self.serial = 0
        self.known: list[str] = []
        self.pending: list[str] = []

    def _block(self) -> list[str]:
        others = [kind for kind, weight in MIX if kind != "advance" for _ in range(weight)]
        self.random.shuffle(others)
        advances = dict(MIX)["advance"]
        spacing = len(others) // advances
        block: list[str] = []
        for start in range(0, advances * spacing, spacing):
            block += ["advance", *others[start : start + spacing]]
        return block + others[advances * spacing :]

    def _some(self, count: int) -> list[dict[str, str]]:
        if not self.known:
            return [{"number": "RR123456789CN"}]
        return [{"number": self.random.choice(self.known)} for _ in range(count)]

    def next(self) -> tuple[str, str, str, bytes | None]:
        """(kind, method, path, body) of the next request."""
        if not self.pending:
            self.pending = self._block()[::-1]
        kind = self.pending.pop()
        return (kind, *self._request(kind))

    def _request(self, kind: str) -> tuple[str, str, bytes | None]:
        api = "/track/v2.2/"
        if kind == "register":
            numbers = [s10(self.serial + i, "GB") for i in range(10)]
            self.serial += 10
            self.known.extend(numbers)
            return "POST", api + "register", json.dumps([{"number": n} for n in numbers]).encode()
        if kind == "gettrackinfo":
            return "POST", api + "gettrackinfo", json.dumps(self._some(40)).encode()
        if kind == "gettracklist":
            filters = self.random.choice(
                [
                    {},
                    {"package_status": "Delivered"},
                    {"tracking_status": "Stopped"},
                    {"page_no": 3},
                    {"order_by": "TrackTimeDesc"},
                ]
            )
            return "POST", api + "gettracklist", json.dumps(filters).encode()
        if kind == "getquota":
            return "GET", api + "getquota", None
        if kind == "changeinfo":
            item = self._some(1)[0] | {"items": {"tag": f"t{self.random.randrange(10**6)}"}}
            return "POST", api + "changeinfo", json.dumps([item]).encode()
        if kind == "stop_retrack":
            operation = self.random.choice(["stoptrack", "retrack"])
            return "POST", api + operation, json.dumps(self._some(5)).encode()
        if kind == "deletetrack":
            if len(self.known) > STEADY_TRACKINGS:
                gone = [self.known.pop(self.random.randrange(len(self.known))) for _ in range(10)]
                return "POST", api + "deletetrack", json.dumps([{"number": n} for n in gone]).encode()
            return "POST", api + "deletetrack", json.dumps([{"number": "RB000000000XX"}]).encode()
        if kind == "advance":
            return "POST", "/sandbox/clock/advance", b'{"seconds": 600}'
        return self.random.choice(
            [
                ("POST", api + "register", b'[{"number": '),
                ("POST", api + "nosuch", b"[]"),
                ("POST", api + "gettrackinfo", json.dumps([{"number": "X"}] * 41).encode()),
                ("POST", api + "register", b'{"not": "a list"}'),
                ("POST", api + "register", '[{"number": "\u00e9\u00e9\u00e9\u00e9\u00e9"}]'.encode()),
            ]
        )


async def drive(port: int, key: str, server_pid: int, minutes: float, rate: float) -> list[Minute]:
    traffic = Traffic(seed=7)
    samples: list[Minute] = [Minute()]
    base = f"http://127.0.0.1:{port}"
    headers = {"17token": key, "Content-Type": "application/json"}
    bad_key = {"17token": "0" * 32, "Content-Type": "application/json"}
    limit = asyncio.Semaphore(128)
    started = time.perf_counter()
    end = started + minutes * 60
    tasks: set[asyncio.Task[None]] = set()
    meters = Meters(server_pid)
    stolen: set[int] = set()
    steal_sampler = asyncio.create_task(sample_steal(started, stolen))

    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=128)) as session:

        async def one(
            due: float, kind: str, method: str, path: str, body: bytes | None, minute: Minute
        ) -> None:
            async with limit:
                use = bad_key if path.endswith("getquota") and traffic.random.random() < 0.1 else headers
                try:
                    async with session.request(method, base + path, data=body, headers=use) as response:
                        answer = await response.read()
                        status = response.status
                except aiohttp.ClientError:
                    status = 0
            answered = time.perf_counter()
            minute.latencies.append(answered - due)
            minute.by_kind.setdefault(kind, []).append(answered - due)
            minute.statuses[status] = minute.statuses.get(status, 0) + 1
            if kind == "advance" and status == 200:
                minute.advance_polls += json.loads(answer)["data"]["polls"]
            if kind != "advance":
                minute.api_spans.append((due - started, answered - started))

        index = 0
        next_sample = started + 60
        while True:
            now = time.perf_counter()
            if now >= end:
                break
            if now >= next_sample:
                done = samples[-1]
                meters.read(done, 60)
                print(
                    f"minute {len(samples)}: {len(done.latencies)} requests, "
                    f"p99 {p99_ms(done.latencies):.1f} ms (API {api_p99_ms(done):.1f}), "
                    f"RSS {done.rss_mib:.1f} MiB, server CPU {done.cpu_share:.0%}, "
                    f"advance polls {done.advance_polls}, probe {done.probe_ms:.2f} ms, "
                    f"steal {done.steal_share:.1%}, statuses {dict(sorted(done.statuses.items()))}\n"
                    f"  p99 by kind, ms: {kind_p99s(done)}",
                    flush=True,
                )
                samples.append(Minute())
                next_sample += 60
            due = started + index / rate
            if due > now:
                await asyncio.sleep(due - now)
                continue
            kind, method, path, body = traffic.next()
            task = asyncio.create_task(one(due, kind, method, path, body, samples[-1]))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
            index += 1
        await asyncio.gather(*tasks)
    meters.read(samples[-1], max(1.0, time.perf_counter() - next_sample + 60))
    meters.close()
    steal_sampler.cancel()
    mark_undisturbed(samples, stolen)
    return samples


def p99_ms(values: list[float], at_least: int = 100) -> float:
    """The 99th percentile in milliseconds; 0 when there are too few values to say."""
    return statistics.quantiles(values, n=100)[98] * 1000 if len(values) > at_least else 0.0


def kind_p99s(minute: Minute) -> str:
    """One line: each request kind's p99 in this minute (where the tail comes from)."""
    return ", ".join(
        f"{kind} {p99_ms(values, at_least=2):.0f}"
        for kind, values in sorted(minute.by_kind.items())
        if len(values) > 2
    )


def api_p99_ms(minute: Minute) -> float:
    """The minute's p99 over the API requests, without the sandbox clock advances (whose
    latency is the amount of simulated work due, not a property of the server)."""
    return p99_ms(api_latencies(minute))


def api_latencies(minute: Minute) -> list[float]:
    return [v for kind, found in minute.by_kind.items() if kind != "advance" for v in found]


def spread(values: list[float]) -> float:
    """max / min (0 when there is nothing to compare)."""
    return max(values) / min(values) if values and min(values) else 0.0


def windows(minutes: list[Minute]) -> list[tuple[list[float], list[float]]]:
    """(every API latency, the undisturbed ones) of consecutive WINDOW_MINUTES-minute windows
    (a shorter rest is left out)."""
    whole = len(minutes) - len(minutes) % WINDOW_MINUTES
    return [
        (
            [v for minute in minutes[start : start + WINDOW_MINUTES] for v in api_latencies(minute)],
            [v for minute in minutes[start : start + WINDOW_MINUTES] for v in minute.undisturbed],
        )
        for start in range(0, whole, WINDOW_MINUTES)
    ]


def resampled_spread(groups: list[list[float]], rounds: int = 100) -> float:
    """The p99 spread (max / min) that sampling alone gives groups of these sizes: the median
    over `rounds` of drawing every group anew from all the values pooled, as if the server
    had been exactly the same throughout. A spread near this is noise, not drift."""
    pool = [v for group in groups for v in group]
    if len(groups) < 2 or not pool:
        return 0.0
    draw = random.Random(11)
    return statistics.median(
        spread([p99_ms(draw.choices(pool, k=len(group))) for group in groups]) for _ in range(rounds)
    )


def verdict(samples: list[Minute], stopped_on_sigterm: bool = True) -> dict[str, object]:
    steady = [m for m in samples[WARMUP_MINUTES:] if len(m.latencies) > 100]
    rss = [m.rss_mib for m in steady]
    p99 = [p99_ms(m.latencies) for m in steady]
    api = [api_p99_ms(m) for m in steady]
    spans = windows(steady)
    judged = [kept for every, kept in spans if len(kept) >= MIN_UNDISTURBED * len(every)]
    judged_p99 = [p99_ms(kept) for kept in judged]
    fivexx = sum(
        count for m in samples for status, count in m.statuses.items() if status >= 500 or status == 0
    )
    return {
        "minutes_after_warmup": len(steady),
        "rss_mib_min": min(rss, default=0),
        "rss_mib_max": max(rss, default=0),
        "rss_ratio": spread(rss),
        "p99_ms_min": min(p99, default=0),
        "p99_ms_max": max(p99, default=0),
        "p99_ratio": spread(p99),
        "api_p99_ms_min": min(api, default=0),
        "api_p99_ms_max": max(api, default=0),
        "api_p99_ratio": spread(api),
        "api_p99_ratio_from_sampling_alone": resampled_spread([api_latencies(m) for m in steady]),
        "window_minutes": WINDOW_MINUTES,
        "window_api_p99_ms": [round(p99_ms(every), 1) for every, _ in spans],
        "window_undisturbed_share": [round(len(kept) / max(1, len(every)), 3) for every, kept in spans],
        "window_undisturbed_p99_ms": [round(p99_ms(kept), 1) for _, kept in spans],
        "windows_judged": len(judged),
        "undisturbed_p99_ratio": spread(judged_p99),
        "undisturbed_p99_ratio_from_sampling_alone": resampled_spread(judged),
        "server_errors_or_failed_connections": fivexx,
        "requests": sum(len(m.latencies) for m in samples),
        "server_stopped_on_sigterm": stopped_on_sigterm,
    }


def minute_rows(samples: list[Minute]) -> list[list[object]]:
    """The per-minute table: a header, then one row per minute that had traffic enough."""
    rows: list[list[object]] = [
        [
            "minute",
            "requests",
            "p50 ms",
            "p99 ms",
            "API p99 ms",
            "RSS MiB",
            "server CPU",
            "advance polls",
            "probe ms",
            "steal",
            "5xx",
        ]
    ]
    for number, minute in enumerate(samples, 1):
        if len(minute.latencies) > 100:
            cuts = statistics.quantiles(minute.latencies, n=100)
            errors = sum(c for s, c in minute.statuses.items() if s >= 500 or s == 0)
            rows.append(
                [
                    number,
                    len(minute.latencies),
                    round(cuts[49] * 1000, 1),
                    round(cuts[98] * 1000, 1),
                    round(api_p99_ms(minute), 1),
                    round(minute.rss_mib, 1),
                    f"{minute.cpu_share:.0%}",
                    minute.advance_polls,
                    round(minute.probe_ms, 2),
                    f"{minute.steal_share:.1%}",
                    errors,
                ]
            )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--rate", type=float, default=50, help="requests per second")
    parser.add_argument("--json", type=Path, help="also write the samples and the verdict here")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory() as folder:
        db = f"sqlite:///{folder}/soak.db"
        key = create_key(db)
        port = free_port()
        server = start_server(db, port, Path(folder) / "serve.log")
        try:
            samples = asyncio.run(drive(port, key, server.pid, args.minutes, args.rate))
        finally:
            stopped = stop_server(server)
        log = (Path(folder) / "serve.log").read_text()
    result = verdict(samples, stopped_on_sigterm=stopped)
    rows = minute_rows(samples)
    print("| " + " | ".join(rows[0]) + " |")
    print("|" + "---|" * len(rows[0]))
    for row in rows[1:]:
        print("| " + " | ".join(str(value) for value in row) + " |")
    print("| request kind | requests | p50 ms | p99 ms |")
    print("|---|---|---|---|")
    kinds: dict[str, list[float]] = {}
    for minute in samples[WARMUP_MINUTES:] or samples:
        for kind, values in minute.by_kind.items():
            kinds.setdefault(kind, []).extend(values)
    for kind, values in sorted(kinds.items()):
        if len(values) > 2:
            cuts = statistics.quantiles(values, n=100)
            print(f"| {kind} | {len(values)} | {cuts[49] * 1000:.1f} | {cuts[98] * 1000:.1f} |")
    print(json.dumps(result, indent=2))
    print("tracebacks in the server log:", log.count("Traceback"))
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "verdict": result,
                    "minutes": rows,
                    "api_latencies_ms": [[round(v * 1000, 2) for v in api_latencies(m)] for m in samples],
                    "undisturbed_latencies_ms": [
                        [round(v * 1000, 2) for v in m.undisturbed] for m in samples
                    ],
                    "server_log_tracebacks": log.count("Traceback"),
                },
                indent=2,
            )
        )
    print(judge(result))


def judge(result: dict[str, Any]) -> str:
    """PASS, FAIL (with what failed) or NO VERDICT (with what was missing)."""
    if not result["minutes_after_warmup"]:
        return f"NO VERDICT: the run ended within the {WARMUP_MINUTES}-minute warm-up"
    failed = [
        what
        for what, bad in (
            (f"RSS x{result['rss_ratio']:.2f}", result["rss_ratio"] > 1.10),
            ("the server did not stop on SIGTERM", not result["server_stopped_on_sigterm"]),
            (f"API p99 x{result['undisturbed_p99_ratio']:.2f}", result["undisturbed_p99_ratio"] > 1.10),
            (
                f"{result['server_errors_or_failed_connections']} 5xx or failed connections",
                result["server_errors_or_failed_connections"] > 0,
            ),
        )
        if bad
    ]
    if failed:
        return "FAIL: " + ", ".join(failed)
    if result["windows_judged"] < 2:
        return (
            f"NO VERDICT on latency: fewer than two {WINDOW_MINUTES}-minute windows with at least "
            f"{MIN_UNDISTURBED:.0%} of their requests undisturbed by steal; "
            f"RSS x{result['rss_ratio']:.2f}, no 5xx"
        )
    return "PASS"


if __name__ == "__main__":
    main()
