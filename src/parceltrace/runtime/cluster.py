"""What keeps one process in step with the others of a cluster (API or worker alike)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from parceltrace.service import sandbox_clock
from parceltrace.service.connectors import RunningConnectors
from parceltrace.service.context import Services
from parceltrace.store.notify import listen


async def join_cluster(
    services: Services,
    stop: asyncio.Event,
    wake: Callable[[], None] | None,
    connectors: RunningConnectors | None = None,
) -> list[asyncio.Task[None]]:
    """Take up the accounts' sandbox clocks (in sandbox mode) and the configured carrier
    connectors now, then run until `stop`: a listener for NOTIFYs (new work wakes `wake`; a
    moved clock is followed at once), the sandbox clocks' follower, and the connectors'
    (settings in, health out)."""
    clock_moved = asyncio.Event()

    def on_notify() -> None:
        clock_moved.set()
        if wake is not None:
            wake()

    tasks = [asyncio.create_task(listen(services.store, on_notify, stop))]
    if services.sandbox:
        await sandbox_clock.take_up(services)
        tasks.append(asyncio.create_task(sandbox_clock.follow(services, stop, nudge=clock_moved)))
    if connectors is not None:
        await connectors.refresh()
        tasks.append(asyncio.create_task(connectors.follow(stop)))
    return tasks
