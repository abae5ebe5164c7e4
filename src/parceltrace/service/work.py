"""What the worker asks about all its work at once: when the next of it is due, and taking over
the leases of this host's crashed processes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from parceltrace.service.context import Services
from parceltrace.store.claims import release_dead_owners
from parceltrace.store.trackings import earliest_due


async def next_due(
    services: Services, account_id: int | None
) -> tuple[datetime | None, datetime | None, datetime | None, datetime | None]:
    """The earliest due poll, stop time of a stopped tracking, pending push and pending mail
    (of `account_id`, or of any account), in one round trip."""
    return await earliest_due(services.store, account_id)


async def take_over(services: Services, host: str, alive: Callable[[int], bool]) -> int:
    """Free the leases (of trackings, webhook messages and mails) held by processes of `host`
    that no longer run (`alive(pid)` false); how many were freed."""
    return await release_dead_owners(services.store, host, alive)
