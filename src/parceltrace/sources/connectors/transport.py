"""The HTTP under karrio's carrier calls: urllib, as karrio speaks it, over kept-alive connections.

karrio sends every request through `urllib.request.urlopen`, which opens a new connection for
each one and closes it after the answer: against a real carrier, a new TCP and TLS handshake for
every tracking number. The handlers here answer urllib's `http_open`/`https_open` from urllib3's
connection pools instead (the same requests, headers and answers, one connection kept per busy
thread), and give every request a timeout and a note of its status for the call that made it
(karrio sends no timeout and turns error statuses into bodies)."""

from __future__ import annotations

import http.client
import io
import ipaddress
import socket
import threading
import urllib.error
import urllib.request
import urllib.response
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from parceltrace.protocol.failures import ParceltraceError

if TYPE_CHECKING:
    import urllib3

HTTP_TIMEOUT = 20.0
"""Seconds for one HTTP request to a carrier (karrio sets none)."""
MAX_ANSWER = 4 * 1024 * 1024
"""Bytes of one carrier answer read at most: a carrier's tracking answer is kilobytes; a 50 MB
one was stored whole (381 MB more in the database) and stalled the event loop."""
READ_CHUNK = 64 * 1024
"""Bytes read at a time: one read of MAX_ANSWER would allocate that much for every answer whose
length the carrier does not send."""
KEPT_CONNECTIONS = 64
"""Idle connections kept per carrier host: one per thread of the largest connector pool."""


@dataclass(slots=True)
class Answer:
    status: int
    retry_after: str | None
    cut_short: bool = False
    """An XML answer that is not well-formed: karrio's lenient parser would read what arrived
    of it and lose the rest without a word."""


answers: ContextVar[list[Answer] | None] = ContextVar("carrier_answers", default=None)
"""The statuses of the answers a call got, set by the call (`calls.track`)."""
base_url: ContextVar[str | None] = ContextVar("carrier_base_url", default=None)
"""The connector's `--base-url`, set by the call: every request of the call goes there."""


class AnswerTooLarge(ParceltraceError, OSError):
    """A carrier's answer went past MAX_ANSWER bytes: it is not read on."""


class CarrierRequests(urllib.request.BaseHandler):
    """Gives carrier requests a timeout; notes each answer's status for the call that asked."""

    handler_order = 100  # before HTTPErrorProcessor turns 4xx/5xx into exceptions
    loopback_only = False
    """Set by tests: refuse any host that is not a loopback address."""

    def http_request(self, request: urllib.request.Request) -> urllib.request.Request:
        base = base_url.get()
        if base:
            request.full_url = rebased(request.full_url, base)
        if self.loopback_only and not is_loopback(request.host):
            raise urllib.error.URLError(f"refused: {request.host} is not a loopback address (tests)")
        if request.timeout in (None, socket._GLOBAL_DEFAULT_TIMEOUT):  # type: ignore[attr-defined]
            request.timeout = HTTP_TIMEOUT
        return request

    https_request = http_request

    def http_response(self, request: urllib.request.Request, response: Any) -> Any:
        seen = answers.get()
        if seen is not None:
            seen.append(
                Answer(int(response.status), response.headers.get("Retry-After"), _cut_short(response))
            )
        return response

    https_response = http_response


def rebased(url: str, base: str) -> str:
    """`url` sent to `base` instead, its path kept below base's: what karrio knows only as a
    fixed address (bpost's and TNT's tracking, a sign-in on a host of its own) reaches a
    carrier sandbox, a proxy or a test's stand-in too. A URL already below `base` is left."""
    base = base.rstrip("/")
    if url == base or url.startswith(base + "/") or url.startswith(base + "?"):
        return url
    parts = urlsplit(url)
    return base + parts.path + (f"?{parts.query}" if parts.query else "")


