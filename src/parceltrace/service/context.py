"""What every service call needs: the store, the clock, the sources, and process-wide hooks."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

from parceltrace.clock import AccountClocks, Clock
from parceltrace.outbox.mail import MailSettings
from parceltrace.outbox.safety import WebhookPolicy
from parceltrace.service.activity import ApiActivity
from parceltrace.service.metrics import Metrics
from parceltrace.service.pushes import DELIVERY_RETENTION
from parceltrace.sources.registry import SourceRegistry, SourceSettings
from parceltrace.store.claims import Claim
from parceltrace.store.engine import Store
from parceltrace.store.group_commit import BatchWork, GroupCommit
from parceltrace.store.upstream import UpstreamRecords

J = TypeVar("J")
R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class WakeUps:
    """How use cases tell this process's worker loops that work may be due now. The loops wait
    on these events; in a process without a worker nobody does, and setting them costs nothing."""

    polls: asyncio.Event = field(default_factory=asyncio.Event)
    """Set after registrations (or a retrack) commit, so this process's poller looks at once
    (workers elsewhere are woken by the NOTIFY of the same transaction)."""
    deliveries: asyncio.Event = field(default_factory=asyncio.Event)
    """Set after `push` (or a poll) queued messages, so this process's dispatcher sends them at
    once (a worker elsewhere finds them within a second)."""


@dataclass(slots=True)
class Services:
    store: Store
    clock: Clock
    sandbox: bool = True
    mail: MailSettings | None = None
    """SMTP relay for status mails; None: no mails are queued."""
    lease_clock: Clock | None = None
    """Times work leases; None: `clock`. The sandbox sets real time here, because its virtual
    clock jumps and would expire every lease a worker in another process holds."""
    source_settings: SourceSettings | None = None
    delivery_retention: timedelta = DELIVERY_RETENTION
    """How long delivered and failed webhook messages are kept (`--delivery-retention`)."""
    webhook_hosts: tuple[str, ...] = ()
    """Hosts a webhook may reach although they resolve to private addresses (`--allow-webhook-host`)."""
    activity: ApiActivity = field(default_factory=ApiActivity)
    """The API's requests in flight, which the embedded worker gives way to."""
    metrics: Metrics = field(default_factory=Metrics)
    """This process's counters for `/metrics`."""
    clocks: AccountClocks = field(init=False)
    """Each account's sandbox clock: `clock` plus the account's offset (none in live mode)."""
    sources: SourceRegistry = field(init=False)
    webhook_policy: WebhookPolicy = field(init=False)
    wakeups: WakeUps = field(default_factory=WakeUps)
    _groups: dict[Any, GroupCommit[Any, Any]] = field(init=False)

    def wake_poller(self) -> None:
        self.wakeups.polls.set()

    def wake_deliveries(self) -> None:
        self.wakeups.deliveries.set()

    async def close(self) -> None:
        await self.sources.close()
        await self.store.close()

    def now_for(self, account_id: int) -> datetime:
        """The account's "now": its sandbox clock, or `clock` in live mode."""
        return self.clocks.now(account_id)

    def lease_now(self) -> datetime:
        return (self.lease_clock or self.clock).now()

    def claim(self, owner: str, lease: timedelta, now: datetime, account_id: int | None, limit: int) -> Claim:
        """A claim of due work by `owner`: due by each account's clock (or `account_id`'s by
        `now`), leases timed by `lease_clock`."""
        return Claim(owner, lease, now, self.lease_now(), self.clocks.groups(), account_id, limit)

    def group_commit(self, work: BatchWork[J, R]) -> GroupCommit[J, R]:
        """This process's group commit for `work` (one queue per kind of write, made on first
        use: it belongs to the running event loop)."""
        group = self._groups.get(work)
        if group is None:
            group = self._groups[work] = GroupCommit(self.store, work)
        return group

    def __post_init__(self) -> None:
        self.clocks = AccountClocks(self.clock)
        self.sources = SourceRegistry(self.sandbox, self.source_settings, UpstreamRecords(self.store))
        self.webhook_policy = WebhookPolicy.for_mode(self.sandbox, list(self.webhook_hosts))
        self._groups = {}
