"""BulkInsert: SQLAlchemy's compiled INSERT with rows as positional tuples, on both stores."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from parceltrace.service.accounts import AccountSettings, create_account
from parceltrace.service.context import Services
from parceltrace.store.bulk import BulkInsert
from parceltrace.store.tables import trackings

COLUMNS = ("account_id", "number", "carrier", "origin", "tag", "register_time", "next_poll_at")


async def test_rows_round_trip_with_their_own_instants(services: Services) -> None:
    account, _ = await create_account(services, "a", AccountSettings())
    first = datetime(2026, 3, 1, 12, 30, 15, 123456, tzinfo=UTC)
    second = first + timedelta(days=40, microseconds=1)
    elsewhere = first.astimezone(timezone(timedelta(hours=2)))  # the same instant, another zone
    rows = [
        (account.id, "N1", 3011, 1, None, first, second),
        (account.id, "N2", 3011, 1, "tag two", second, first),
        (account.id, "N3", 21051, 3, "ünïcode", elsewhere, None),
    ]
    async with services.store.write() as conn:
        await BulkInsert(trackings, COLUMNS).execute(conn, rows)
    async with services.store.read() as conn:
        stored = (
            await conn.execute(select(*(trackings.c[name] for name in COLUMNS)).order_by(trackings.c.number))
        ).all()
    assert [tuple(row) for row in stored] == rows


async def test_no_rows_is_nothing_to_do(services: Services) -> None:
    async with services.store.write() as conn:
        await BulkInsert(trackings, COLUMNS).execute(conn, [])


async def test_columns_in_another_order_than_the_table_are_refused(services: Services) -> None:
    bulk = BulkInsert(trackings, ("number", "account_id"))
    async with services.store.write() as conn:
        with pytest.raises(ValueError, match="column order"):
            await bulk.execute(conn, [("N1", 1)])
