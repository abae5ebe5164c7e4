"""A backing service (the database, Redis) out of reach, as this process sees it: a known state
to wait out, not an error a request. The log gets one warning when an outage starts and one
line when a probe, once a second, finds the service back; the figures feed `/metrics`."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable

import structlog

log = structlog.get_logger("parceltrace.outage")

PROBE_EVERY = 1.0
"""Seconds between two probes while an outage lasts."""
ERROR_LOGGED = 200
"""Characters of the first error kept in the outage's log line."""


class Outage:
    """Every user of one service in a process (API requests, worker loops) reports to the same
    Outage, so that a process logs each outage once, whoever met it first."""

    def __init__(self, service: str, probe: Callable[[], Awaitable[bool]], meanwhile: str) -> None:
        self.service = service
        self.meanwhile = meanwhile
        """What this process does until the service returns (said in the first log line)."""
        self._probe = probe
        self.since: float | None = None
        self.started = 0
        """Outages seen since the process started."""
        self.failures = 0
        """Calls that met the service out of reach, over all outages."""
        self._during = 0
        self._back = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    @property
    def ongoing(self) -> bool:
        return self.since is not None

    def failed(self, error: BaseException, meanwhile: str | None = None) -> None:
        """A call found the service out of reach: the first of an outage logs it (with what
        this process does meanwhile, `meanwhile` when the caller knows better) and starts the
        probe."""
        self.failures += 1
        self._during += 1
        if self.since is not None:
            return
        self.since = time.monotonic()
        self.started += 1
        self._back.clear()
        log.warning(
            f"{self.service} out of reach: {meanwhile or self.meanwhile}",
            error=f"{type(error).__name__}: {error}"[:ERROR_LOGGED],
        )
        with contextlib.suppress(RuntimeError):  # no running loop: the next caller probes
            self._task = asyncio.get_running_loop().create_task(self._wait_for_return())

    async def _wait_for_return(self) -> None:
        while self.since is not None:
            await asyncio.sleep(PROBE_EVERY)
            try:
                back = await self._probe()
            except Exception:  # a service that answers wrongly is not back
                back = False
            if back:
                self.ended()

    def ended(self) -> None:
        """The service answers again (a probe, or a readiness check, found it)."""
        if self.since is None:
            return
        log.warning(
            f"{self.service} reachable again",
            seconds=round(time.monotonic() - self.since, 1),
            calls_failed=self._during,
        )
        self.since, self._during = None, 0
        self._back.set()

    async def back(self, at_most: float) -> None:
        """Returns when the service is back, or after `at_most` seconds."""
        if self.since is None:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._back.wait(), at_most)

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
