"""The janitor: stopped trackings leave the account 90 days after they stopped."""

from __future__ import annotations

from datetime import datetime

from parceltrace.service.context import Services
from parceltrace.store.trackings import purge_stopped as delete_stopped
from parceltrace.tracking.lifecycle import PURGE_AFTER

JANITOR_LOCK = 7_301_917
"""The advisory lock id that makes one janitor run at a time across a PostgreSQL cluster."""


async def purge_stopped(services: Services, now: datetime, account_id: int | None = None) -> int:
    """Delete what is due (by each account's clock, or `account_id`'s by `now`); on PostgreSQL
    only the worker holding the janitor lock does it, the others skip (their turn comes at the
    next tick)."""
    return await delete_stopped(
        services.store, now - PURGE_AFTER, services.clocks.groups(), account_id, JANITOR_LOCK
    )
