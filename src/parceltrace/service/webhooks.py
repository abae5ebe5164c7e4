"""Webhook management: a signed test push, the delivery log, redelivery."""

from __future__ import annotations

import time
from dataclasses import dataclass

from parceltrace.outbox.safety import WebhookPolicy
from parceltrace.outbox.transport import new_session, post
from parceltrace.protocol.errors import ErrorCode, message
from parceltrace.service.accounts import AccountError, get_account, signing_keys
from parceltrace.service.context import Services
from parceltrace.store.deliveries import attempt_log, requeue
from parceltrace.store.records import AttemptLogEntry
from parceltrace.webhooks.payload import new_message_id, stopped_body
from parceltrace.webhooks.signing import headers_for

TEST_NUMBER = "PARCELTRACE-TEST"


@dataclass(frozen=True, slots=True)
class TestResult:
    ok: bool
    status_code: int | None
    latency_ms: int
    detail: str


async def test_webhook(services: Services, name: str, policy: WebhookPolicy) -> TestResult:
    """Send a signed TRACKING_STOPPED for a test number; only HTTP 200 passes (as 17TRACK's test)."""
    account = await get_account(services, name)
    if account is None:
        raise AccountError(f"no account named {name!r} (see `parceltrace account list`)")
    if not account.webhook_url:
        raise AccountError(
            f"{ErrorCode.WEBHOOK_URL_REQUIRED.value}: {message(ErrorCode.WEBHOOK_URL_REQUIRED)}"
        )
    refusal = policy.before_connecting(account.webhook_url)
    if refusal:
        return TestResult(False, None, 0, refusal)  # said as is, before a key is even read
    keys = (await signing_keys(services, {account.id}))[account.id]
    body = stopped_body(TEST_NUMBER, 0, None, "webhook test")
    headers = headers_for(body, new_message_id(), int(time.time()), keys.api_key, keys.webhook_secret)
    started = time.perf_counter()
    async with new_session(policy, connections=1) as session:
        status, error = await post(session, policy, account.webhook_url, body, headers)
    latency = int((time.perf_counter() - started) * 1000)
    if status == 200:
        return TestResult(True, status, latency, "Operation done")
    detail = message(ErrorCode.WEBHOOK_TEST_FAILED, status if status is not None else error)
    return TestResult(False, status, latency, f"{ErrorCode.WEBHOOK_TEST_FAILED.value}: {detail}")


async def delivery_log(services: Services, name: str, limit: int = 100) -> list[AttemptLogEntry]:
    """The account's latest `limit` attempts, newest first, each with its message's facts."""
    account = await get_account(services, name)
    if account is None:
        raise AccountError(f"no account named {name!r} (see `parceltrace account list`)")
    return await attempt_log(services.store, account.id, limit)


async def redeliver(services: Services, message_id: str, account_id: int | None = None) -> None:
    """Queue a logged message again, same id and bytes, with a fresh set of attempts, due at once
    whatever the clock (sandbox or real): from the moment the message was first created.
    `account_id`: only that account's message (the dashboard); None: any (the operator's CLI)."""
    if not await requeue(services.store, message_id, account_id):
        raise AccountError(f"no message {message_id!r} (see `parceltrace deliveries NAME`)")
