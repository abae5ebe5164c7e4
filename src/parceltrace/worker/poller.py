"""The poller loop's unit of work: claim a batch of due trackings and poll them (the use case
is `service.polling`), counting what came of it."""

from __future__ import annotations

from datetime import datetime, timedelta

from parceltrace.service import polling
from parceltrace.service.context import Services
from parceltrace.service.polling import DEFAULT_LEASE, PollResult
from parceltrace.store.records import Tracking


class Poller:
    def __init__(
        self,
        services: Services,
        owner: str,
        batch_size: int = 200,
        lease: timedelta = DEFAULT_LEASE,
    ) -> None:
        self.services = services
        self.owner = owner
        self.batch_size = batch_size
        self.lease = lease
        self.oldest_due: datetime | None = None
        """When the earliest row of the last claimed batch was due (None: nothing claimed)."""

    async def claim(
        self, now: datetime, account_id: int | None = None, limit: int | None = None
    ) -> list[Tracking]:
        return await polling.claim(
            self.services, self.owner, self.lease, now, account_id, limit or self.batch_size
        )

    async def poll_batch(
        self,
        now: datetime,
        *,
        at_due_time: bool = False,
        account_id: int | None = None,
        limit: int | None = None,
    ) -> list[PollResult]:
        """Claim and poll one batch; `at_due_time` polls each tracking at its due time (the
        sandbox's clock advance, of `account_id`'s work), otherwise at its account's now."""
        claimed = await self.claim(now, account_id, limit)
        clocks = self.services.clocks
        self.oldest_due = min(
            (t.next_poll_at - clocks.offset(t.account_id) for t in claimed if t.next_poll_at is not None),
            default=None,
        )
        results = await self.process(claimed, now, at_due_time=at_due_time)
        failed = sum(1 for result in results if result.failed)
        self.services.metrics.polls.labels("failure").inc(failed)
        self.services.metrics.polls.labels("success").inc(len(results) - failed)
        return results

    async def process(
        self, claimed: list[Tracking], now: datetime, *, at_due_time: bool = False
    ) -> list[PollResult]:
        """Poll claimed trackings; those whose lease another poller took are left alone."""
        return await polling.poll(self.services, claimed, now, self.owner, at_due_time=at_due_time)
