"""The dispatcher: claims due webhook deliveries with a lease, posts them signed, records each
attempt. Only HTTP 200 counts as success (003); a failed message is tried 3 more times, after
600, 1800 and 3600 s, then given up. Per tracking, messages go out in order: a message waits
while an older one for the same tracking is still pending."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import aiohttp
import structlog

from parceltrace.delivery.transport import TIMEOUT, new_session, post
from parceltrace.protocol.status import PushStatus
from parceltrace.service.accounts import SigningKeys, signing_keys
from parceltrace.service.context import Services
from parceltrace.store.deliveries import (
    MessageState,
    PushState,
    claim_deliveries,
    prune_attempts,
    record_attempts,
    webhook_urls,
)
from parceltrace.store.engine import Record
from parceltrace.webhooks.signing import headers_for

RETRY_DELAYS = (timedelta(seconds=600), timedelta(seconds=1800), timedelta(seconds=3600))
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
LOG_PER_ACCOUNT = 100
MIN_DELIVERY_LEASE = timedelta(seconds=TIMEOUT + 5)
"""A delivery lease outlasts the HTTP timeout, so no message is taken over while in flight."""
log = structlog.get_logger("parceltrace.dispatcher")


@dataclass(frozen=True, slots=True)
class Attempt:
    delivery_id: int
    account_id: int
    tracking_id: int | None
    attempted_at: datetime
    status_code: int | None
    latency_ms: int
    error: str | None

    @property
    def succeeded(self) -> bool:
        return self.status_code == 200


class Dispatcher:
    def __init__(
        self,
        services: Services,
        owner: str,
        batch_size: int = 250,
        lease: timedelta = timedelta(seconds=60),
    ) -> None:
        self.services = services
        self.owner = owner
        self.batch_size = batch_size
        self.lease = lease
        self._session: aiohttp.ClientSession | None = None

    @property
    def session(self) -> aiohttp.ClientSession:
        """Created on first use, inside the running event loop."""
        if self._session is None:
            self._session = new_session(self.services.webhook_policy, connections=self.batch_size)
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()

    async def claim(self, now: datetime, account_id: int | None = None) -> list[Record]:
        """Due messages (by each account's clock, or `account_id`'s by `now`), each only when no
        older message of its tracking is still pending."""
        claim = self.services.claim(self.owner, self.lease, now, account_id, self.batch_size)
        return await claim_deliveries(self.services.store, claim)

    async def deliver_batch(
        self, now: datetime, *, at_due_time: bool = False, account_id: int | None = None
    ) -> list[Attempt]:
        """Claim due deliveries and attempt each; `at_due_time` records each attempt at the
        moment it was due (the sandbox's clock advance of `account_id`)."""
        rows = await self.claim(now, account_id)
        if not rows:
            return []
        account_ids = {row.account_id for row in rows}
        keys = await signing_keys(self.services.store, account_ids)
        urls = await webhook_urls(self.services.store, account_ids)
        attempts = await asyncio.gather(
            *(
                self._attempt(
                    row,
                    urls.get(row.account_id),
                    keys.get(row.account_id),
                    row.due_at if at_due_time else now + self.services.clocks.offset(row.account_id),
                )
                for row in rows
            )
        )
        await self._record(rows, attempts)
        return attempts

    async def _attempt(self, row: Record, url: str | None, keys: SigningKeys | None, at: datetime) -> Attempt:
        """One delivery's attempt; whatever goes wrong inside it is that attempt's recorded
        failure, never the batch's (the other accounts' messages are recorded as usual)."""
        try:
            return await self._try(row, url, keys, at)
        except Exception as exc:
            log.exception("webhook attempt failed inside", delivery_id=row.id, account_id=row.account_id)
            return Attempt(
                row.id, row.account_id, row.tracking_id, at, None, 0, f"internal error: {exc}"[:500]
            )

    async def _try(self, row: Record, url: str | None, keys: SigningKeys | None, at: datetime) -> Attempt:
        if not url or keys is None:
            missing = "the account has no webhook URL" if not url else "the account has no signing keys"
            return Attempt(row.id, row.account_id, row.tracking_id, at, None, 0, missing)
        body = row.body.encode()
        headers = headers_for(body, row.message_id, int(time.time()), keys.api_key, keys.webhook_secret)
        started = time.perf_counter()
        status, error = await post(self.session, self.services.webhook_policy, url, body, headers)
        latency = int((time.perf_counter() - started) * 1000)
        return Attempt(row.id, row.account_id, row.tracking_id, at, status, latency, error)

    async def _record(self, rows: list[Record], attempts: list[Attempt]) -> None:
        """Each message's new state, each tracking's push fields and the log, in one transaction."""
        messages: list[MessageState] = []
        pushes: list[PushState] = []
        for row, attempt in zip(rows, attempts, strict=True):
            done = row.attempts + 1
            if attempt.succeeded:
                state, due = "delivered", row.due_at
            elif done >= MAX_ATTEMPTS:
                state, due = "failed", row.due_at
            else:
                state, due = "pending", attempt.attempted_at + RETRY_DELAYS[done - 1]
            messages.append(MessageState(row.id, done, state, due))
            self.services.metrics.deliveries.labels("retry" if state == "pending" else state).inc()
            if attempt.tracking_id is not None:
                status = PushStatus.SUCCESS if attempt.succeeded else PushStatus.FAILURE
                pushes.append(
                    PushState(attempt.tracking_id, attempt.attempted_at, status.value, attempt.status_code)
                )
        await record_attempts(self.services.store, self.owner, messages, pushes, attempts)

    async def prune_log(self) -> None:
        """Keep the newest LOG_PER_ACCOUNT attempts of each account."""
        await prune_attempts(self.services.store, LOG_PER_ACCOUNT)
