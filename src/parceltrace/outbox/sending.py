"""One webhook attempt: the message's exact stored bytes, signed both ways (17TRACK's `sign`
and Standard Webhooks), posted through the address guard, timed."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime

import aiohttp

from parceltrace.outbox.safety import WebhookPolicy
from parceltrace.outbox.transport import post
from parceltrace.store.records import Delivery, DeliveryAttempt
from parceltrace.webhooks.signing import headers_for


@dataclass(frozen=True, slots=True)
class SigningKeys:
    api_key: str
    """The current key: 17TRACK's `sign` is sha256(body + "/" + key)."""
    webhook_secret: str
    """`whsec_...`, the Standard Webhooks signing secret."""


async def send_webhook(
    session: aiohttp.ClientSession,
    policy: WebhookPolicy,
    message: Delivery,
    url: str | None,
    keys: SigningKeys | None,
    at: datetime,
) -> DeliveryAttempt:
    """The attempt's outcome, recorded as made at `at` (the account's clock)."""

    if not url or keys is None:
        missing = "the account has no webhook URL" if not url else "the account has no signing keys"
        return attempt(message, at, None, 0, missing)
    body = message.body.encode()
    headers = headers_for(body, message.message_id, int(time.time()), keys.api_key, keys.webhook_secret)
    started = time.perf_counter()
    status, error = await post(session, policy, url, body, headers)
    return attempt(message, at, status, int((time.perf_counter() - started) * 1000), error)


def attempt(
    message: Delivery, at: datetime, status: int | None, latency_ms: int, error: str | None
) -> DeliveryAttempt:
    """An attempt at `message` made at `at`: its HTTP status (None: none) and why it failed."""
    return DeliveryAttempt(
        delivery_id=message.id,
        account_id=message.account_id,
        tracking_id=message.tracking_id,
        attempted_at=at,
        status_code=status,
        latency_ms=latency_ms,
        error=error,
    )
