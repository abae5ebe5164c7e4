"""What every service call needs: the store, the clock, the sources, and process-wide hooks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from parceltrace.clock import AccountClocks, Clock
from parceltrace.delivery.mail import MailSettings
from parceltrace.delivery.safety import WebhookPolicy
from parceltrace.service.activity import ApiActivity
from parceltrace.service.metrics import Metrics
from parceltrace.sources.registry import SourceRegistry, SourceSettings
from parceltrace.store.engine import Store
from parceltrace.store.group_commit import GroupCommit


def _nothing() -> None:
    return None


@dataclass(slots=True)
class Services:
    store: Store
    clock: Clock
    sandbox: bool = True
    register_group: GroupCommit[Any, Any] | None = None
    """Created on first use by service.register; one per process."""
    wake_poller: Callable[[], None] = _nothing
    """Called after registrations commit, so this process's worker polls them at once (workers
    elsewhere are woken by the NOTIFY of the same transaction)."""
    mail: MailSettings | None = None
    """SMTP relay for status mails; None: no mails are queued."""
    lease_clock: Clock | None = None
    """Times work leases; None: `clock`. The sandbox sets real time here, because its virtual
    clock jumps and would expire every lease a worker in another process holds."""
    source_settings: SourceSettings | None = None
    activity: ApiActivity = field(default_factory=ApiActivity)
    """The API's requests in flight, which the embedded worker gives way to."""
    metrics: Metrics = field(default_factory=Metrics)
    """This process's counters for `/metrics`."""
    clocks: AccountClocks = field(init=False)
    """Each account's sandbox clock: `clock` plus the account's offset (none in live mode)."""
    sources: SourceRegistry = field(init=False)
    webhook_policy: WebhookPolicy = field(init=False)

    async def close(self) -> None:
        await self.sources.close()
        await self.store.close()

    def now_for(self, account_id: int) -> datetime:
        """The account's "now": its sandbox clock, or `clock` in live mode."""
        return self.clocks.now(account_id)

    def lease_now(self) -> datetime:
        return (self.lease_clock or self.clock).now()

    def __post_init__(self) -> None:
        self.clocks = AccountClocks(self.clock)
        self.sources = SourceRegistry(self.sandbox, self.source_settings, self.store)
        self.webhook_policy = WebhookPolicy.for_mode(self.sandbox)
