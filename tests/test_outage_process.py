"""Outages under load: `parceltrace serve` (API and embedded worker) reaches PostgreSQL and Redis
through TCP proxies that the test cuts and restores while four clients register and read.

Checked: while PostgreSQL is cut every answer is 17TRACK's -18010003 with HTTP 503 and
Retry-After; answers are 200 again within seconds of its return; while Redis is cut requests
go on (limits counted in memory); every number a client saw accepted is stored once, and quota
used equals the numbers stored; the log holds one line at the start and one at the end of each
outage, and no traceback.

`python -m tests.test_outage_process` runs the same scenario and prints its figures (how
RELIABILITY.md's before/after were measured: with PYTHONPATH pointing at another checkout's
src/, the server of that checkout is the one cut)."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy.engine import make_url

from tests import postgres
from tests.proxy import Proxy, proxy_to
from tests.runtime.test_server_process import BIN, clients, eventually, free_port, report, serving
from tests.test_crash import BATCH, create_account, s10

PHASES = (
    ("before", 3.0),
    ("database cut", 8.0),
    ("database back", 5.0),
    ("redis cut", 5.0),
    ("redis back", 4.0),
)
"""The scenario, in order, with each phase's seconds."""
RECOVERY_SECONDS = 3.0
"""After PostgreSQL returns, answers must be 200 again within this many seconds."""
REGISTERING_CLIENTS = 3
RATE_LIMIT = 1000
"""Requests per second of the test's key: high enough never to refuse, but consulted (a key
without a limit never asks Redis)."""


@dataclass(frozen=True)
class Answer:
    phase: str
    sent: float
    status: int
    code: int | None
    retry_after: str | None


@dataclass
class Load:
    """What the clients saw."""

    phase: str = "before"
    phase_started: dict[str, float] = field(default_factory=dict)
    answers: list[Answer] = field(default_factory=list)
    accepted: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)


@contextmanager
def loading(port: int, key: str, load: Load) -> Iterator[None]:
    """Three clients registering batches of 40 new numbers and one reading its quota, until
    the block ends; each answer recorded with the phase it was sent and answered in."""
    stop = threading.Event()
    serials = iter(range(10_000_000))

    def one(http: httpx.Client, path: str, body: Any) -> dict[str, Any] | None:
        phase, sent = load.phase, time.monotonic()
        try:
            answer = http.post(path, json=body)
        except httpx.TransportError:
            return None
        payload = answer.json()
        if load.phase == phase:  # an answer that crossed a phase boundary is not counted
            with load.lock:
                load.answers.append(
                    Answer(
                        phase,
                        sent,
                        answer.status_code,
                        payload.get("code"),
                        answer.headers.get("retry-after"),
                    )
                )
        if answer.status_code == 503:
            stop.wait(0.05)  # a client told to retry later does not hammer
        return payload if answer.status_code == 200 else None

    def registering() -> None:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers={"17token": key}, timeout=15) as http:
            while not stop.is_set():
                with load.lock:
                    numbers = [s10(next(serials)) for _ in range(BATCH)]
                payload = one(http, "/track/v2.2/register", [{"number": n} for n in numbers])
                if payload is not None:
                    with load.lock:
                        load.accepted.update(item["number"] for item in payload["data"]["accepted"])

    def reading() -> None:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers={"17token": key}, timeout=15) as http:
            while not stop.is_set():
                one(http, "/track/v2.2/getquota", [])
                stop.wait(0.02)

    with clients(stop, *[registering] * REGISTERING_CLIENTS, reading):
        yield


def log_figures(log: Path) -> dict[str, Any]:
    """Lines the server wrote: by level, the outage lines, tracebacks."""
    levels: Counter[str] = Counter()
    events: Counter[str] = Counter()
    other = tracebacks = 0
    text = log.read_text(errors="replace")
    for line in text.splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            other += 1
            continue
        levels[entry.get("level", "?")] += 1
        tracebacks += "exception" in entry  # JSON logs carry a traceback as a structured field
        events[str(entry.get("event", ""))[:60]] += 1
    return {
        "lines": len(text.splitlines()),
        "by_level": dict(levels),
        "warnings_and_errors": levels["warning"] + levels["error"] + levels["critical"],
        "tracebacks": tracebacks + text.count("Traceback (most recent call last)"),
        "unhandled_errors": events["unhandled error"],
        "events": dict(events.most_common(12)),
        "not_json": other,
    }


def run_outages(
    database: str, redis: str, workdir: Path, on_phase: Callable[[str], None] | None = None
) -> dict[str, Any]:
    """The scenario on `database` (emptied) and `redis`; its figures."""
    asyncio.run(postgres.empty_tables(database))
    key = create_account(database, "--rate-limit", str(RATE_LIMIT))
    db_url, redis_url = make_url(database), make_url(redis)
    load = Load()
    log = workdir / "serve.log"
    with proxy_to(db_url.port or 5432) as db_proxy, proxy_to(redis_url.port or 6379) as redis_proxy:
        through = db_url.set(port=db_proxy.port).render_as_string(hide_password=False)
        port = free_port()
        cuts: dict[str, Proxy] = {"database": db_proxy, "redis": redis_proxy}
        with serving(
            through, port, log, "--redis", f"redis://127.0.0.1:{redis_proxy.port}/{redis_url.database or 0}"
        ):
            with loading(port, key, load):
                for phase, seconds in PHASES:
                    service, _, what = phase.partition(" ")
                    if what == "cut":
                        cuts[service].cut()
                    elif what == "back":
                        cuts[service].restore()
                    load.phase, load.phase_started[phase] = phase, time.monotonic()
                    if on_phase is not None:
                        on_phase(phase)
                    time.sleep(seconds)
            quota = httpx.post(
                f"http://127.0.0.1:{port}/track/v2.2/getquota", json=[], headers={"17token": key}
            ).json()
    stored = asyncio.run(_stored_numbers(database))
    return _figures(load, stored, quota, log)


