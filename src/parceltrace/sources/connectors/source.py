"""Carrier connectors as a source: each configured carrier gets a bounded thread pool for
karrio's blocking calls (the event loop never waits on a carrier), its documented pace, batches
where its API takes several numbers, and a pause after trouble (rate limits, outages, refused
credentials) so a failing carrier is not hammered. What it fetched is mapped in the same
thread; the loop only awaits results.

A tracking whose final carrier also has a connector gets both carriers' events: two providers,
the final carrier first (003's order for a shipment that changed hands)."""

from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import structlog
from limits import RateLimitItemPerSecond
from limits.aio.storage import MemoryStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import StorageError

from parceltrace.sources.base import SourceError, TrackingRef
from parceltrace.sources.batching import MicroBatcher
from parceltrace.sources.connectors import calls
from parceltrace.sources.connectors.calls import CallResult, Connection, Failure, Trouble
from parceltrace.sources.connectors.catalog import ConnectorSpec, Pace
from parceltrace.sources.connectors.mapping import Leg, source_result
from parceltrace.sources.connectors.places import places_in
from parceltrace.sources.connectors.times import clocks_by_text, offset_hints, records
from parceltrace.sources.redaction import secret_forms
from parceltrace.tracking.model import SourceResult

log = structlog.get_logger("parceltrace.connectors")

DEFAULT_THREADS = 32
BATCH_WINDOW = 0.05
"""Seconds a number waits for others to share its call (carriers that take several)."""
MAX_PACE_WAIT = 10.0
"""Longest a fetch waits for the carrier's pace before it fails (and is retried later)."""
PAUSE_AFTER: dict[Trouble, tuple[float, float]] = {
    Trouble.AUTH: (300.0, 300.0),
    Trouble.RATE_LIMITED: (30.0, 900.0),
    Trouble.UNAVAILABLE: (10.0, 300.0),
    Trouble.TIMEOUT: (10.0, 300.0),
    Trouble.UNREACHABLE: (10.0, 300.0),
}
"""First and longest pause of a connector after each kind of trouble (doubling in between);
an unreadable answer pauses nothing, it concerns one call."""


@dataclass(slots=True)
class Health:
    """What `connectors list` and the dashboard show of a connector."""

    last_success_at: datetime | None = None
    last_error_at: datetime | None = None
    last_error: str | None = None
    calls: int = 0
    failures: int = 0
    changed: bool = False
    """Set on every change, cleared by whoever saved it."""
    unmapped: dict[tuple[str, str], tuple[int, datetime, datetime]] = field(default_factory=dict)
    """(code, description) of events no status table knew -> (answers that carried it, first
    and last seen) since the last save."""

    def saw_unmapped(self, code: str, description: str) -> None:
        now = datetime.now(UTC)
        seen, first, _ = self.unmapped.get((code, description), (0, now, now))
        self.unmapped[code, description] = (seen + 1, first, now)
        self.changed = True

    def succeeded(self) -> None:
        self.last_success_at = datetime.now(UTC)
        self.calls += 1
        self.changed = True

    def failed(self, failure: Failure) -> None:
        self.last_error_at = datetime.now(UTC)
        self.last_error = str(failure)
        self.calls += 1
        self.failures += 1
        self.changed = True


@dataclass(slots=True)
class _Backoff:
    until: float = 0.0
    streak: int = 0
    reason: str = ""


