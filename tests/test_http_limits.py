"""A real server refuses a huge request head (431) and a request that trickles in (408), and
keeps serving others."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import httpx

from tests.test_server_process import free_port, serving


def read_answer(sock: socket.socket, seconds: float) -> bytes:
    sock.settimeout(seconds)
    chunks = []
    try:
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    except TimeoutError:
        pass
    return b"".join(chunks)


def test_a_huge_head_is_refused_and_the_server_goes_on(db_url: str, tmp_path: Path) -> None:
    port = free_port()
    with serving(db_url, port, tmp_path / "serve.log"):
        with socket.create_connection(("127.0.0.1", port)) as sock:
            sock.sendall(b"POST /track/v2.2/getquota HTTP/1.1\r\nHost: x\r\n")
            try:
                for _ in range(64):  # up to 4 MB of one header, a few KB at a time
                    sock.sendall(b"X-Padding: " + b"a" * 65_000 + b"\r\n")
            except (BrokenPipeError, ConnectionResetError):
                pass  # closed by the server while sending: what is wanted
            answer = read_answer(sock, 5)
        assert answer.startswith(b"HTTP/1.1 431"), answer[:200]
        assert httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200


def test_a_request_that_trickles_in_is_cut_off(db_url: str, tmp_path: Path) -> None:
    port = free_port()
    with serving(db_url, port, tmp_path / "serve.log", "--request-timeout", "2"):
        with socket.create_connection(("127.0.0.1", port)) as sock:
            started = time.monotonic()
            request = b"POST /track/v2.2/getquota HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n[]"
            answer = b""
            sock.settimeout(0.5)
            for byte in request:
                try:
                    sock.sendall(bytes([byte]))
                except (BrokenPipeError, ConnectionResetError):
                    break
                try:
                    answer += sock.recv(4096)
                except TimeoutError:
                    continue
                if answer:
                    break
            elapsed = time.monotonic() - started
        assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
        assert elapsed < 6
        fast = httpx.post(
            f"http://127.0.0.1:{port}/track/v2.2/getquota", json=[], headers={"17token": "x" * 32}
        )
        assert fast.status_code == 401