async def _stored_numbers(database: str) -> list[str]:
    import asyncpg

    connection = await asyncpg.connect(postgres.plain(database), timeout=5)
    try:
        return [row["number"] for row in await connection.fetch("SELECT number FROM trackings")]
    finally:
        await connection.close()


def _figures(load: Load, stored: list[str], quota: dict[str, Any], log: Path) -> dict[str, Any]:
    by_phase: dict[str, Counter[str]] = {phase: Counter() for phase, _ in PHASES}
    for answer in load.answers:
        by_phase[answer.phase][f"{answer.status} {answer.code} retry-after={answer.retry_after}"] += 1
    back = load.phase_started["database back"]
    first_ok = min(
        (a.sent for a in load.answers if a.phase == "database back" and a.status == 200), default=None
    )
    late_failures = sum(
        1
        for a in load.answers
        if a.phase == "database back" and a.status != 200 and a.sent > back + RECOVERY_SECONDS
    )
    return {
        "answers_by_phase": {phase: dict(counts) for phase, counts in by_phase.items()},
        "recovery_seconds": None if first_ok is None else round(first_ok - back, 2),
        "failures_after_recovery_window": late_failures,
        "accepted": len(load.accepted),
        "stored": len(stored),
        "stored_twice": len(stored) - len(set(stored)),
        "accepted_not_stored": len(load.accepted - set(stored)),
        "quota_used": quota.get("data", {}).get("quota_used")
        if isinstance(quota.get("data"), dict)
        else None,
        "log": log_figures(log),
    }


def test_postgresql_and_redis_cut_under_load(pg_database: str, redis_url: str, tmp_path: Path) -> None:
    figures = run_outages(pg_database, redis_url, tmp_path)
    report("outage-postgresql-redis", figures)
    phases = figures["answers_by_phase"]
    cut = phases["database cut"]
    assert cut and set(cut) == {"503 -18010003 retry-after=5"}, cut
    assert sum(cut.values()) >= 20, "the clients kept asking during the cut"
    for phase in ("before", "redis cut", "redis back"):
        assert set(phases[phase]) == {"200 0 retry-after=None"}, (phase, phases[phase])
    assert figures["recovery_seconds"] is not None and figures["recovery_seconds"] <= RECOVERY_SECONDS
    assert figures["failures_after_recovery_window"] == 0
    assert figures["accepted"] > 0 and figures["accepted_not_stored"] == 0 and figures["stored_twice"] == 0
    assert figures["quota_used"] == figures["stored"]
    log = figures["log"]
    assert log["tracebacks"] == 0 and log["unhandled_errors"] == 0
    for line in (
        "database out of reach",
        "database reachable again",
        "redis out of reach",
        "redis reachable again",
    ):
        assert sum(n for event, n in log["events"].items() if event.startswith(line)) == 1, (
            line,
            log["events"],
        )
    assert log["warnings_and_errors"] <= 4, log["events"]


def main() -> None:
    """The scenario against PARCELTRACE_TEST_PG's server (a database of its own) and the local
    Redis; prints the figures."""
    base = os.environ.get("PARCELTRACE_TEST_PG", "postgresql://127.0.0.1:5432/test")
    database = postgres.run(postgres.create_database, base, f"parceltrace_outage_{os.getpid()}")
    postgres.run(postgres.migrate, database)
    try:
        with tempfile.TemporaryDirectory() as workdir:
            figures = run_outages(
                database, "redis://127.0.0.1:6379/0", Path(workdir), on_phase=lambda p: print(p, flush=True)
            )
    finally:
        postgres.run(postgres.drop_database, base, database)
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()


def test_a_server_started_before_its_database_waits_for_it(pg_database: str, tmp_path: Path) -> None:
    """PostgreSQL out of reach when `serve` starts: one line says it waits, and it starts
    serving once the database is back (not a failed start with a traceback)."""
    url = make_url(pg_database)
    log = tmp_path / "serve.log"
    port = free_port()
    with proxy_to(url.port or 5432) as proxy:
        proxy.cut()
        env = {**os.environ, "PARCELTRACE_DB": url.set(port=proxy.port).render_as_string(hide_password=False)}
        with log.open("wb") as sink:
            server = subprocess.Popen([str(BIN), "serve", "--port", str(port)], stderr=sink, env=env)
        try:
            eventually(lambda: "waiting for it before starting" in log.read_text(), seconds=20)
            time.sleep(1.5)  # a few probes meet the outage
            assert server.poll() is None, "the server gave up"
            proxy.restore()
            eventually(lambda: _healthy(port), seconds=30)
        finally:
            server.terminate()
            server.wait(timeout=10)
    figures = log_figures(log)
    assert figures["tracebacks"] == 0
    assert figures["events"].get("database out of reach: waiting for it before starting") == 1
    assert figures["events"].get("database reachable again") == 1


def test_a_database_that_refuses_stops_the_start_with_the_reason(pg_database: str) -> None:
    missing = make_url(pg_database).set(database="parceltrace_no_such_database").render_as_string(False)
    done = subprocess.run(
        [str(BIN), "serve", "--port", str(free_port())],
        env={**os.environ, "PARCELTRACE_DB": missing, "COLUMNS": "200"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert 'database "parceltrace_no_such_database" does not exist' in done.stderr
    assert "Traceback" not in done.stderr and "Check --db" in done.stderr


def _healthy(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200
    except httpx.TransportError:
        return False