def _cut_short(response: Any) -> bool:
    """Whether a kept-alive answer (its body already read) says it is XML and is not well-formed."""
    body = response.fp
    if not isinstance(body, io.BytesIO) or "xml" not in (response.headers.get("Content-Type") or ""):
        return False
    from lxml import etree  # with karrio, in the carriers extra

    try:
        etree.fromstring(body.getvalue(), etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return True
    return False


def is_loopback(host: str) -> bool:
    """`host` as urllib gives it (`name`, `name:port`, `[v6]` or `[v6]:port`) is this machine."""
    if host.startswith("["):
        name = host[1:].split("]", 1)[0]
    else:
        name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


_pools_made = threading.Lock()
_pools: urllib3.PoolManager | None = None


def _pool_manager() -> urllib3.PoolManager:
    import urllib3  # with karrio, in the carriers extra

    global _pools
    with _pools_made:
        if _pools is None:
            _pools = urllib3.PoolManager(num_pools=32, maxsize=KEPT_CONNECTIONS, block=False)
        return _pools


def _kept_alive(request: urllib.request.Request) -> urllib.response.addinfourl:
    """urllib's request through a pooled connection, answered as urllib answers it."""
    import urllib3

    headers = dict(request.unredirected_hdrs)
    headers.update({k: v for k, v in request.headers.items() if k not in headers})
    timeout = request.timeout if isinstance(request.timeout, int | float) else HTTP_TIMEOUT
    for attempt in (1, 2):
        try:
            response = _pool_manager().urlopen(
                request.get_method(),
                request.full_url,
                body=request.data,
                headers=headers,
                timeout=urllib3.Timeout(connect=timeout, read=timeout),
                retries=False,
                redirect=False,
                decode_content=False,
                preload_content=False,
            )
            break
        except urllib3.exceptions.NewConnectionError as exc:  # before TimeoutError: a subclass of it
            raise urllib.error.URLError(exc.__context__ or exc) from exc
        except urllib3.exceptions.TimeoutError as exc:
            raise urllib.error.URLError(TimeoutError(str(exc))) from exc
        except urllib3.exceptions.ProtocolError as exc:
            if attempt == 2:  # once more on a new connection: a kept one may have been closed
                raise urllib.error.URLError(exc.__context__ or exc) from exc
        except urllib3.exceptions.HTTPError as exc:
            raise urllib.error.URLError(exc.__context__ or exc) from exc
    chunks: list[bytes] = []
    size = 0
    try:
        for chunk in response.stream(READ_CHUNK, decode_content=False):
            size += len(chunk)
            if size > MAX_ANSWER:
                response.close()
                raise urllib.error.URLError(
                    AnswerTooLarge(f"the answer is over {MAX_ANSWER // (1024 * 1024)} MiB")
                )
            chunks.append(chunk)
    except urllib3.exceptions.HTTPError as exc:
        raise urllib.error.URLError(exc.__context__ or exc) from exc
    data = b"".join(chunks)
    response.release_conn()
    message = http.client.HTTPMessage()
    for name, value in response.headers.iteritems():
        message[name] = value
    answer = urllib.response.addinfourl(io.BytesIO(data), message, request.full_url, response.status)
    answer.msg = response.reason or ""  # type: ignore[attr-defined]  # as http.client's answers have it
    return answer


class KeptAliveHTTP(urllib.request.HTTPHandler):
    def http_open(self, req: urllib.request.Request) -> Any:
        if req.has_proxy():
            return super().http_open(req)
        return _kept_alive(req)


class KeptAliveHTTPS(urllib.request.HTTPSHandler):
    def https_open(self, req: urllib.request.Request) -> Any:
        if req.has_proxy():
            return super().https_open(req)
        return _kept_alive(req)


CARRIER_REQUESTS = CarrierRequests()


def install() -> None:
    """Every urllib request of the process through these handlers (karrio uses the default)."""
    opener = urllib.request.build_opener(CARRIER_REQUESTS, KeptAliveHTTP(), KeptAliveHTTPS())
    urllib.request.install_opener(opener)
