"""A carrier's API stood in by a small HTTP server on 127.0.0.1, answering in that carrier's
documented format (each carrier's `carriers/NAME/standin.py` says what to answer)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True)
class Asked:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    peer: int = 0
    """The client's port: one per connection."""

    def json(self) -> Any:
        return json.loads(self.body or b"null")

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")


@dataclass(frozen=True)
class Reply:
    status: int
    body: str | bytes
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)


def as_json(status: int, payload: Any, **headers: str) -> Reply:
    return Reply(status, json.dumps(payload), "application/json", headers)


Responder = Callable[[Asked], Reply]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256
    """socketserver's default backlog of 5 drops bursts of connections (each then waits a
    second to retry its SYN)."""


class StandIn:
    def __init__(self, respond: Responder, delay: float = 0.0, drop_connections: bool = False) -> None:
        self.respond = respond
        self.delay = delay
        self.drop_connections = drop_connections
        """Close each connection after its answer without saying so (no `Connection: close`)."""
        self.asked: list[Asked] = []
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                parts = urlsplit(self.path)
                asked = Asked(
                    self.command,
                    parts.path,
                    parse_qs(parts.query),
                    {k.lower(): v for k, v in self.headers.items()},
                    self.rfile.read(length) if length else b"",
                    self.client_address[1],
                )
                stand_in.asked.append(asked)
                if stand_in.delay:
                    time.sleep(stand_in.delay)
                reply = stand_in.respond(asked)
                body = reply.body.encode() if isinstance(reply.body, str) else reply.body
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(len(body)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)
                if stand_in.drop_connections:
                    self.close_connection = True

            do_GET = do_POST = _serve

            def log_message(self, *args: Any) -> None:
                return None

        self.server = _Server(("127.0.0.1", 0), Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def paths(self) -> list[str]:
        return [asked.path for asked in self.asked]


@contextmanager
def standing_in(respond: Responder, delay: float = 0.0, drop_connections: bool = False) -> Iterator[StandIn]:
    stand_in = StandIn(respond, delay, drop_connections)
    thread = threading.Thread(target=stand_in.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield stand_in
    finally:
        stand_in.server.shutdown()
        stand_in.server.server_close()
        thread.join(5)
