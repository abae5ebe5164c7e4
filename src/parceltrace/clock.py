"""Every "now" in parceltrace comes from a Clock, so the sandbox can run on virtual time: each
account has its own (`AccountClocks`), real time plus the account's offset."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Protocol

from parceltrace.protocol.failures import ParceltraceError


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


class BeyondHorizon(ParceltraceError, ValueError):
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


class AccountClocks:
    """The sandbox's clocks, one per account, like Stripe's test clocks: `base` (real time)
    plus the account's own offset, which only grows (a reset aside) and stays within HORIZON.
    In live mode no account has an offset: every account is on `base`."""

    def __init__(self, base: Clock) -> None:
        self.base = base
        self._offsets: dict[int, timedelta] = {}
        self._generations: dict[int, int] = {}

    def offset(self, account_id: int) -> timedelta:
        return self._offsets.get(account_id, timedelta(0))

    def now(self, account_id: int) -> datetime:
        return self.base.now() + self.offset(account_id)

    def horizon(self) -> datetime:
        """The latest moment any account's clock may be moved to."""
        return self.base.now() + HORIZON

    def advance_to(self, account_id: int, moment: datetime) -> None:
        """Move the account's clock forward to `moment` (earlier moments leave it as it is)."""
        if moment > self.horizon():
            raise BeyondHorizon(f"{moment.isoformat()} is past the clock's horizon")
        gap = moment - self.now(account_id)
        if gap > timedelta(0):
            self._offsets[account_id] = self.offset(account_id) + gap

    def follow(self, stored: dict[int, tuple[timedelta, int]]) -> None:
        """Take up what the store says (another process moved or reset a clock): an offset
        only grows, unless its reset generation is newer than the one known here."""
        for account_id, (offset, generation) in stored.items():
            offset = bounded_offset(offset)
            if generation > self._generations.get(account_id, 0):
                self._generations[account_id] = generation
                self._set(account_id, offset)
            elif offset > self.offset(account_id):
                self._set(account_id, offset)

    def _set(self, account_id: int, offset: timedelta) -> None:
        if offset > timedelta(0):
            self._offsets[account_id] = offset
        else:
            self._offsets.pop(account_id, None)

    def of(self, account_id: int) -> AccountClock:
        return AccountClock(self, account_id)

    def groups(self) -> list[tuple[timedelta, frozenset[int]]]:
        """The accounts whose clocks run ahead, by offset (what a due query must tell apart)."""
        by_offset: dict[timedelta, set[int]] = {}
        for account_id, offset in self._offsets.items():
            by_offset.setdefault(offset, set()).add(account_id)
        return sorted((offset, frozenset(ids)) for offset, ids in by_offset.items())


class AccountClock:
    """One account's clock as an adjustable clock: what the sandbox API and dashboard move, and
    what tells a clock advance to do that account's work only."""

    def __init__(self, clocks: AccountClocks, account_id: int) -> None:
        self.clocks = clocks
        self.account_id = account_id

    def now(self) -> datetime:
        return self.clocks.now(self.account_id)

    def horizon(self) -> datetime:
        return self.clocks.horizon()

    def advance_to(self, moment: datetime) -> None:
        self.clocks.advance_to(self.account_id, moment)


async def first_of(*events: asyncio.Event, at_most: float | None = None) -> None:
    """Until one of `events` is set (or `at_most` seconds pass)."""
    waiters = [asyncio.ensure_future(e.wait()) for e in events]
    try:
        await asyncio.wait(waiters, timeout=at_most, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
