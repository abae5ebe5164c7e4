"""A client-side request limiter (default 3 requests/s, 17TRACK's limit), shared by every call
of one client. Spacing requests evenly keeps a burst of 100 calls from earning 97 429s."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable


class _Spacing:
    def __init__(self, per_second: float, now: Callable[[], float]) -> None:
        self.interval = 1.0 / per_second if per_second > 0 else 0.0
        self.now = now
        self.next_slot = 0.0

    def reserve(self) -> float:
        """Seconds to wait before the caller may send; books its slot."""
        current = self.now()
        slot = max(current, self.next_slot)
        self.next_slot = slot + self.interval
        return slot - current


class AsyncLimiter:
    def __init__(
        self,
        per_second: float = 3.0,
        now: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._spacing = _Spacing(per_second, now)
        self._sleep = sleep

    async def wait(self) -> None:
        delay = self._spacing.reserve()
        if delay > 0:
            await self._sleep(delay)


class Limiter:
    def __init__(
        self,
        per_second: float = 3.0,
        now: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._spacing = _Spacing(per_second, now)
        self._sleep = sleep
        self._lock = threading.Lock()

    def wait(self) -> None:
        with self._lock:
            delay = self._spacing.reserve()
        if delay > 0:
            self._sleep(delay)
