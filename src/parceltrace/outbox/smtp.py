"""Sending one status mail through the configured SMTP relay."""

from __future__ import annotations

from email.message import EmailMessage

import aiosmtplib

from parceltrace.outbox.mail import MailSettings
from parceltrace.protocol.failures import ParceltraceError
from parceltrace.store.records import Mail

SMTP_TIMEOUT = 15.0


class MailNotSent(ParceltraceError):
    """The relay refused the mail or could not be reached; the text says why."""


def build_message(settings: MailSettings, mail: Mail) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = mail.to_address
    message["Subject"] = mail.subject
    message.set_content(mail.text_body)
    message.add_alternative(mail.html_body, subtype="html")
    return message


async def send_mail(settings: MailSettings, mail: Mail) -> None:
    try:
        await aiosmtplib.send(
            build_message(settings, mail), hostname=settings.host, port=settings.port, timeout=SMTP_TIMEOUT
        )
    except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
        raise MailNotSent(str(exc)[:500]) from exc
