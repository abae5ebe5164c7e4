"""Crash safety: `parceltrace serve` killed with SIGKILL at random moments, 20 times, under a
register load and under webhook work, then restarted. Nothing accepted may be lost, nothing
charged twice or without a stored tracking, the database must pass PRAGMA integrity_check,
and every push the store holds must reach the receiver."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx

from tests.runtime.test_server_process import BIN, clients, free_port, report

KILLS = 20
BATCH = 40


def start(db: str, port: int, log: Path) -> subprocess.Popen[bytes]:
    """`serve`, keeping delivered messages for ten years: the tests walk the sandbox clock past
    the default 30 days and then count every message that was ever stored."""
    env = {**os.environ, "PARCELTRACE_DB": db, "COLUMNS": "300"}
    command = [str(BIN), "serve", "--port", str(port), "--delivery-retention", "3650"]
    with log.open("ab") as sink:
        process = subprocess.Popen(command, stderr=sink, env=env)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.05)
    process.kill()
    raise AssertionError("server did not start within 20 s")


def kill(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)


def create_account(db: str, *options: str) -> str:
    done = subprocess.run(
        [str(BIN), "account", "create", "crash", "--db", db, "--rate-limit", "0", "--quota", "10000000", "--json",
         *options],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return str(json.loads(done.stdout)["key"])


def s10(serial: int) -> str:
    digits = f"{serial:08d}"
    remainder = sum(int(d) * w for d, w in zip(digits, (8, 6, 4, 2, 3, 5, 9, 7), strict=True)) % 11
    return f"RB{digits}{ {0: 5, 1: 0}.get(remainder, 11 - remainder) }GB"


@contextmanager
def loading(port: int, key: str, next_batch: Callable[[], list[str]], accepted: set[str]) -> Iterator[None]:
    """Four clients registering batches of 40 new numbers until the block ends."""
    stop = threading.Event()
    lock = threading.Lock()

    def client() -> None:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers={"17token": key}, timeout=5) as http:
            while not stop.is_set():
                with lock:
                    numbers = next_batch()
                try:
                    answer = http.post("/track/v2.2/register", json=[{"number": n} for n in numbers])
                except httpx.TransportError:
                    return  # the server is gone
                assert answer.status_code == 200, answer.text
                with lock:
                    accepted.update(item["number"] for item in answer.json()["data"]["accepted"])

    with clients(stop, *[client] * 4, join_seconds=10):
        yield


def check_database(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    return conn


def test_sigkill_under_register_load(tmp_path: Path) -> None:
    path = tmp_path / "crash.db"
    db = f"sqlite:///{path}"
    key = create_account(db)
    log = tmp_path / "serve.log"
    port = free_port()
    chance = random.Random(20261122)
    serials = iter(range(10_000_000))
    accepted: set[str] = set()

    def next_batch() -> list[str]:
        return [s10(next(serials)) for _ in range(BATCH)]

    for _ in range(KILLS):
        server = start(db, port, log)
        with loading(port, key, next_batch, accepted):
            time.sleep(chance.uniform(0.2, 1.2))
            kill(server)
    server = start(db, port, log)
    try:
        quota = httpx.post(
            f"http://127.0.0.1:{port}/track/v2.2/getquota", json=[], headers={"17token": key}
        ).json()["data"]
    finally:
        server.terminate()
        server.wait(timeout=10)
    conn = check_database(path)
    stored = [row[0] for row in conn.execute("SELECT number FROM trackings")]
    report(
        "crash-register",
        {"kills": KILLS, "accepted": len(accepted), "stored": len(stored), "quota_used": quota["quota_used"]},
    )
    assert len(accepted) > KILLS * BATCH  # the load really ran between the kills
    assert accepted <= set(stored), f"{len(accepted - set(stored))} accepted numbers lost"
    assert len(stored) == len(set(stored)), "a number is stored twice"
    assert quota["quota_used"] == len(stored), "quota charged differs from the trackings stored"
    assert "Traceback" not in log.read_text()


class Hooks:
    def __init__(self) -> None:
        self.message_ids: set[str] = set()
        self.delivered_status: dict[str, str] = {}
        self.lock = threading.Lock()


@contextmanager
def receiving() -> Iterator[tuple[Hooks, str]]:
    hooks = Hooks()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", "0")))
            push = json.loads(body)
            with hooks.lock:
                hooks.message_ids.add(self.headers["webhook-id"])
                if push["event"] == "TRACKING_UPDATED":
                    status = push["data"]["track_info"]["latest_status"]["status"]
                    hooks.delivered_status[push["data"]["number"]] = status
            self.send_response(200)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            return None

    class Receiver(ThreadingHTTPServer):
        request_queue_size = 1024  # the dispatcher sends a whole batch at once

    server = Receiver(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield hooks, f"http://127.0.0.1:{server.server_address[1]}/hook"
    finally:
        server.shutdown()
        server.server_close()


def test_sigkill_during_webhook_work_loses_no_push(tmp_path: Path) -> None:
    path = tmp_path / "pushes.db"
    db = f"sqlite:///{path}"
    log = tmp_path / "serve.log"
    port = free_port()
    chance = random.Random(7)
    numbers = [f"SANDBOX-DELIVERED-OTHER-{i}" for i in range(120)]
    with receiving() as (hooks, url):
        key = create_account(db, "--webhook", url)
        headers = {"17token": key}
        base = f"http://127.0.0.1:{port}"
        server = start(db, port, log)
        for start_at in range(0, len(numbers), BATCH):
            httpx.post(
                f"{base}/track/v2.2/register",
                json=[{"number": n} for n in numbers[start_at : start_at + BATCH]],
                headers=headers,
            )
        for _ in range(KILLS):
            stop = threading.Event()

            def advance(stop: threading.Event) -> None:
                while not stop.is_set():
                    try:
                        httpx.post(f"{base}/sandbox/clock/advance", json={"seconds": 3 * 3600}, headers=headers,
                                   timeout=30)  # fmt: skip
                    except httpx.TransportError:
                        return

            mover = threading.Thread(target=advance, args=(stop,))
            mover.start()
            time.sleep(chance.uniform(0.2, 1.2))
            kill(server)
            stop.set()
            mover.join(timeout=30)
            server = start(db, port, log)
        try:
            # leases of killed processes run on real time (pushes 60 s, polls 120 s): wait them out
            deadline = time.monotonic() + 200
            while time.monotonic() < deadline:
                httpx.post(
                    f"{base}/sandbox/clock/advance", json={"seconds": 6 * 3600}, headers=headers, timeout=60
                )
                conn = check_database(path)
                pending = conn.execute(
                    "SELECT count(*) FROM deliveries WHERE state != 'delivered'"
                ).fetchone()[0]
                polls_left = conn.execute(
                    "SELECT count(*) FROM trackings WHERE package_status != 'Delivered'"
                ).fetchone()[0]
                conn.close()
                if pending == 0 and polls_left == 0:
                    break
                time.sleep(2)
        finally:
            server.terminate()
            server.wait(timeout=10)
        conn = check_database(path)
        stored_ids = {row[0] for row in conn.execute("SELECT message_id FROM deliveries")}
        states = dict(conn.execute("SELECT state, count(*) FROM deliveries GROUP BY state").fetchall())
        with hooks.lock:
            received = set(hooks.message_ids)
            final = dict(hooks.delivered_status)
    report(
        "crash-pushes",
        {"kills": KILLS, "deliveries": len(stored_ids), "states": states, "received_ids": len(received),
         "missing": len(stored_ids - received)},
    )  # fmt: skip
    assert states == {"delivered": len(stored_ids)}, states
    assert stored_ids <= received, f"{len(stored_ids - received)} pushes never reached the receiver"
    assert final == dict.fromkeys(numbers, "Delivered")
    assert "Traceback" not in log.read_text()
