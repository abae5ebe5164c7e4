"""Delivering webhook messages: claiming due ones, where each account's go, the retry policy,
and recording attempts. The worker's dispatcher decides only how many run at once and when.

Only HTTP 200 counts as success (003); a failed message is tried 3 more times, after 600, 1800
and 3600 s, then given up. Per tracking, messages go out in order: a message waits while an
older one for the same tracking is still pending (the claim sees to it)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from parceltrace.outbox.sending import SigningKeys
from parceltrace.protocol.status import PushStatus
from parceltrace.service.accounts import signing_keys
from parceltrace.service.context import Services
from parceltrace.store.deliveries import (
    claim_deliveries,
    prune_attempts,
    record_attempts,
    release_deliveries,
    webhook_urls,
)
from parceltrace.store.deliveries import (
    prune_outbox as delete_finished,
)
from parceltrace.store.records import Delivery, DeliveryAttempt, MessageState, PushState

OUTBOX_CHUNK = 500
"""Finished webhook messages deleted per write transaction: each chunk holds SQLite's single
writer briefly, and other writes take their turn between chunks."""
OUTBOX_CHUNKS_PER_RUN = 20
RETRY_DELAYS = (timedelta(seconds=600), timedelta(seconds=1800), timedelta(seconds=3600))
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
LOG_PER_ACCOUNT = 100


async def claim(
    services: Services,
    owner: str,
    lease: timedelta,
    now: datetime,
    account_id: int | None,
    limit: int,
    skip: frozenset[int] = frozenset(),
) -> list[Delivery]:
    """Lease due messages (by each account's clock, or `account_id`'s by `now`), none of
    `skip`'s accounts."""
    return await claim_deliveries(services.store, services.claim(owner, lease, now, account_id, limit), skip)


async def give_back(services: Services, owner: str, ids: Sequence[int]) -> None:
    """End the leases of claimed messages not attempted (due again at once)."""
    await release_deliveries(services.store, owner, ids)


async def destinations(
    services: Services, account_ids: set[int]
) -> dict[int, tuple[str | None, SigningKeys | None]]:
    """Each account's webhook URL and signing keys."""
    urls = await webhook_urls(services.store, account_ids)
    keys = await signing_keys(services, account_ids)
    return {account_id: (urls.get(account_id), keys.get(account_id)) for account_id in account_ids}


def after_attempt(message: Delivery, attempt: DeliveryAttempt) -> MessageState:
    """The retry policy: delivered, failed for good after MAX_ATTEMPTS, or due again later."""
    done = message.attempts + 1
    if attempt.succeeded:
        return MessageState(delivery_id=message.id, attempts=done, state="delivered", due_at=message.due_at)
    if done >= MAX_ATTEMPTS:
        return MessageState(delivery_id=message.id, attempts=done, state="failed", due_at=message.due_at)
    due = attempt.attempted_at + RETRY_DELAYS[done - 1]
    return MessageState(delivery_id=message.id, attempts=done, state="pending", due_at=due)


def push_state(attempt: DeliveryAttempt) -> PushState | None:
    """What the message's tracking shows of it (None: the message has no tracking)."""
    if attempt.tracking_id is None:
        return None
    status = PushStatus.SUCCESS if attempt.succeeded else PushStatus.FAILURE
    return PushState(
        tracking_id=attempt.tracking_id,
        push_time=attempt.attempted_at,
        push_status=status.value,
        push_status_code=attempt.status_code,
    )


async def record(
    services: Services, owner: str, messages: Sequence[Delivery], attempts: Sequence[DeliveryAttempt]
) -> None:
    """Each message's new state (while `owner` still holds its lease), its tracking's push
    fields and the delivery log, in one transaction."""
    states = [after_attempt(m, a) for m, a in zip(messages, attempts, strict=True)]
    pushes = [p for p in map(push_state, attempts) if p is not None]
    await record_attempts(services.store, owner, states, pushes, attempts)
    for state in states:
        services.metrics.deliveries.labels("retry" if state.state == "pending" else state.state).inc()


async def prune_log(services: Services) -> None:
    """Keep the newest LOG_PER_ACCOUNT attempts of each account."""
    await prune_attempts(services.store, LOG_PER_ACCOUNT)


async def prune_outbox(services: Services, now: datetime) -> int:
    """Finished messages past the retention (by each account's clock) or of deleted trackings,
    OUTBOX_CHUNK at a time, at most OUTBOX_CHUNKS_PER_RUN chunks; how many went."""
    created_before = now - services.delivery_retention
    groups = services.clocks.groups()
    removed = 0
    for _ in range(OUTBOX_CHUNKS_PER_RUN):
        chunk = await delete_finished(services.store, created_before, groups, OUTBOX_CHUNK)
        removed += chunk
        if chunk < OUTBOX_CHUNK:
            break
    return removed
