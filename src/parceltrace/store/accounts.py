"""Account rows: creating, finding and changing accounts, their keys and sealed secrets, and
the quota counters a charge reads and writes inside its caller's transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError

from parceltrace.store.engine import Store, Transaction
from parceltrace.store.records import Account, AccountKeys, KeyedAccount, field_names, record, records
from parceltrace.store.tables import accounts

ACCOUNT = [accounts.c[name] for name in field_names(Account)]
KEYS = [accounts.c[name] for name in field_names(AccountKeys)]


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


async def insert_account(store: Store, values: dict[str, Any]) -> bool:
    """A new account row; False when the name is taken."""
    try:
        async with store.write() as conn:
            await conn.execute(accounts.insert().values(**values))
    except IntegrityError:
        return False
    return True


async def account_by_name(store: Store, name: str) -> Account | None:
    async with store.read() as conn:
        row = (await conn.execute(select(*ACCOUNT).where(accounts.c.name == name))).first()
    return record(Account, row) if row else None


async def all_accounts(store: Store) -> list[Account]:
    async with store.read() as conn:
        return records(Account, await conn.execute(select(*ACCOUNT).order_by(accounts.c.id)))


async def count_accounts(store: Store) -> int:
    async with store.read() as conn:
        return int((await conn.execute(select(func.count()).select_from(accounts))).scalar_one())


async def update_by_name(store: Store, name: str, values: dict[str, Any]) -> bool:
    """False when no account has that name."""
    async with store.write() as conn:
        result = await conn.execute(update(accounts).where(accounts.c.name == name).values(**values))
    return bool(result.rowcount)


async def replace_key(
    store: Store, name: str, key_hash: str, key_prefix: str, key_sealed: str, old_key_until: datetime
) -> bool:
    """The account's new key; the current one becomes the old key, valid until `old_key_until`.
    False when no account has that name."""
    async with store.write() as conn:
        row = (await conn.execute(select(accounts.c.key_hash).where(accounts.c.name == name))).first()
        if row is None:
            return False
        await conn.execute(
            update(accounts)
            .where(accounts.c.name == name)
            .values(
                key_hash=key_hash,
                key_prefix=key_prefix,
                key_sealed=key_sealed,
                old_key_hash=row.key_hash,
                old_key_expires_at=old_key_until,
            )
        )
    return True


async def by_key_digest(conn: Transaction, digest: str) -> KeyedAccount | None:
    """The account whose current or previous key hashes to `digest`, with its two key hashes
    for the caller's constant-time comparison."""
    query = (
        select(*ACCOUNT, *KEYS)
        .where(or_(accounts.c.key_hash == digest, accounts.c.old_key_hash == digest))
        .limit(2)
    )
    row = (await conn.execute(query)).first()
    return KeyedAccount(account=record(Account, row), keys=record(AccountKeys, row)) if row else None


async def sealed_secrets(store: Store, account_ids: set[int]) -> dict[int, tuple[str | None, str | None]]:
    """Each account's sealed key and sealed webhook secret."""
    query = select(accounts.c.id, accounts.c.key_sealed, accounts.c.webhook_secret_sealed).where(
        accounts.c.id.in_(account_ids)
    )
    async with store.read() as conn:
        return {row.id: (row.key_sealed, row.webhook_secret_sealed) for row in await conn.execute(query)}


async def sealed_webhook_secret(store: Store, name: str) -> str | None:
    async with store.read() as conn:
        query = select(accounts.c.webhook_secret_sealed).where(accounts.c.name == name)
        sealed = (await conn.execute(query)).scalar()
    return str(sealed) if sealed else None
