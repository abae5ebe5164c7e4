"""The dispatcher: claims due webhook deliveries with a lease, posts them signed, records each
attempt. Only HTTP 200 counts as success (003); a failed message is tried 3 more times, after
600, 1800 and 3600 s, then given up. Per tracking, messages go out in order: a message waits
while an older one for the same tracking is still pending."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import aiohttp
import structlog
from sqlalchemy import Row, and_, bindparam, delete, exists, or_, select, update
from sqlalchemy.orm import aliased

from parceltrace.delivery.transport import TIMEOUT, new_session, post
from parceltrace.protocol.status import PushStatus
from parceltrace.service.accounts import SigningKeys, signing_keys
from parceltrace.service.context import Services
from parceltrace.store.claims import claim_due, due
from parceltrace.store.tables import accounts, deliveries, delivery_attempts, trackings
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

    async def claim(self, now: datetime, account_id: int | None = None) -> list[Row[Any]]:
        """Due messages (by each account's clock, or `account_id`'s by `now`), each only when no
        older message of its tracking is still pending."""
        older = aliased(deliveries)
        waiting_behind_older = exists().where(
            older.c.tracking_id == deliveries.c.tracking_id,
            older.c.state == "pending",
            older.c.id < deliveries.c.id,
        )
        return await claim_due(
            self.services.store,
            deliveries,
            now=now,
            lease_now=self.services.lease_now(),
            owner=self.owner,
            lease=self.lease,
            where=[
                deliveries.c.state == "pending",
                due(deliveries.c.due_at, deliveries.c.account_id, now, self.services.clocks.groups())
                if account_id is None
                else and_(deliveries.c.account_id == account_id, deliveries.c.due_at <= now),
                or_(deliveries.c.tracking_id.is_(None), ~waiting_behind_older),
            ],
            order_by=[deliveries.c.due_at, deliveries.c.id],
            limit=self.batch_size,
            returning=[
                deliveries.c.id,
                deliveries.c.account_id,
                deliveries.c.tracking_id,
                deliveries.c.message_id,
                deliveries.c.body,
                deliveries.c.due_at,
                deliveries.c.attempts,
            ],
        )

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
        async with self.services.store.read() as conn:
            urls = dict(
                (
                    await conn.execute(
                        select(accounts.c.id, accounts.c.webhook_url).where(accounts.c.id.in_(account_ids))
                    )
                ).all()
            )
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

    async def _attempt(
        self, row: Row[Any], url: str | None, keys: SigningKeys | None, at: datetime
    ) -> Attempt:
        """One delivery's attempt; whatever goes wrong inside it is that attempt's recorded
        failure, never the batch's (the other accounts' messages are recorded as usual)."""
        try:
            return await self._try(row, url, keys, at)
        except Exception as exc:
            log.exception("webhook attempt failed inside", delivery_id=row.id, account_id=row.account_id)
            return Attempt(
                row.id, row.account_id, row.tracking_id, at, None, 0, f"internal error: {exc}"[:500]
            )

    async def _try(self, row: Row[Any], url: str | None, keys: SigningKeys | None, at: datetime) -> Attempt:
        if not url or keys is None:
            missing = "the account has no webhook URL" if not url else "the account has no signing keys"
            return Attempt(row.id, row.account_id, row.tracking_id, at, None, 0, missing)
        refusal = self.services.webhook_policy.before_connecting(url)
        if refusal:
            return Attempt(row.id, row.account_id, row.tracking_id, at, None, 0, f"refused: {refusal}")
        body = row.body.encode()
        headers = headers_for(body, row.message_id, int(time.time()), keys.api_key, keys.webhook_secret)
        started = time.perf_counter()
        status, error = await post(self.session, url, body, headers)
        latency = int((time.perf_counter() - started) * 1000)
        return Attempt(row.id, row.account_id, row.tracking_id, at, status, latency, error)

    async def _record(self, rows: list[Row[Any]], attempts: list[Attempt]) -> None:
        """One transaction: each message's new state, each tracking's push fields, the log."""
        message_updates: list[dict[str, Any]] = []
        tracking_updates: list[dict[str, Any]] = []
        for row, attempt in zip(rows, attempts, strict=True):
            done = row.attempts + 1
            if attempt.succeeded:
                state, due = "delivered", row.due_at
            elif done >= MAX_ATTEMPTS:
                state, due = "failed", row.due_at
            else:
                state, due = "pending", attempt.attempted_at + RETRY_DELAYS[done - 1]
            message_updates.append({"b_id": row.id, "b_attempts": done, "b_state": state, "b_due": due})
            self.services.metrics.deliveries.labels("retry" if state == "pending" else state).inc()
            if attempt.tracking_id is not None:
                tracking_updates.append(
                    {
                        "b_id": attempt.tracking_id,
                        "b_time": attempt.attempted_at,
                        "b_status": (PushStatus.SUCCESS if attempt.succeeded else PushStatus.FAILURE).value,
                        "b_code": attempt.status_code,
                    }
                )
        async with self.services.store.write() as conn:
            await conn.execute(
                update(deliveries)
                .where(and_(deliveries.c.id == bindparam("b_id"), deliveries.c.lease_owner == self.owner))
                .values(
                    attempts=bindparam("b_attempts"),
                    state=bindparam("b_state"),
                    due_at=bindparam("b_due"),
                    lease_owner=None,
                    lease_until=None,
                ),
                message_updates,
            )
            if tracking_updates:
                await conn.execute(
                    update(trackings)
                    .where(trackings.c.id == bindparam("b_id"))
                    .values(
                        push_time=bindparam("b_time"),
                        push_status=bindparam("b_status"),
                        push_status_code=bindparam("b_code"),
                    ),
                    tracking_updates,
                )
            await conn.execute(
                delivery_attempts.insert(),
                [
                    {
                        "delivery_id": a.delivery_id,
                        "account_id": a.account_id,
                        "attempted_at": a.attempted_at,
                        "status_code": a.status_code,
                        "latency_ms": a.latency_ms,
                        "error": a.error,
                    }
                    for a in attempts
                ],
            )

    async def prune_log(self) -> None:
        """Keep the newest LOG_PER_ACCOUNT attempts of each account."""
        async with self.services.store.write() as conn:
            for account_id in (await conn.execute(select(accounts.c.id))).scalars():
                cutoff = (
                    await conn.execute(
                        select(delivery_attempts.c.id)
                        .where(delivery_attempts.c.account_id == account_id)
                        .order_by(delivery_attempts.c.id.desc())
                        .offset(LOG_PER_ACCOUNT)
                        .limit(1)
                    )
                ).scalar()
                if cutoff is not None:
                    await conn.execute(
                        delete(delivery_attempts).where(
                            delivery_attempts.c.account_id == account_id, delivery_attempts.c.id <= cutoff
                        )
                    )
