"""Account rows: the quota counters a charge reads and writes inside its caller's transaction."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update

from parceltrace.store.engine import Transaction
from parceltrace.store.tables import accounts


@dataclass(frozen=True, slots=True)
class QuotaCounters:
    quota_total: int
    quota_used: int
    max_track_daily: int
    today_used: int
    today_date: str | None
    """The UTC day `today_used` counts (ISO date)."""


async def quota_counters(conn: Transaction, account_id: int) -> QuotaCounters:
    """The account's quota counters, locked to the transaction's end where the engine can
    (FOR UPDATE; SQLite's single writer serialises charges anyway)."""
    query = (
        select(
            accounts.c.quota_total,
            accounts.c.quota_used,
            accounts.c.max_track_daily,
            accounts.c.today_used,
            accounts.c.today_date,
        )
        .where(accounts.c.id == account_id)
        .with_for_update()
    )
    return QuotaCounters(*(await conn.execute(query)).one())


async def save_quota(conn: Transaction, account_id: int, used: int, today_used: int, today: str) -> None:
    await conn.execute(
        update(accounts)
        .where(accounts.c.id == account_id)
        .values(quota_used=used, today_used=today_used, today_date=today)
    )
