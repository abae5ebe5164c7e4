"""The mailer: sends queued status mails through the configured SMTP relay.

Each mail first reserves one unit of the account's free e-mail quota (an atomic conditional
update, so concurrent workers cannot overspend it); a failed send gives the unit back and is
retried after 600, 1800 and 3600 s; with the quota used up the mail is skipped.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from email.message import EmailMessage

import aiosmtplib

from parceltrace.delivery.mail import MailSettings
from parceltrace.service.context import Services
from parceltrace.store.engine import Record
from parceltrace.store.mails import change_email_quota, claim_mails, finish_mail

RETRY_DELAYS = (timedelta(seconds=600), timedelta(seconds=1800), timedelta(seconds=3600))
SMTP_TIMEOUT = 15.0


def build_message(settings: MailSettings, row: Record) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = row.to_address
    message["Subject"] = row.subject
    message.set_content(row.text_body)
    message.add_alternative(row.html_body, subtype="html")
    return message


class Mailer:
    def __init__(self, services: Services, owner: str, batch_size: int = 50) -> None:
        self.services = services
        self.owner = owner
        self.batch_size = batch_size
        self.lease = timedelta(seconds=SMTP_TIMEOUT + 15)

    async def claim(self, now: datetime, account_id: int | None = None) -> list[Record]:
        """Due mails, by each account's clock (or `account_id`'s by `now`)."""
        claim = self.services.claim(self.owner, self.lease, now, account_id, self.batch_size)
        return await claim_mails(self.services.store, claim)

    async def send_batch(
        self, now: datetime, *, at_due_time: bool = False, account_id: int | None = None
    ) -> int:
        settings = self.services.mail
        if settings is None:
            return 0
        rows = await self.claim(now, account_id)
        for row in rows:
            await self._send(
                settings,
                row,
                row.due_at if at_due_time else now + self.services.clocks.offset(row.account_id),
            )
        return len(rows)

    async def _quota(self, account_id: int, change: int) -> bool:
        """Take (+1) or give back (-1) one unit of free e-mail quota; False when none is left."""
        return await change_email_quota(self.services.store, account_id, change)

    async def _send(self, settings: MailSettings, row: Record, at: datetime) -> None:
        if not await self._quota(row.account_id, +1):
            await self._finish(row, "skipped", row.due_at, "the free e-mail quota is used up")
            return
        try:
            await aiosmtplib.send(
                build_message(settings, row), hostname=settings.host, port=settings.port, timeout=SMTP_TIMEOUT
            )
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            await self._quota(row.account_id, -1)
            done = row.attempts + 1
            if done > len(RETRY_DELAYS):
                await self._finish(row, "failed", row.due_at, str(exc)[:500], done)
            else:
                await self._finish(row, "pending", at + RETRY_DELAYS[done - 1], str(exc)[:500], done)
            return
        await self._finish(row, "sent", row.due_at, None, row.attempts + 1)

    async def _finish(
        self, row: Record, state: str, due: datetime, error: str | None, attempts: int | None = None
    ) -> None:
        done = row.attempts if attempts is None else attempts
        await finish_mail(
            self.services.store, row.id, self.owner, state=state, due_at=due, error=error, attempts=done
        )
