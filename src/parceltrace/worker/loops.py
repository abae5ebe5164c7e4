"""What every worker loop does the same way: a step that fails is logged and the loop goes on
(the database out of reach is the store's outage, logged once, not a traceback a step); a loop
repeats its step at once while there is work and rests when there is none."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Protocol, TypeVar

import structlog

from parceltrace.clock import first_of

log = structlog.get_logger("parceltrace.worker")


class OutageReports(Protocol):
    """The store: it tells a failure of the database out of reach (its outage, reported once)
    from a bug."""

    def reported_outage(self, exc: BaseException) -> bool: ...


T = TypeVar("T")


async def guarded(store: OutageReports, name: str, work: Awaitable[T], failed: T) -> T:
    """`work`'s result, or `failed` after logging why it raised."""
    try:
        return await work
    except Exception as exc:
        if not store.reported_outage(exc):
            log.exception("worker step failed; the others go on", step=name)
        return failed


async def repeat(
    store: OutageReports,
    stop: asyncio.Event,
    idle_seconds: float,
    name: str,
    step: Callable[[], Awaitable[int]],
) -> None:
    """`step` again at once while it finds work, otherwise after `idle_seconds`, until `stop`."""
    while not stop.is_set():
        done = await guarded(store, name, step(), 0)
        if not done:
            await first_of(stop, at_most=idle_seconds)