class CarrierConnector:
    """One configured carrier."""

    def __init__(
        self,
        spec: ConnectorSpec,
        connection: Connection,
        *,
        threads: int = DEFAULT_THREADS,
        pace: Pace | None = None,
        storage: Storage | None = None,
    ) -> None:
        self.spec = spec
        self.connection = connection
        self.pace = pace or spec.pace
        self.health = Health()
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix=f"karrio-{spec.name}")
        self._gateway: Any = None
        self._gateway_lock = threading.Lock()
        self._limiter = MovingWindowRateLimiter(storage or MemoryStorage())
        self._item = RateLimitItemPerSecond(self.pace.calls, self.pace.seconds)
        self._batcher: MicroBatcher[str, CallResult] = MicroBatcher(spec.batch, BATCH_WINDOW, self._answer)
        self._backoff = _Backoff()
        self._secret_forms = secret_forms(connection.credentials.values())

    @property
    def name(self) -> str:
        return self.spec.name

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    async def lookup(self, number: str) -> CallResult:
        """What the carrier says of `number` (batched with others when its API allows)."""
        self._check_paused()
        if self.spec.batch <= 1:
            return await self._call([number])
        return await self._batcher.submit(number)

    async def _answer(self, numbers: list[str]) -> list[CallResult]:
        """One call for the batch; every number's caller reads its own answer in the result."""
        result = await self._call(numbers)
        return [result] * len(numbers)

    def _check_paused(self) -> None:
        if self._backoff.until > time.monotonic():
            wait = int(self._backoff.until - time.monotonic()) + 1
            raise SourceError(f"{self.spec.label} paused for {wait} s after: {self._backoff.reason}")

    async def _call(self, numbers: list[str]) -> CallResult:
        await self._wait_for_pace()
        loop = asyncio.get_running_loop()
        result = await loop.run_in_executor(self._pool, self._blocking_call, numbers)
        if result.failure is None:
            self.health.succeeded()
            self._backoff = _Backoff()
            return result
        self.health.failed(result.failure)
        self._pause(result.failure)
        log.warning(
            "carrier call failed", connector=self.spec.name, numbers=len(numbers), error=str(result.failure)
        )
        return result

    def _blocking_call(self, numbers: list[str]) -> CallResult:
        with self._gateway_lock:
            if self._gateway is None:
                self._gateway = calls.gateway_for(self.connection)
        result = calls.track(
            self._gateway,
            numbers,
            self.connection.base_url,
            one_per_call=self.spec.batch <= 1,
            invalid_codes=self.spec.invalid_number_codes,
        )
        walked = list(records(result.raw))  # the answer's records, read once for both
        result.hints = offset_hints(result.raw, walked)
        result.places = places_in(result.raw, walked)
        if any(hint.clock is None for hint in result.hints.values()):
            result.clocks = clocks_by_text(result.raw)  # only a minute with two records needs them
        calls.redact(result, self._secret_forms)
        return result

    def _pause(self, failure: Failure) -> None:
        bounds = PAUSE_AFTER.get(failure.trouble)
        if bounds is None:
            return
        first, longest = bounds
        self._backoff.streak += 1
        pause = min(longest, first * 2 ** (self._backoff.streak - 1))
        if failure.retry_after is not None:
            pause = max(pause, min(failure.retry_after, longest))
        self._backoff.until = time.monotonic() + pause
        self._backoff.reason = str(failure)

    async def _wait_for_pace(self) -> None:
        deadline = time.monotonic() + MAX_PACE_WAIT
        while True:
            try:
                if await self._limiter.hit(self._item, self.spec.name):
                    return
                reset = (await self._limiter.get_window_stats(self._item, self.spec.name)).reset_time
            except StorageError as exc:
                log.warning(
                    "connector pace unavailable; call allowed", connector=self.spec.name, error=str(exc)
                )
                return
            wait = max(0.01, reset - time.time())
            if time.monotonic() + wait > deadline:
                raise SourceError(
                    f"{self.spec.label}'s rate limit ({self.pace} calls) is used up; retried later"
                )
            await asyncio.sleep(wait)


@dataclass(slots=True)
class ConnectorSource:
    """Fetches a tracking from the connector of its carrier (and of its final carrier)."""

    connectors: dict[int, CarrierConnector] = field(default_factory=dict)
    name: str = "connector"

    def for_carrier(self, code: int) -> CarrierConnector | None:
        return self.connectors.get(code)

    async def fetch(self, ref: TrackingRef, now: datetime) -> SourceResult:
        first = self.connectors.get(ref.carrier)
        if first is None:
            raise SourceError(f"no connector is configured for carrier {ref.carrier}")
        second = self.connectors.get(ref.final_carrier) if ref.final_carrier else None
        looked_up = [(ref.carrier, first)]
        if second is not None and ref.final_carrier != ref.carrier:
            looked_up.append((ref.final_carrier, second))
        results = await asyncio.gather(*(connector.lookup(ref.number) for _, connector in looked_up))
        legs: list[Leg] = []
        for index, ((code, connector), result) in enumerate(zip(looked_up, results, strict=True)):
            if result.failure is not None:
                raise SourceError(f"{connector.spec.label}: {result.failure}")
            detail = result.details.get(ref.number)
            if detail is not None or index == 0:
                legs.append(
                    Leg(code, connector.spec, detail or {}, result.hints, result.places, result.clocks)
                )
        found = source_result(legs[::-1], now)
        by_name = {connector.spec.name: connector for _, connector in looked_up}
        for name, unknown, description in set(found.unmapped):
            by_name[name].health.saw_unmapped(unknown, description)
        found.invalid_number = ref.number in results[0].invalid and not results[0].details.get(ref.number)
        return found

    def close(self) -> None:
        for connector in set(self.connectors.values()):
            connector.close()
