"""The per-account sandbox clocks (pure)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from parceltrace.clock import HORIZON, AccountClocks, BeyondHorizon, FixedClock

START = datetime(2026, 3, 2, tzinfo=UTC)
DAY = timedelta(days=1)


def test_accounts_move_alone_and_only_forward() -> None:
    clocks = AccountClocks(FixedClock(START))
    clocks.advance_to(1, START + 3 * DAY)
    clocks.advance_to(1, START + DAY)  # earlier: nothing
    assert (clocks.now(1), clocks.now(2)) == (START + 3 * DAY, START)
    with pytest.raises(BeyondHorizon):
        clocks.advance_to(2, START + HORIZON + DAY)
    clocks.of(3).advance_to(START + 3 * DAY)
    assert clocks.groups() == [(3 * DAY, frozenset({1, 3}))]


def test_following_the_store_grows_offsets_and_takes_resets_by_generation() -> None:
    clocks = AccountClocks(FixedClock(START))
    clocks.advance_to(1, START + 5 * DAY)
    clocks.follow({1: (2 * DAY, 0), 2: (DAY, 0)})  # an older value elsewhere: ours stays
    assert (clocks.offset(1), clocks.offset(2)) == (5 * DAY, DAY)
    clocks.follow({1: (timedelta(0), 1)})  # reset by the CLI: a newer generation
    assert clocks.offset(1) == timedelta(0)
    clocks.follow({1: (timedelta(0), 1), 2: (100_000 * DAY, 0)})  # written before the horizon
    assert clocks.offset(2) == HORIZON
    assert clocks.groups() == [(HORIZON, frozenset({2}))]
