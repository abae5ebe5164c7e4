"""The accounts' sandbox clocks in the store, and starting an account's sandbox afresh."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, or_, select, update

from parceltrace.store.engine import Store
from parceltrace.store.notify import notify_in
from parceltrace.store.tables import accounts, deliveries, emails, trackings

MICROSECOND = timedelta(microseconds=1)


async def load_clocks(store: Store) -> dict[int, tuple[timedelta, int]]:
    """account id -> (offset, reset generation), for every account whose clock ever moved."""
    query = select(accounts.c.id, accounts.c.sandbox_offset_us, accounts.c.sandbox_generation).where(
        or_(accounts.c.sandbox_offset_us != 0, accounts.c.sandbox_generation != 0)
    )
    async with store.read() as conn:
        rows = (await conn.execute(query)).all()
    return {
        int(row.id): (timedelta(microseconds=int(row.sandbox_offset_us)), int(row.sandbox_generation))
        for row in rows
    }


async def save_clock(store: Store, account_id: int, offset: timedelta) -> None:
    """The account's new offset (never a smaller one: two processes may both move it)."""
    micros = int(offset / MICROSECOND)
    async with store.write() as conn:
        await conn.execute(
            update(accounts)
            .where(accounts.c.id == account_id, accounts.c.sandbox_offset_us < micros)
            .values(sandbox_offset_us=micros)
        )
        await notify_in(conn)


@dataclass(frozen=True, slots=True)
class Reset:
    trackings: int
    deliveries: int
    emails: int


async def reset_account(store: Store, account_id: int) -> Reset:
    """The account's trackings, webhook messages and mails deleted, its usage counters and its
    clock set back to zero, in one transaction; the new generation tells running processes."""
    async with store.write() as conn:
        removed = Reset(
            trackings=int(
                (await conn.execute(delete(trackings).where(trackings.c.account_id == account_id))).rowcount
                or 0
            ),
            deliveries=int(
                (await conn.execute(delete(deliveries).where(deliveries.c.account_id == account_id))).rowcount
                or 0
            ),
            emails=int(
                (await conn.execute(delete(emails).where(emails.c.account_id == account_id))).rowcount or 0
            ),
        )
        await conn.execute(
            update(accounts)
            .where(accounts.c.id == account_id)
            .values(
                sandbox_offset_us=0,
                sandbox_generation=accounts.c.sandbox_generation + 1,
                quota_used=0,
                today_used=0,
                today_date="",
                free_email_quotaused=0,
            )
        )
        await notify_in(conn)
    return removed
