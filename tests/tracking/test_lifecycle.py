from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parceltrace.protocol.status import MainStatus
from parceltrace.tracking import lifecycle

T = datetime(2026, 5, 1, tzinfo=UTC)
H = timedelta(hours=1)


@given(st.sampled_from([m.value for m in MainStatus]), st.text(min_size=5, max_size=20))
def test_intervals_follow_003(status: str, number: str) -> None:
    interval = lifecycle.poll_interval(status, number)
    if status in ("Delivered", "Exception"):
        assert interval == 24 * H
    else:
        assert 6 * H <= interval <= 12 * H


def test_expiry_rules() -> None:
    since = T
    assert lifecycle.expires_at("InTransit", T + 3 * 24 * H, None, since) == T + 33 * 24 * H
    assert lifecycle.expires_at("NotFound", None, None, since) == T + 30 * 24 * H
    assert lifecycle.expires_at("Delivered", T + 5 * 24 * H, T + 5 * 24 * H, since) == T + 20 * 24 * H
    retracked = T + 50 * 24 * H
    assert lifecycle.expires_at("InTransit", T + 3 * 24 * H, None, retracked) == retracked + 30 * 24 * H
    assert (
        lifecycle.expires_at("Delivered", T + 5 * 24 * H, T + 5 * 24 * H, retracked)
        == retracked + 15 * 24 * H
    )


@pytest.mark.parametrize(
    ("changes_at", "complete", "failed", "expected"),
    [
        (None, False, False, T + 10 * H),  # unknown future: the regular cadence
        (T + 3 * H, False, False, T + 10 * H),  # a change before the next poll: the regular cadence
        (T + 25 * H, False, False, T + 30 * H),  # the first cadence point at or after the change
        (None, True, False, T + 100 * H),  # a finished journey waits for its expiry
        (None, False, True, T + timedelta(minutes=30)),  # a failed fetch retries soon
        (T + 500 * H, False, False, T + 100 * H),  # never past the expiry
    ],
)
def test_after_poll(changes_at: datetime | None, complete: bool, failed: bool, expected: datetime) -> None:
    schedule = lifecycle.after_poll(T, 10 * H, T + 100 * H, changes_at, complete, failed)
    assert schedule == lifecycle.Schedule(False, expected)


def test_stop_at_expiry() -> None:
    assert lifecycle.after_poll(T, 10 * H, T, None, False) == lifecycle.Schedule(True, None)
