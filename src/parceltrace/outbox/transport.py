"""The webhook HTTP call: one POST, no redirects followed, at most RESPONSE_CAP bytes of the
answer read, every connection made through the policy's pinned resolver, and an address written
in the URL checked first, read exactly as the client then connects to it.

aiohttp rather than httpx here: measured on this machine against the same local receiver,
httpx sent 380-470 concurrent requests/s and aiohttp 5,900 (BENCHMARKS.md)."""

from __future__ import annotations

import aiohttp
from yarl import URL

from parceltrace.outbox.safety import AddressRefused, PinnedResolver, WebhookPolicy

TIMEOUT = 15.0
RESPONSE_CAP = 64 * 1024


RECEIVER_CONNECTIONS = 16
"""Connections open at once to one receiver (host and port), whatever the number of messages
due for it: a clock advance that makes 40 pushes opened 200 before."""


def new_session(policy: WebhookPolicy, connections: int = 100) -> aiohttp.ClientSession:
    connector = aiohttp.TCPConnector(
        limit=connections, limit_per_host=RECEIVER_CONNECTIONS, resolver=PinnedResolver(policy)
    )
    return aiohttp.ClientSession(connector=connector, auto_decompress=False)


async def post(
    session: aiohttp.ClientSession,
    policy: WebhookPolicy,
    url: str,
    body: bytes,
    headers: dict[str, str],
) -> tuple[int | None, str | None]:
    """(HTTP status, None) or (None, why it failed). The URL is checked and sent as one parsed
    value: the host the policy judged is the host connected to."""
    refusal = policy.before_connecting(url)
    if refusal:
        return None, f"refused: {refusal}"[:500]
    try:
        async with session.post(
            URL(url),
            data=body,
            headers=headers,
            allow_redirects=False,
            timeout=aiohttp.ClientTimeout(total=TIMEOUT),
        ) as response:
            await response.content.read(RESPONSE_CAP)
            return response.status, None
    except aiohttp.ClientConnectorError as exc:
        if isinstance(exc.os_error, AddressRefused):
            return None, f"refused: {exc.os_error}"[:500]
        return None, f"{type(exc).__name__}: {exc}"[:500]
    except (aiohttp.ClientError, TimeoutError, ValueError, UnicodeError) as exc:
        return None, f"{type(exc).__name__}: {exc}"[:500]
