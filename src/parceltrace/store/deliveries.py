"""The webhook outbox as the dispatcher uses it: claiming due messages, recording attempts and
their effect on the trackings' push fields, and keeping the delivery log short."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, delete, exists, or_, select, update
from sqlalchemy.orm import aliased

from parceltrace.store.claims import Claim, Groups, claim_due, due
from parceltrace.store.engine import Store, Transaction
from parceltrace.store.records import (
    AttemptLogEntry,
    Delivery,
    DeliveryAttempt,
    MessageState,
    PushState,
    records,
)
from parceltrace.store.tables import accounts, deliveries, delivery_attempts, trackings


async def claim_deliveries(
    store: Store, claim: Claim, skip_accounts: frozenset[int] = frozenset()
) -> list[Delivery]:
    """Due messages (by each account's clock, or `account_id`'s by `now`), each only when no
    older message of its tracking is still pending: per tracking, messages go out in order.
    `skip_accounts`: accounts whose receivers are busy; their messages wait for the next claim."""
    older = aliased(deliveries)
    waiting_behind_older = exists().where(
        older.c.tracking_id == deliveries.c.tracking_id,
        older.c.state == "pending",
        older.c.id < deliveries.c.id,
    )
    claimed = await claim_due(
        store,
        deliveries,
        now=claim.now,
        lease_now=claim.lease_now,
        owner=claim.owner,
        lease=claim.lease,
        where=[
            deliveries.c.state == "pending",
            claim.due(deliveries.c.due_at, deliveries.c.account_id),
            or_(deliveries.c.tracking_id.is_(None), ~waiting_behind_older),
            *([deliveries.c.account_id.not_in(sorted(skip_accounts))] if skip_accounts else []),
        ],
        order_by=[deliveries.c.due_at, deliveries.c.id],
        limit=claim.limit,
        returning=list(deliveries.c),
    )
    return records(Delivery, claimed)


async def prune_outbox(store: Store, created_before: datetime, ahead: Groups, limit: int) -> int:
    """Delete up to `limit` finished (delivered or failed) messages, with their logged attempts:
    those created before `created_before` by their account's clock, and those whose tracking was
    deleted. Pending messages stay whatever their age. How many were deleted."""
    tracking_gone = ~exists().where(trackings.c.id == deliveries.c.tracking_id)
    finished = select(deliveries.c.id).where(
        deliveries.c.state.in_(("delivered", "failed")),
        or_(
            due(deliveries.c.created_at, deliveries.c.account_id, created_before, ahead),
            and_(deliveries.c.tracking_id.is_not(None), tracking_gone),
        ),
    )
    async with store.read() as conn:
        ids = list((await conn.execute(finished.limit(limit))).scalars())
    if not ids:
        return 0
    async with store.write() as conn:
        await conn.execute(delete(delivery_attempts).where(delivery_attempts.c.delivery_id.in_(ids)))
        result = await conn.execute(
            delete(deliveries).where(
                deliveries.c.id.in_(ids), deliveries.c.state.in_(("delivered", "failed"))
            )
        )
    return int(result.rowcount or 0)


async def webhook_urls(store: Store, account_ids: set[int]) -> dict[int, str | None]:
    async with store.read() as conn:
        rows = await conn.execute(
            select(accounts.c.id, accounts.c.webhook_url).where(accounts.c.id.in_(account_ids))
        )
        return {account_id: url for account_id, url in rows.all()}


async def release_deliveries(store: Store, owner: str, ids: Sequence[int]) -> None:
    """Give back claimed messages untried (their account's receiver is busy): due as they were."""
    if ids:
        async with store.write() as conn:
            await conn.execute(
                update(deliveries)
                .where(deliveries.c.id.in_(ids), deliveries.c.lease_owner == owner)
                .values(lease_owner=None, lease_until=None)
            )


async def record_attempts(
    store: Store,
    owner: str,
    messages: Sequence[MessageState],
    pushes: Sequence[PushState],
    attempts: Sequence[DeliveryAttempt],
) -> None:
    """One transaction: each message's new state (while `owner` still holds its lease), each
    tracking's push fields, the log."""
    async with store.write() as conn:
        if messages:
            await conn.execute(
                update(deliveries)
                .where(and_(deliveries.c.id == bindparam("b_id"), deliveries.c.lease_owner == owner))
                .values(
                    attempts=bindparam("b_attempts"),
                    state=bindparam("b_state"),
                    due_at=bindparam("b_due"),
                    lease_owner=None,
                    lease_until=None,
                ),
                [
                    {"b_id": m.delivery_id, "b_attempts": m.attempts, "b_state": m.state, "b_due": m.due_at}
                    for m in messages
                ],
            )
            if pushes:
                await conn.execute(
                    update(trackings)
                    .where(trackings.c.id == bindparam("b_id"))
                    .values(
                        push_time=bindparam("b_time"),
                        push_status=bindparam("b_status"),
                        push_status_code=bindparam("b_code"),
                    ),
                    [
                        {
                            "b_id": p.tracking_id,
                            "b_time": p.push_time,
                            "b_status": p.push_status,
                            "b_code": p.push_status_code,
                        }
                        for p in pushes
                    ],
                )
            await conn.execute(delivery_attempts.insert(), [_logged(a) for a in attempts])


def _logged(attempt: DeliveryAttempt) -> dict[str, Any]:
    return {
        "delivery_id": attempt.delivery_id,
        "account_id": attempt.account_id,
        "attempted_at": attempt.attempted_at,
        "status_code": attempt.status_code,
        "latency_ms": attempt.latency_ms,
        "error": attempt.error,
    }


async def prune_attempts(store: Store, keep: int) -> None:
    """Keep the newest `keep` attempts of each account."""
    async with store.write() as conn:
        for account_id in (await conn.execute(select(accounts.c.id))).scalars():
            cutoff = (
                await conn.execute(
                    select(delivery_attempts.c.id)
                    .where(delivery_attempts.c.account_id == account_id)
                    .order_by(delivery_attempts.c.id.desc())
                    .offset(keep)
                    .limit(1)
                )
            ).scalar()
            if cutoff is not None:
                await conn.execute(
                    delete(delivery_attempts).where(
                        delivery_attempts.c.account_id == account_id, delivery_attempts.c.id <= cutoff
                    )
                )


async def attempt_log(store: Store, account_id: int, limit: int) -> list[AttemptLogEntry]:
    """The account's latest attempts, newest first, each with its message's event, number, id
    and state."""
    query = (
        select(
            delivery_attempts,
            deliveries.c.event,
            deliveries.c.number,
            deliveries.c.message_id,
            deliveries.c.state,
        )
        .join(deliveries, deliveries.c.id == delivery_attempts.c.delivery_id)
        .where(delivery_attempts.c.account_id == account_id)
        .order_by(delivery_attempts.c.attempted_at.desc(), delivery_attempts.c.id.desc())
        .limit(limit)
    )
    async with store.read() as conn:
        return records(AttemptLogEntry, await conn.execute(query))


async def requeue(store: Store, message_id: str, account_id: int | None) -> bool:
    """The message pending again with a fresh set of attempts, due from when it was created;
    `account_id`: only if it is that account's. False when there is no such message."""
    mine = deliveries.c.message_id == message_id
    if account_id is not None:
        mine &= deliveries.c.account_id == account_id
    async with store.write() as conn:
        result = await conn.execute(
            update(deliveries)
            .where(mine)
            .values(
                state="pending",
                attempts=0,
                due_at=deliveries.c.created_at,
                lease_owner=None,
                lease_until=None,
            )
        )
    return bool(result.rowcount)


@dataclass(frozen=True, slots=True)
class NewMessage:
    """A webhook message to queue, due at `due_at`."""

    message_id: str
    account_id: int
    tracking_id: int
    number: str
    carrier: int
    event: str
    body: str
    created_at: datetime
    due_at: datetime


async def configured_webhook_urls(conn: Transaction, account_ids: set[int]) -> dict[int, str]:
    """The webhook URLs of those accounts that have one, inside the caller's transaction."""
    if not account_ids:
        return {}
    rows = await conn.execute(
        select(accounts.c.id, accounts.c.webhook_url).where(
            accounts.c.id.in_(account_ids), accounts.c.webhook_url.is_not(None)
        )
    )
    return {row.id: row.webhook_url for row in rows}


async def insert_messages(conn: Transaction, messages: Sequence[NewMessage]) -> None:
    if messages:
        await conn.execute(deliveries.insert(), [asdict(message) for message in messages])
