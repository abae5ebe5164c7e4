"""Queued status mails as the mailer uses them: claiming due ones, the account's free e-mail
quota, and each mail's outcome."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import update

from parceltrace.store.claims import Claim, claim_due
from parceltrace.store.engine import Store, Transaction
from parceltrace.store.records import Mail, records
from parceltrace.store.tables import accounts, emails


async def claim_mails(store: Store, claim: Claim) -> list[Mail]:
    """Due mails, by each account's clock (or `claim.account_id`'s by `claim.now`), oldest first."""
    claimed = await claim_due(
        store,
        emails,
        now=claim.now,
        lease_now=claim.lease_now,
        owner=claim.owner,
        lease=claim.lease,
        where=[emails.c.state == "pending", claim.due(emails.c.due_at, emails.c.account_id)],
        order_by=[emails.c.due_at, emails.c.id],
        limit=claim.limit,
        returning=list(emails.c),
    )
    return records(Mail, claimed)


async def change_email_quota(store: Store, account_id: int, change: int) -> bool:
    """Take (+1) or give back (-1) one unit of free e-mail quota in one conditional update, so
    concurrent workers cannot overspend it; False when there was none to take (or give back)."""
    condition = (
        accounts.c.free_email_quotaused < accounts.c.free_email_quota
        if change > 0
        else accounts.c.free_email_quotaused > 0
    )
    async with store.write() as conn:
        result = await conn.execute(
            update(accounts)
            .where(accounts.c.id == account_id, condition)
            .values(free_email_quotaused=accounts.c.free_email_quotaused + change)
        )
    return bool(result.rowcount)


async def finish_mail(
    store: Store, mail_id: int, owner: str, *, state: str, due_at: datetime, error: str | None, attempts: int
) -> None:
    """A mail's outcome, written only while `owner` still holds its lease."""
    async with store.write() as conn:
        await conn.execute(
            update(emails)
            .where(emails.c.id == mail_id, emails.c.lease_owner == owner)
            .values(
                state=state,
                due_at=due_at,
                last_error=error,
                attempts=attempts,
                lease_owner=None,
                lease_until=None,
            )
        )


@dataclass(frozen=True, slots=True)
class NewMail:
    """A status mail to queue, due at `due_at`."""

    account_id: int
    tracking_id: int
    to_address: str
    subject: str
    text_body: str
    html_body: str
    created_at: datetime
    due_at: datetime


async def insert_mails(conn: Transaction, mails: Sequence[NewMail]) -> None:
    if mails:
        await conn.execute(emails.insert(), [asdict(mail) for mail in mails])
