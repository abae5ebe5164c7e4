"""What the store holds, read as its typed records, for tests to assert on (`Tracking`,
`Delivery`, `Mail`, ... rather than SQL rows). The SQL for it is here, once; tests outside
tests/store/ use these or the store's own functions."""

from __future__ import annotations

from sqlalchemy import select

from parceltrace.store.engine import Store
from parceltrace.store.records import (
    AttemptLogEntry,
    Delivery,
    Mail,
    Tracking,
    UpstreamRegistration,
    records,
)
from parceltrace.store.tables import deliveries as deliveries_table
from parceltrace.store.tables import delivery_attempts, emails, upstream_registrations
from parceltrace.store.tables import trackings as trackings_table


async def trackings(store: Store, account_id: int | None = None) -> list[Tracking]:
    """Every tracking (of `account_id`), oldest first."""
    query = select(trackings_table).order_by(trackings_table.c.id)
    if account_id is not None:
        query = query.where(trackings_table.c.account_id == account_id)
    async with store.read() as conn:
        return records(Tracking, await conn.execute(query))


async def deliveries(store: Store, account_id: int | None = None) -> list[Delivery]:
    """Every webhook message in the outbox (of `account_id`), oldest first."""
    query = select(deliveries_table).order_by(deliveries_table.c.id)
    if account_id is not None:
        query = query.where(deliveries_table.c.account_id == account_id)
    async with store.read() as conn:
        return records(Delivery, await conn.execute(query))


async def attempts(store: Store) -> list[AttemptLogEntry]:
    """Every logged delivery attempt with its message's facts, oldest first."""
    query = (
        select(
            delivery_attempts,
            deliveries_table.c.event,
            deliveries_table.c.number,
            deliveries_table.c.message_id,
            deliveries_table.c.state,
        )
        .join(deliveries_table, deliveries_table.c.id == delivery_attempts.c.delivery_id)
        .order_by(delivery_attempts.c.id)
    )
    async with store.read() as conn:
        return records(AttemptLogEntry, await conn.execute(query))


async def mails(store: Store) -> list[Mail]:
    async with store.read() as conn:
        return records(Mail, await conn.execute(select(emails).order_by(emails.c.id)))


async def upstream(store: Store) -> list[UpstreamRegistration]:
    query = select(upstream_registrations).order_by(upstream_registrations.c.id)
    async with store.read() as conn:
        return records(UpstreamRegistration, await conn.execute(query))
