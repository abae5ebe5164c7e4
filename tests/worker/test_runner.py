"""The embedded worker's main loop: it polls at once when idle and gives way to a busy API."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from parceltrace.clock import FixedClock
from parceltrace.service.activity import ApiActivity
from parceltrace.service.context import Services
from parceltrace.worker import runner
from parceltrace.worker.runner import MAX_POLL_LAG, MAX_YIELD, YIELD_RATIO, Worker, rest_after
from tests.worker.test_poller import column, register_many


@pytest.mark.parametrize(
    ("batch", "rest"),
    [(0.0, 0.0), (0.01, 0.01 * YIELD_RATIO), (0.1, 0.1 * YIELD_RATIO), (10.0, MAX_YIELD), (-1.0, 0.0)],
)
def test_rest_after_a_batch(batch: float, rest: float) -> None:
    assert rest_after(batch) == pytest.approx(rest)


def test_activity_counts_requests_in_flight_and_started() -> None:
    activity = ApiActivity()
    mark = activity.started
    assert not activity.busy_since(mark)
    activity.begin()
    assert activity.busy_since(mark)
    activity.end()
    assert activity.busy_since(mark)  # one began after the mark, even though it has ended
    assert not activity.busy_since(activity.started)


async def _run_until_polled(
    services: Services,
    worker: Worker,
    count: int,
    monkeypatch: pytest.MonkeyPatch,
    rests_expected: int = 0,
) -> list[float | None]:
    """Runs the worker loop until `count` trackings were polled (and, when rests are expected,
    the worker has decided on its rest after the last batch); the rests it asked for."""
    rests: list[float | None] = []
    real_first_of = runner.first_of

    async def recording_first_of(*events: asyncio.Event, at_most: float | None = None) -> None:
        if worker.wakeup not in events:
            rests.append(at_most)
            return
        await real_first_of(*events, at_most=0.01)

    monkeypatch.setattr(runner, "first_of", recording_first_of)
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run(stop))
    for _ in range(500):
        polled = sum(1 for n in await column(services, "poll_count") if n)
        if polled == count and len(rests) >= rests_expected:
            break
        await asyncio.sleep(0.02)
    stop.set()
    worker.wake()
    await asyncio.wait_for(task, 10)
    assert sum(1 for n in await column(services, "poll_count") if n) == count
    return rests


async def test_an_idle_api_lets_the_worker_poll_batch_after_batch(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    await register_many(services, 120)
    worker = Worker(services, owner="w", batch_size=40)
    try:
        rests = await _run_until_polled(services, worker, 120, monkeypatch)
    finally:
        await worker.close()
    assert rests == []


async def test_a_busy_api_makes_the_worker_rest_after_each_batch_but_everything_is_polled(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    await register_many(services, 120)
    worker = Worker(services, owner="w", batch_size=40)
    services.activity.begin()  # a request stays in flight for the whole test
    try:
        rests = await _run_until_polled(services, worker, 120, monkeypatch, rests_expected=3)
    finally:
        services.activity.end()
        await worker.close()
    assert len(rests) >= 3  # one rest after each of the three batches
    assert all(r is not None and 0 < r <= MAX_YIELD for r in rests)


async def test_a_busy_api_does_not_defer_polls_that_are_already_late(
    services: Services, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    await register_many(services, 120)
    clock.advance_to(clock.now() + MAX_POLL_LAG + timedelta(seconds=1))  # every first poll is late now
    worker = Worker(services, owner="w", batch_size=40)
    services.activity.begin()
    try:
        rests = await _run_until_polled(services, worker, 120, monkeypatch)
    finally:
        services.activity.end()
        await worker.close()
    assert rests == []
