"""The database out of reach, as this process sees it: requests meanwhile get 17TRACK's
-18010003 with HTTP 503 and `Retry-After`, and the log gets one line when it starts and one
when it ends, found by a probe once a second (not a traceback a request)."""

from __future__ import annotations

import asyncio
import contextlib
import time

import structlog

from parceltrace.store.engine import Store

log = structlog.get_logger("parceltrace.outage")

RETRY_AFTER = 5
"""Seconds a client is asked to wait (`Retry-After`) while the database is out of reach."""
PROBE_EVERY = 1.0


class DatabaseOutage:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.since: float | None = None
        self.refused = 0
        self._probe: asyncio.Task[None] | None = None

    @property
    def ongoing(self) -> bool:
        return self.since is not None

    def failed(self, error: BaseException) -> None:
        """A request found the database out of reach."""
        self.refused += 1
        if self.since is not None:
            return
        self.since = time.monotonic()
        log.warning(
            "database out of reach: answering 503 until it returns",
            error=f"{type(error).__name__}: {error}"[:200],
        )
        with contextlib.suppress(RuntimeError):  # no running loop: the next request probes
            self._probe = asyncio.get_running_loop().create_task(self._wait_for_return())

    async def _wait_for_return(self) -> None:
        while self.since is not None:
            await asyncio.sleep(PROBE_EVERY)
            try:
                back = await self.store.reachable()
            except Exception:  # a database that answers wrongly is not back
                back = False
            if back:
                self.ended()

    def ended(self) -> None:
        if self.since is None:
            return
        log.warning(
            "database reachable again",
            seconds=round(time.monotonic() - self.since, 1),
            requests_refused=self.refused,
        )
        self.since, self.refused = None, 0

    async def close(self) -> None:
        if self._probe is not None:
            self._probe.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._probe
