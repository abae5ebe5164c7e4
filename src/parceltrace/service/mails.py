"""Sending queued status mails: each first reserves one unit of the account's free e-mail quota
(an atomic conditional update, so concurrent workers cannot overspend it); a failed send gives
the unit back and is retried on the webhooks' schedule (600, 1800 and 3600 s); with the quota
used up the mail is skipped. The worker's mailer only decides when."""

from __future__ import annotations

from datetime import datetime, timedelta

from parceltrace.outbox.mail import MailSettings
from parceltrace.outbox.smtp import SMTP_TIMEOUT, MailNotSent, send_mail
from parceltrace.service.context import Services
from parceltrace.service.deliveries import RETRY_DELAYS
from parceltrace.store.mails import change_email_quota, claim_mails, finish_mail
from parceltrace.store.records import Mail

LEASE = timedelta(seconds=SMTP_TIMEOUT + 15)


async def claim(
    services: Services, owner: str, now: datetime, account_id: int | None, limit: int
) -> list[Mail]:
    """Lease due mails, by each account's clock (or `account_id`'s by `now`)."""
    return await claim_mails(services.store, services.claim(owner, LEASE, now, account_id, limit))


async def send(services: Services, settings: MailSettings, owner: str, mail: Mail, at: datetime) -> str:
    """Send one claimed mail at `at` (its account's clock) and write its outcome; the state it
    is left in: sent, skipped, pending (to be tried again) or failed."""
    if not await change_email_quota(services.store, mail.account_id, +1):
        return await _finish(
            services, owner, mail, "skipped", mail.due_at, "the free e-mail quota is used up"
        )
    done = mail.attempts + 1
    try:
        await send_mail(settings, mail)
    except MailNotSent as exc:
        await change_email_quota(services.store, mail.account_id, -1)
        if done > len(RETRY_DELAYS):
            return await _finish(services, owner, mail, "failed", mail.due_at, str(exc), done)
        return await _finish(services, owner, mail, "pending", at + RETRY_DELAYS[done - 1], str(exc), done)
    return await _finish(services, owner, mail, "sent", mail.due_at, None, done)


async def _finish(
    services: Services,
    owner: str,
    mail: Mail,
    state: str,
    due: datetime,
    error: str | None,
    attempts: int | None = None,
) -> str:
    done = mail.attempts if attempts is None else attempts
    await finish_mail(services.store, mail.id, owner, state=state, due_at=due, error=error, attempts=done)
    return state
