""" "Refresh now": chosen trackings polled at once instead of at their next turn (after a
connector's credentials were fixed, a failed fetch waited 30 minutes). Polls cost no quota."""

from __future__ import annotations

from datetime import datetime

from parceltrace.service.context import Services
from parceltrace.store.notify import notify_in
from parceltrace.store.trackings import poll_soon


async def refresh(
    services: Services,
    at: datetime,
    account_id: int | None,
    *,
    ids: list[int] | None = None,
    numbers: list[str] | None = None,
    carriers: list[int] | None = None,
    failed_only: bool = False,
) -> int:
    """Poll these at `at` (now, or when running servers have taken up a change), those of
    `account_id` or of every account; how many were made due. The workers of a cluster are
    woken by a NOTIFY; on SQLite the worker finds them at its next look (a second)."""
    async with services.store.write() as conn:
        made_due = await poll_soon(
            conn,
            at,
            account_id=account_id,
            ids=ids,
            numbers=[n.strip().upper() for n in numbers] if numbers is not None else None,
            carriers=carriers,
            failed_only=failed_only,
        )
        if made_due:
            await notify_in(conn)
    return made_due
