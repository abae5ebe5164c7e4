"""Every "now" in parceltrace comes from a Clock, so the sandbox can run on virtual time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""
        ...


class AdjustableClock(Clock, Protocol):
    def advance_to(self, moment: datetime) -> None:
        """Move forward to `moment` (never backward)."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that stands still until moved: for tests and, later, the sandbox's virtual time."""

    def __init__(self, start: datetime) -> None:
        self._now = start

    def now(self) -> datetime:
        return self._now

    def advance_to(self, moment: datetime) -> None:
        if moment < self._now:
            raise ValueError("the clock only moves forward")
        self._now = moment


class VirtualClock:
    """The sandbox's clock: real time plus an offset that only grows (`advance_to`)."""

    def __init__(self, offset: timedelta = timedelta(0), real: Clock | None = None) -> None:
        self._real = real or SystemClock()
        self.offset = offset

    def now(self) -> datetime:
        return self._real.now() + self.offset

    def advance_to(self, moment: datetime) -> None:
        gap = moment - self.now()
        if gap > timedelta(0):
            self.offset += gap
