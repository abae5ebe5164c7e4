"""Quota accounting. Charges happen inside the caller's transaction, with the rows they pay for."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from parceltrace.protocol.errors import ErrorCode
from parceltrace.protocol.structs import Quota
from parceltrace.protocol.validation import utc_day
from parceltrace.store.accounts import quota_counters, save_quota
from parceltrace.store.engine import Transaction
from parceltrace.store.records import Account

REGISTRATION_COST = 1
TRANSLATION_COST = 1
"""The extra unit `lang` costs, charged at a tracking's first translated result (003)."""


@dataclass(slots=True)
class QuotaLedger:
    """An account's quota within one transaction: check, spend, then `save()` once."""

    account_id: int
    total: int
    used: int
    daily_limit: int
    today: str
    today_used: int
    spent: int = 0

    def refusal(self, cost: int) -> ErrorCode | None:
        if self.used + cost > self.total:
            return ErrorCode.QUOTA_EXHAUSTED
        if self.daily_limit and self.today_used + cost > self.daily_limit:
            return ErrorCode.DAILY_LIMIT_EXCEEDED
        return None

    def spend(self, cost: int) -> None:
        self.used += cost
        self.today_used += cost
        self.spent += cost

    async def save(self, conn: Transaction) -> None:
        if self.spent:
            await save_quota(conn, self.account_id, self.used, self.today_used, self.today)


async def open_ledger(conn: Transaction, account_id: int, now: datetime) -> QuotaLedger:
    """Reads the account's counters under the write lock (FOR UPDATE where the engine has it)."""
    row = await quota_counters(conn, account_id)
    today = utc_day(now).isoformat()
    return QuotaLedger(
        account_id=account_id,
        total=row.quota_total,
        used=row.quota_used,
        daily_limit=row.max_track_daily,
        today=today,
        today_used=row.today_used if row.today_date == today else 0,
    )


def quota_view(account: Account, now: datetime) -> Quota:
    today_used = account.today_used_on(utc_day(now).isoformat())
    return Quota(
        quota_total=account.quota_total,
        quota_used=account.quota_used,
        quota_remain=max(account.quota_total - account.quota_used, 0),
        today_used=today_used,
        max_track_daily=account.max_track_daily,
        free_email_quota=account.free_email_quota,
        free_email_quotaused=account.free_email_quotaused,
    )


async def charge_translations(conn: Transaction, rows: list[Any], now: datetime) -> set[int]:
    """Charges the extra unit of `lang` for trackings translated for the first time, inside the
    poll's write transaction; returns the ids charged. An account without a unit left gets no
    translation (and no charge) now; its next change tries again."""
    charged: set[int] = set()
    by_account: dict[int, list[Any]] = {}
    for row in rows:
        if not row.translation_charged:
            by_account.setdefault(row.account_id, []).append(row)
    for account_id, owed in by_account.items():
        ledger = await open_ledger(conn, account_id, now)
        for row in owed:
            if ledger.used + TRANSLATION_COST > ledger.total:
                break
            ledger.spend(TRANSLATION_COST)
            charged.add(row.id)
        await ledger.save(conn)
    return charged
