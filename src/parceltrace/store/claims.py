"""Claiming due rows with a lease: the one way the poller, dispatcher and mailer take work.

A claim marks up to `limit` due rows whose lease is free or lapsed with `lease_owner` and
`lease_until`, in one statement; on PostgreSQL rows another worker is claiming are skipped
(`FOR UPDATE SKIP LOCKED`), on SQLite the single writer serialises claims.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Row, Table, and_, or_, select, update

from parceltrace.store.engine import Store
from parceltrace.store.tables import deliveries, emails, trackings

Groups = Sequence[tuple[timedelta, frozenset[int]]]


def due(time_column: Any, account_column: Any, base_now: datetime, ahead: Groups) -> ColumnElement[bool]:
    """`time_column <= now` where now is each row's account's: `base_now` for most accounts,
    later for the sandbox accounts whose clocks run ahead (asked for group by group)."""
    if not ahead:
        return time_column <= base_now  # type: ignore[no-any-return]
    every_ahead = [account for _, group in ahead for account in group]
    return or_(
        and_(account_column.not_in(every_ahead), time_column <= base_now),
        *(
            and_(account_column.in_(sorted(group)), time_column <= base_now + offset)
            for offset, group in ahead
        ),
    )


def due_for(
    time_column: Any, account_column: Any, now: datetime, ahead: Groups, account_id: int | None
) -> ColumnElement[bool]:
    """Due by each account's own clock (`due`), or, given `account_id`, that account's rows due
    by `now` (the sandbox clock advance of one account)."""
    if account_id is None:
        return due(time_column, account_column, now, ahead)
    return and_(account_column == account_id, time_column <= now)


@dataclass(frozen=True, slots=True)
class Claim:
    """One claim of due work: who takes it and for how long, what "now" is (`now` decides what
    is due, `lease_now` times the leases), whose work (every account, or `account_id`'s) and
    how much."""

    owner: str
    lease: timedelta
    now: datetime
    lease_now: datetime
    ahead: Groups
    account_id: int | None
    limit: int

    def due(self, time_column: Any, account_column: Any) -> ColumnElement[bool]:
        return due_for(time_column, account_column, self.now, self.ahead, self.account_id)


async def claim_due(
    store: Store,
    table: Table,
    *,
    now: datetime,
    lease_now: datetime | None = None,
    owner: str,
    lease: timedelta,
    where: Sequence[ColumnElement[bool]],
    order_by: Sequence[Any],
    limit: int,
    returning: Sequence[Any],
) -> list[Row[Any]]:
    """`now` decides what is due (`where`); `lease_now` (default `now`) times the leases, which in
    the sandbox must run on real time: a virtual clock that jumps would expire them at once.

    A read looks first: most claims find nothing due (the dispatcher and mailer ask after every
    poll batch), and on SQLite a claim that finds nothing still holds the single writer."""
    lease_base = lease_now or now
    claimable = (*where, or_(table.c.lease_until.is_(None), table.c.lease_until < lease_base))
    async with store.read() as conn:
        if (await conn.execute(select(table.c.id).where(*claimable).limit(1))).first() is None:
            return []
    due = select(table.c.id).where(*claimable).order_by(*order_by).limit(limit)
    if not store.is_sqlite:
        due = due.with_for_update(skip_locked=True)
    statement = (
        update(table)
        .where(table.c.id.in_(due.scalar_subquery()))
        .values(lease_owner=owner, lease_until=lease_base + lease)
        .returning(*returning)
    )
    async with store.write() as conn:
        return list((await conn.execute(statement)).all())


async def release_dead_owners(store: Store, host: str, alive: Callable[[int], bool]) -> int:
    """Frees the leases (of trackings, webhook messages and mails) that processes of this host
    (owners `host:pid`) which no longer run still hold, so a restart after a crash takes their
    work up at once instead of when the leases lapse. A pid that is alive (even reused by
    another program) keeps its leases."""
    released = 0
    async with store.write() as conn:
        for table in (trackings, deliveries, emails):
            owners = (
                await conn.execute(
                    select(table.c.lease_owner).where(table.c.lease_owner.like(f"{host}:%")).distinct()
                )
            ).scalars()
            dead = [
                o for o in owners if o.rsplit(":", 1)[1].isdigit() and not alive(int(o.rsplit(":", 1)[1]))
            ]
            if dead:
                result = await conn.execute(
                    update(table)
                    .where(table.c.lease_owner.in_(dead))
                    .values(lease_owner=None, lease_until=None)
                )
                released += int(result.rowcount or 0)
    return released
