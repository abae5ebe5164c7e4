"""The mailer loop's unit of work: claim a batch of due status mails and send each (the use
case is `service.mails`)."""

from __future__ import annotations

from datetime import datetime

from parceltrace.service import mails
from parceltrace.service.context import Services


class Mailer:
    def __init__(self, services: Services, owner: str, batch_size: int = 50) -> None:
        self.services = services
        self.owner = owner
        self.batch_size = batch_size

    async def send_batch(
        self, now: datetime, *, at_due_time: bool = False, account_id: int | None = None
    ) -> int:
        """Send the due mails of one batch; `at_due_time` sends each at its due time (the
        sandbox's clock advance of `account_id`); how many were claimed."""
        settings = self.services.mail
        if settings is None:
            return 0
        claimed = await mails.claim(self.services, self.owner, now, account_id, self.batch_size)
        for mail in claimed:
            at = mail.due_at if at_due_time else now + self.services.clocks.offset(mail.account_id)
            await mails.send(self.services, settings, self.owner, mail, at)
        return len(claimed)
