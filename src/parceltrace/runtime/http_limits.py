"""uvicorn's httptools protocol with two limits it lacks: the head of a request (request line
and headers) may be at most MAX_HEAD bytes (a 64 MB header was accepted and buffered), and a
whole request must arrive within `request_timeout` seconds (a client sending a byte every two
seconds held its connection indefinitely). Over the first the answer is 431, over the second
408, and the connection is closed; nothing reaches the app.

The close lingers (as nginx's and Apache's do): the answer is sent, the write side shut, and
what the client still sends is read and dropped for up to LINGER seconds before the socket
closes. Closing at once with unread bytes makes the kernel send a reset, which can destroy the
answer before the client reads it (a client still sending its huge head saw "connection reset"
instead of the 431 about one time in twenty).

Only the head counts: a read brings whatever the client's writes put on the wire, often the
head and much of the body together (a valid 962 KB register was refused as a huge head), so the
bytes after the blank line that ends the head are left out."""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

MAX_HEAD = 64 * 1024
REQUEST_TIMEOUT = 20.0
LINGER = 2.0


def _refusal(status: int, reason: str, text: str) -> bytes:
    body = text.encode()
    return (
        f"HTTP/1.1 {status} {reason}\r\ncontent-type: text/plain; charset=utf-8\r\n"
        f"content-length: {len(body)}\r\nconnection: close\r\n\r\n"
    ).encode() + body


HEAD_ENDS = (b"\r\n\r\n", b"\n\n")


def _head_part(tail: bytes, data: bytes) -> int:
    """How many bytes of `data` belong to a head whose earlier bytes ended with `tail`: up to
    and including the blank line that ends it, or all of them when it does not end here."""
    joined = tail + data
    ends = [found + len(end) for end in HEAD_ENDS if (found := joined.find(end)) >= 0]
    if not ends:
        return len(data)
    return max(0, min(ends) - len(tail))


class BoundedHttpToolsProtocol(HttpToolsProtocol):
    request_timeout = REQUEST_TIMEOUT
    """Set per process from `serve --request-timeout` (uvicorn makes the instances)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._reading_head = True
        self._head_bytes = 0
        self._head_tail = b""
        """The last bytes of the head read so far: a blank line may straddle two reads."""
        self._deadline: asyncio.TimerHandle | None = None
        self._lingering = False

    def data_received(self, data: bytes) -> None:
        if self._lingering:
            return
        if self._deadline is None:
            self._deadline = self.loop.call_later(self.request_timeout, self._too_slow)
        if self._reading_head:
            self._head_bytes += _head_part(self._head_tail, data)
            self._head_tail = (self._head_tail + data)[-3:]
            if self._head_bytes > MAX_HEAD:
                self._refuse(431, "Request Header Fields Too Large", f"Request head over {MAX_HEAD} bytes.")
                return
        super().data_received(data)

    def on_headers_complete(self) -> None:
        self._reading_head = False
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self._stop_deadline()
        self._reading_head = True
        self._head_bytes = 0
        self._head_tail = b""
        super().on_message_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_deadline()
        super().connection_lost(exc)

    def _stop_deadline(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _too_slow(self) -> None:
        self._deadline = None
        self._refuse(
            408, "Request Timeout", f"The request did not arrive within {self.request_timeout:.0f} s."
        )

    def _refuse(self, status: int, reason: str, text: str) -> None:
        self._stop_deadline()
        if self._lingering or self.transport.is_closing():
            return
        answering = self.cycle is not None and self.cycle.response_started
        if answering or not self.transport.can_write_eof():
            self.transport.close()
            return
        self.transport.write(_refusal(status, reason, text))
        self.transport.write_eof()
        self._lingering = True
        self.transport.resume_reading()
        self.loop.call_later(LINGER, self.transport.close)
