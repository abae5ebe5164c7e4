"""The real `parceltrace serve` in a subprocess: first start, CLI while running, restart."""

from __future__ import annotations

import asyncio
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import httpx
from sqlalchemy import update

from parceltrace.store.engine import Store
from parceltrace.store.tables import accounts

BIN = Path(sys.executable).parent / "parceltrace"


def eventually(check: Callable[[], bool], seconds: float = 5.0) -> None:
    """Account changes reach a running server within its 1 s cache; wait that out, bounded."""
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.1)


def report(name: str, facts: dict[str, object]) -> None:
    """What a reliability test measured, kept in test-output/reliability/ for RELIABILITY.md."""
    folder = Path(__file__).resolve().parents[2] / "test-output" / "reliability"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.json").write_text(json.dumps(facts, indent=2) + "\n")


@contextmanager
def clients(stop: threading.Event, *targets: Callable[[], None], join_seconds: float = 20) -> Iterator[None]:
    """Each target in a thread of its own until the block ends; then `stop` is set and they are
    waited for (at most `join_seconds` each)."""
    threads = [threading.Thread(target=target) for target in targets]
    for thread in threads:
        thread.start()
    try:
        yield
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=join_seconds)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(db_url: str, port: int, log: Path, *extra: str) -> Iterator[subprocess.Popen[bytes]]:
    """Runs the server until the block ends; what it prints goes to `log`."""
    env = {**os.environ, "PARCELTRACE_DB": db_url, "COLUMNS": "300"}
    with log.open("wb") as sink:
        process = subprocess.Popen([str(BIN), "serve", "--port", str(port), *extra], stderr=sink, env=env)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            raise AssertionError("server did not start within 20 s")
        yield process
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_first_start_restart_and_cli_while_running(db_url: str, tmp_path: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}/track/v2.2"
    log = tmp_path / "serve.log"
    with serving(db_url, port, log):
        time.sleep(0.3)
        home = httpx.get(f"http://127.0.0.1:{port}/")
        assert (home.status_code, home.headers["location"]) == (302, "/dashboard")
        busy = subprocess.run(
            [str(BIN), "serve", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "PARCELTRACE_DB": db_url, "COLUMNS": "300"},
        )
        assert busy.returncode == 2, busy.stderr
        assert f"cannot listen on 127.0.0.1:{port}" in busy.stderr and "listening on" not in busy.stderr
    banner = log.read_text()
    found = re.search(r"API key \(shown once\): ([0-9A-F]{32})", banner)
    assert found, banner
    key = found.group(1)
    assert f"curl -s -X POST -H '17token: {key}'" in banner
    assert f"dashboard: http://127.0.0.1:{port}/dashboard" in banner

    with serving(db_url, port, log):
        headers = {"17token": key}
        registered = httpx.post(
            f"{base}/register", json=[{"number": "RR123456789CN"}], headers=headers
        ).json()
        assert registered["data"]["accepted"][0]["carrier"] == 3011
        # the CLI changes the running server's account: whitelist 127.0.0.1 works, another IP locks out
        cli = [str(BIN), "account", "update", "demo", "--db", db_url]

        def quota_status() -> int:
            return httpx.post(f"{base}/getquota", json=[], headers=headers).status_code

        subprocess.run([*cli, "--ip-whitelist", "127.0.0.1"], check=True, capture_output=True)
        time.sleep(1.1)
        assert quota_status() == 200
        subprocess.run([*cli, "--ip-whitelist", "10.9.9.9"], check=True, capture_output=True)
        eventually(lambda: quota_status() == 401)
        locked = httpx.post(f"{base}/getquota", json=[], headers=headers)
        assert locked.json()["code"] == -18010001
        subprocess.run([*cli, "--ip-whitelist", ""], check=True, capture_output=True)
        eventually(lambda: quota_status() == 200)

    with serving(db_url, port, log):
        quota = httpx.post(f"{base}/getquota", json=[], headers={"17token": key}).json()
        assert quota["data"]["quota_used"] == 1
        listing = httpx.post(f"{base}/gettracklist", json={}, headers={"17token": key}).json()
        assert [i["number"] for i in listing["data"]["accepted"]] == ["RR123456789CN"]
    assert "Created account" not in log.read_text()
    accounts = json.loads(
        subprocess.run(
            [str(BIN), "account", "list", "--json", "--db", db_url],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    assert [a["name"] for a in accounts] == ["demo"]


def test_no_worker_serves_the_api_without_polling(db_url: str, tmp_path: Path) -> None:
    port = free_port()
    log = tmp_path / "serve.log"
    with serving(db_url, port, log, "--no-worker"):
        found = re.search(r"API key \(shown once\): ([0-9A-F]{32})", log.read_text())
        assert found and "API only" in log.read_text()
        headers = {"17token": found.group(1)}
        base = f"http://127.0.0.1:{port}/track/v2.2"
        assert (
            httpx.post(f"{base}/register", json=[{"number": "RR123456789CN"}], headers=headers).status_code
            == 200
        )
        time.sleep(1.5)
        listing = httpx.post(f"{base}/gettracklist", json={}, headers=headers).json()["data"]["accepted"]
        assert (listing[0]["package_status"], listing[0]["track_time"]) == ("NotFound", None)


def test_several_api_processes_share_the_port_and_the_demo_account(db_url: str, tmp_path: Path) -> None:
    """`serve --no-worker --workers 2`: two processes answer; only one creates the demo account."""
    port = free_port()
    log = tmp_path / "serve.log"
    with serving(db_url, port, log, "--no-worker", "--workers", "2"):
        eventually(lambda: len(re.findall(r"API key \(shown once\): ([0-9A-F]{32})", log.read_text())) >= 1)
        time.sleep(1.0)
        keys = re.findall(r"API key \(shown once\): ([0-9A-F]{32})", log.read_text())
        assert len(keys) == 1, log.read_text()
        assert "2 processes" in log.read_text()
        headers = {"17token": keys[0]}
        base = f"http://127.0.0.1:{port}/track/v2.2"
        answers = {
            httpx.post(f"{base}/getquota", json=[], headers=headers, timeout=5).status_code for _ in range(6)
        }
        assert answers <= {200, 429}
    accounts = subprocess.run(
        [str(BIN), "account", "list", "--json", "--db", db_url], check=True, capture_output=True, text=True
    ).stdout
    assert [a["name"] for a in json.loads(accounts)] == ["demo"]


def test_several_api_processes_need_no_worker() -> None:
    refused = subprocess.run(
        [str(BIN), "serve", "--workers", "2"], capture_output=True, text=True, timeout=30
    )
    assert refused.returncode == 2
    assert "--no-worker" in refused.stderr


def test_a_clock_stored_past_the_horizon_does_not_brick_the_server(db_url: str, tmp_path: Path) -> None:
    """A database whose sandbox clock was walked to year 9999 before the bound existed: the
    server starts, says so, and every endpoint answers."""
    created = subprocess.run(
        [str(BIN), "account", "create", "walked", "--rate-limit", "0", "--json", "--db", db_url],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    key = json.loads(created.stdout)["key"]
    asyncio.run(_store_offset(db_url, timedelta(days=8000 * 365)))
    port = free_port()
    log = tmp_path / "serve.log"
    with serving(db_url, port, log):
        headers = {"17token": key}
        base = f"http://127.0.0.1:{port}"
        clock = httpx.get(f"{base}/sandbox/clock", headers=headers)
        assert clock.status_code == 200 and int(clock.json()["data"]["now"][:4]) < 2100
        for operation in ("register", "gettrackinfo"):
            answer = httpx.post(
                f"{base}/track/v2.2/{operation}",
                json=[{"number": "SANDBOX-Delivered-Other-1"}],
                headers=headers,
            )
            assert answer.status_code == 200 and answer.json()["data"]["accepted"], answer.text
        moved = httpx.post(f"{base}/sandbox/clock/advance", json={"seconds": 86400}, headers=headers)
        assert moved.status_code == 200
        time.sleep(2.5)
    text = log.read_text()
    assert "out of range" in text and "Traceback" not in text and '"level": "error"' not in text, text


async def _store_offset(db_url: str, offset: timedelta) -> None:
    store = Store(db_url)
    try:
        async with store.write() as conn:
            await conn.execute(
                update(accounts).values(sandbox_offset_us=int(offset / timedelta(microseconds=1)))
            )
    finally:
        await store.close()


def test_forwarded_headers_are_trusted_only_from_listed_proxies(db_url: str, tmp_path: Path) -> None:
    """uvicorn trusts X-Forwarded-For from 127.0.0.1 by default: an IP whitelist could be
    passed by anyone on the machine. Now only the proxies `--forwarded-allow-ips` lists count."""
    created = subprocess.run(
        [str(BIN), "account", "create", "shop", "--ip-whitelist", "10.1.1.1", "--rate-limit", "0", "--json", "--db", db_url],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    key = json.loads(created.stdout)["key"]
    spoofed = {"17token": key, "X-Forwarded-For": "10.1.1.1"}
    for extra, expected in (((), 401), (("--forwarded-allow-ips", "127.0.0.1"), 200)):
        port = free_port()
        with serving(db_url, port, tmp_path / "serve.log", *extra):
            answer = httpx.post(f"http://127.0.0.1:{port}/track/v2.2/getquota", json=[], headers=spoofed)
            assert answer.status_code == expected, (extra, answer.text)


def test_a_worker_process_serves_its_own_metrics(db_url: str, tmp_path: Path) -> None:
    """Scale mode: `parceltrace worker --metrics-port` is scraped on its own."""
    from prometheus_client.parser import text_string_to_metric_families

    api_port, metrics_port = free_port(), free_port()
    with serving(db_url, api_port, tmp_path / "serve.log", "--no-worker"):
        key = re.search(r"API key \(shown once\): ([0-9A-F]{32})", (tmp_path / "serve.log").read_text())
        assert key
        env = {**os.environ, "PARCELTRACE_DB": db_url}
        with (tmp_path / "worker.log").open("wb") as sink:
            worker = subprocess.Popen(
                [str(BIN), "worker", "--metrics-port", str(metrics_port)], stderr=sink, env=env
            )
        try:
            registered = httpx.post(
                f"http://127.0.0.1:{api_port}/track/v2.2/register",
                json=[{"number": "SANDBOX-Delivered-Other-1"}],
                headers={"17token": key.group(1)},
            )
            assert registered.status_code == 200

            def polled() -> bool:
                try:
                    text = httpx.get(f"http://127.0.0.1:{metrics_port}/metrics").text
                except httpx.TransportError:
                    return False
                return any(
                    s.name == "parceltrace_polls_total" and s.labels == {"result": "success"} and s.value >= 1
                    for family in text_string_to_metric_families(text)
                    for s in family.samples
                )

            eventually(polled, seconds=20)
        finally:
            worker.terminate()
            worker.wait(10)


def test_the_access_log_is_there_when_asked_for(db_url: str, tmp_path: Path) -> None:
    """`--access-log` prints one line per request (its path without the query string, which may
    carry a key); without it, requests print nothing, and the server's start-up chatter stays
    quiet either way."""
    for extra, expected in (((), False), (("--access-log",), True)):
        port, log = free_port(), tmp_path / f"serve{len(extra)}.log"
        with serving(db_url, port, log, *extra):
            httpx.get(f"http://127.0.0.1:{port}/track/v2.2/getquota?probe=1")
        text = log.read_text()
        assert ("GET /track/v2.2/getquota?[redacted]" in text) is expected, text  # no query string
        assert "probe=1" not in text
        assert "Started server process" not in text and "Waiting for application" not in text


def test_the_worker_says_when_it_starts_and_stops(tmp_path: Path) -> None:
    """`parceltrace worker` printed nothing on start or stop."""
    log = tmp_path / "worker.log"
    env = {**os.environ, "PARCELTRACE_DB": f"sqlite:///{tmp_path / 'w.db'}"}
    with log.open("wb") as sink:
        worker = subprocess.Popen([str(BIN), "worker"], stderr=sink, env=env)
    try:
        eventually(lambda: "worker started" in log.read_text(), seconds=30)
    finally:
        worker.terminate()
        worker.wait(timeout=20)
    said = [json.loads(line)["event"] for line in log.read_text().splitlines() if line.startswith("{")]
    assert said[-3:] == [
        "worker started",
        "worker stopping: finishing what is under way",
        "worker stopped",
    ], said
    assert worker.returncode == 0
