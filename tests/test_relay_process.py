"""End to end: a sandbox parceltrace is the upstream of a live parceltrace, both real
`parceltrace serve` processes. The live one relays two shops' trackings of one number through
one upstream registration, learns of changes by the upstream's signed pushes, pushes its own
shops, and releases the upstream registration when neither shop needs it any more."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx

from parceltrace.webhooks.signing import sign_17track
from tests.runtime.test_server_process import BIN, eventually, free_port, serving

NUMBER = "RR123456789CN"


class Hooks:
    """The shops' webhook receiver: every push, by path."""

    def __init__(self) -> None:
        self.received: list[tuple[str, dict[str, str], bytes]] = []
        self.lock = threading.Lock()

    def of(self, path: str) -> list[tuple[dict[str, str], bytes]]:
        with self.lock:
            return [(headers, body) for p, headers, body in self.received if p == path]


@contextmanager
def receiving() -> Iterator[tuple[Hooks, int]]:
    hooks = Hooks()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", "0")))
            with hooks.lock:
                hooks.received.append((self.path, {k.lower(): v for k, v in self.headers.items()}, body))
            self.send_response(200)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield hooks, int(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()


def create_account(db: str, name: str, *options: str) -> str:
    done = subprocess.run(
        [str(BIN), "account", "create", name, "--db", db, "--rate-limit", "0", "--json", *options],
        check=True,
        capture_output=True,
        text=True,
    )
    return str(json.loads(done.stdout)["key"])


def events_of(item: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [
        (event["time_utc"], event["sub_status"], event["description"])
        for provider in item["track_info"]["tracking"]["providers"]
        for event in provider["events"]
    ]


def sync_status(db: Path, number: str) -> str | None:
    with sqlite3.connect(db) as conn:
        row = conn.execute("SELECT latest_sync_status FROM trackings WHERE number = ?", (number,)).fetchone()
    return None if row is None else str(row[0])


def call(base: str, key: str, operation: str, body: Any) -> Any:
    response = httpx.post(f"{base}/{operation}", json=body, headers={"17token": key}, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


def test_a_sandbox_parceltrace_as_the_upstream_of_a_live_one(tmp_path: Path) -> None:
    up_port, live_port = free_port(), free_port()
    up_db, live_db = f"sqlite:///{tmp_path / 'upstream.db'}", f"sqlite:///{tmp_path / 'live.db'}"
    up_base = f"http://127.0.0.1:{up_port}/track/v2.2"
    live_base = f"http://127.0.0.1:{live_port}/track/v2.2"
    relay_key = create_account(up_db, "relay", "--webhook", f"http://127.0.0.1:{live_port}/hooks/upstream")
    with receiving() as (hooks, hook_port):
        shops = {
            name: create_account(live_db, name, "--webhook", f"http://127.0.0.1:{hook_port}/{name}")
            for name in ("shop-a", "shop-b")
        }
        upstream_log, live_log = tmp_path / "upstream.log", tmp_path / "live.log"
        with serving(up_db, up_port, upstream_log, "--sandbox") as upstream:
            live_options = ("--live", "--upstream-url", up_base, "--upstream-key", relay_key)
            with serving(live_db, live_port, live_log, *live_options, "--allow-webhook-host", "127.0.0.1"):
                assert f"tracking through {up_base}" in live_log.read_text()
                for key in shops.values():
                    assert call(live_base, key, "register", [{"number": NUMBER}])["data"]["accepted"]

                def upstream_numbers() -> list[str]:
                    listing = call(up_base, relay_key, "gettracklist", {})
                    return [item["number"] for item in listing["data"]["accepted"]]

                eventually(lambda: upstream_numbers() == [NUMBER], seconds=20)
                assert call(up_base, relay_key, "getquota", [])["data"]["quota_used"] == 1

                # ten sandbox days pass upstream: it polls, then pushes the relay
                advanced = httpx.post(
                    f"http://127.0.0.1:{up_port}/sandbox/clock/advance",
                    json={"seconds": 10 * 86400},
                    headers={"17token": relay_key},
                    timeout=60,
                )
                assert advanced.status_code == 200, advanced.text
                truth = call(up_base, relay_key, "gettrackinfo", [{"number": NUMBER}])["data"]["accepted"][0]
                assert truth["track_info"]["latest_status"]["status"] == "Delivered"

                def shop_saw_delivery(name: str) -> bool:
                    for headers, body in hooks.of(f"/{name}"):
                        push = json.loads(body)
                        if push["event"] == "TRACKING_UPDATED" and (
                            push["data"]["track_info"]["latest_status"]["status"] == "Delivered"
                        ):
                            assert headers["sign"] == sign_17track(body, shops[name])
                            return True
                    return False

                eventually(lambda: shop_saw_delivery("shop-a") and shop_saw_delivery("shop-b"), seconds=30)
                for key in shops.values():
                    mine = call(live_base, key, "gettrackinfo", [{"number": NUMBER}])["data"]["accepted"][0]
                    assert events_of(mine) == events_of(truth)
                    assert mine["track_info"]["latest_status"] == truth["track_info"]["latest_status"]
                    assert mine["track_info"]["milestone"] == truth["track_info"]["milestone"]
                assert call(up_base, relay_key, "getquota", [])["data"]["quota_used"] == 1

                # neither shop needs it any more: the upstream registration is deleted
                for key in shops.values():
                    call(live_base, key, "deletetrack", [{"number": NUMBER}])
                eventually(lambda: upstream_numbers() == [], seconds=30)

                # the upstream goes away: a new number is kept, its sync shown as failed
                upstream.terminate()
                upstream.wait(timeout=10)
                key = shops["shop-a"]
                assert call(live_base, key, "register", [{"number": "RB123456785GB"}])["data"]["accepted"]
                eventually(
                    lambda: sync_status(tmp_path / "live.db", "RB123456785GB") == "Failure", seconds=20
                )
                listing = call(live_base, key, "gettracklist", {})
                assert [item["number"] for item in listing["data"]["accepted"]] == ["RB123456785GB"]
    assert "Traceback" not in live_log.read_text()
    assert "Traceback" not in upstream_log.read_text()
