"""Claiming due rows with a lease: the one way the poller, dispatcher and mailer take work.

A claim marks up to `limit` due rows whose lease is free or lapsed with `lease_owner` and
`lease_until`, in one statement; on PostgreSQL rows another worker is claiming are skipped
(`FOR UPDATE SKIP LOCKED`), on SQLite the single writer serialises claims.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Row, Table, or_, select, update

from parceltrace.store.engine import Store


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
    the sandbox must run on real time: a virtual clock that jumps would expire them at once."""
    lease_base = lease_now or now
    due = (
        select(table.c.id)
        .where(*where, or_(table.c.lease_until.is_(None), table.c.lease_until < lease_base))
        .order_by(*order_by)
        .limit(limit)
    )
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
