"""Every "now" in parceltrace comes from a Clock, so the sandbox can run on virtual time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""
        ...


HORIZON = timedelta(days=3653)
"""How far ahead of real time the sandbox clock may go: ten years. Beyond it dates near the end
of the calendar overflow (year 9999), and no shipment test needs more."""


class AdjustableClock(Clock, Protocol):
    def advance_to(self, moment: datetime) -> None:
        """Move forward to `moment` (never backward, never past `horizon()`)."""
        ...

    def horizon(self) -> datetime:
        """The latest moment this clock may be moved to."""
        ...


class BeyondHorizon(ValueError):
    """An advance past the clock's horizon."""


def bounded_offset(offset: timedelta) -> timedelta:
    """A stored sandbox offset brought within [0, HORIZON] (a value written before the bound)."""
    return min(max(offset, timedelta(0)), HORIZON)


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that stands still until moved: for tests and, later, the sandbox's virtual time."""

    def __init__(self, start: datetime) -> None:
        self._now = start
        self._start = start

    def now(self) -> datetime:
        return self._now

    def horizon(self) -> datetime:
        return self._start + HORIZON

    def advance_to(self, moment: datetime) -> None:
        if moment < self._now:
            raise ValueError("the clock only moves forward")
        if moment > self.horizon():
            raise BeyondHorizon(f"{moment.isoformat()} is past the clock's horizon")
        self._now = moment


class VirtualClock:
    """The sandbox's clock: real time plus an offset that only grows (`advance_to`)."""

    def __init__(self, offset: timedelta = timedelta(0), real: Clock | None = None) -> None:
        self._real = real or SystemClock()
        self.offset = bounded_offset(offset)

    def now(self) -> datetime:
        return self._real.now() + self.offset

    def horizon(self) -> datetime:
        return self._real.now() + HORIZON

    def advance_to(self, moment: datetime) -> None:
        if moment > self.horizon():
            raise BeyondHorizon(f"{moment.isoformat()} is past the clock's horizon")
        gap = moment - self.now()
        if gap > timedelta(0):
            self.offset += gap
