"""A 17TRACK twin for your own test suite, as `moto` is for AWS: a sandbox parceltrace server on
a free loopback port with a fresh SQLite file, an API key, the account's clock to move, and a
receiver that collects the verified webhook pushes.

pytest (installing parceltrace registers `parceltrace.testing.plugin`): the fixtures
`parceltrace_sandbox` (one server per test) and `parceltrace_webhooks` (a receiver it pushes to).
unittest or anything else: `with SandboxServer() as sandbox, WebhookReceiver(sandbox.key) as
hooks: ...`."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx

from parceltrace.client import Client
from parceltrace.webhooks.receiver import TrackingStopped, TrackingUpdated, parse, verify

START_SECONDS = 30.0
"""How long a server may take to answer its first /healthz."""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _command(*args: str) -> list[str]:
    """The `parceltrace` of this Python environment."""
    installed = Path(sys.executable).parent / "parceltrace"
    return [str(installed), *args] if installed.exists() else [sys.executable, "-c", _MAIN, *args]


_MAIN = "import sys; from parceltrace.cli.main import main; sys.argv[0] = 'parceltrace'; main()"


class SandboxServer:
    """`parceltrace serve` in sandbox mode, for one test (or one suite): its own SQLite file in a
    temporary folder, one account (no rate limit, ample quota), its log kept in `log_path`."""

    def __init__(self, *, quota: int = 100_000, webhook_url: str | None = None) -> None:
        self.quota = quota
        self.webhook_url = webhook_url
        self.port = 0
        self.key = ""
        self.folder = Path()
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """The API's base URL (what `Client` and 17TRACK integrations take)."""
        return f"http://127.0.0.1:{self.port}/track/v2.2"

    @property
    def log_path(self) -> Path:
        return self.folder / "serve.log"

    def __enter__(self) -> SandboxServer:
        self.folder = Path(tempfile.mkdtemp(prefix="parceltrace-sandbox-"))
        env = {**os.environ, "PARCELTRACE_DB": f"sqlite:///{self.folder / 'sandbox.db'}", "COLUMNS": "200"}
        options = ["--quota", str(self.quota), "--rate-limit", "0", "--json"]
        if self.webhook_url:
            options += ["--webhook", self.webhook_url]
        created = subprocess.run(
            _command("account", "create", "tests", *options),
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        self.key = str(json.loads(created.stdout)["key"])
        self.port = _free_port()
        with self.log_path.open("wb") as log:
            self._process = subprocess.Popen(
                _command("serve", "--port", str(self.port), "--allow-webhook-host", "127.0.0.1"),
                stdout=log,
                stderr=log,
                env=env,
            )
        self._wait_until_up()
        return self

    def _wait_until_up(self) -> None:
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        self.close()
        raise RuntimeError(f"the sandbox server did not start: {self.log_path.read_text()[-2000:]}")

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=5)
            self._process = None
        shutil.rmtree(self.folder, ignore_errors=True)

    def client(self) -> Client:
        """The SDK, pointed at this server with its key and no client-side rate limit."""
        return Client(self.key, self.url, rate_limit=0)

    def advance(self, *, days: float = 0, hours: float = 0, seconds: float = 0) -> dict[str, Any]:
        """Move the account's sandbox clock forward, doing every poll, push and purge due on the
        way; what was done (`now`, `polls`, `stopped`, `purged`)."""
        total = days * 86_400 + hours * 3_600 + seconds
        answer = httpx.post(
            f"http://127.0.0.1:{self.port}/sandbox/clock/advance",
            headers={"17token": self.key},
            json={"seconds": total},
            timeout=120,
        )
        answer.raise_for_status()
        data: dict[str, Any] = answer.json()["data"]
        return data

    def set_webhook(self, url: str) -> None:
        """Send this account's pushes to `url` from now on."""
        env = {**os.environ, "PARCELTRACE_DB": f"sqlite:///{self.folder / 'sandbox.db'}"}
        subprocess.run(
            _command("account", "update", "tests", "--webhook", url), env=env, capture_output=True, check=True
        )


Push = TrackingUpdated | TrackingStopped


class WebhookReceiver:
    """An HTTP endpoint on 127.0.0.1 that keeps every push whose `sign` matches `key` (others
    are answered 401 and counted in `refused`)."""

    def __init__(self, key: str) -> None:
        self.key = key
        self.pushes: list[Push] = []
        self.refused = 0
        self._changed = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                genuine = verify(body, self.headers.get("sign", ""), receiver.key)
                self.send_response(200 if genuine else 401)
                self.send_header("content-length", "0")
                self.end_headers()
                with receiver._changed:
                    if genuine:
                        receiver.pushes.append(parse(body))
                    else:
                        receiver.refused += 1
                    receiver._changed.notify_all()

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/hooks/17track"

    def __enter__(self) -> WebhookReceiver:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._server.shutdown()
        self._server.server_close()

    def wait_for(self, wanted: Callable[[Push], bool], timeout: float = 30.0) -> Push:
        """The first push (already received or to come) that `wanted` accepts; TimeoutError when
        none comes within `timeout` seconds."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for push in self.pushes:
                    if wanted(push):
                        return push
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no such push within {timeout} s ({len(self.pushes)} received)")
                self._changed.wait(left)
