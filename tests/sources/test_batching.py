"""The one micro-batcher the relay and the carrier connectors share."""

from __future__ import annotations

import asyncio

import pytest

from parceltrace.sources.batching import MicroBatcher


class Recorder:
    def __init__(self) -> None:
        self.calls: list[list[int]] = []

    async def run(self, items: list[int]) -> list[int | BaseException]:
        self.calls.append(items)
        return [ValueError(f"odd {i}") if i % 2 else i * 10 for i in items]


async def test_a_full_batch_goes_at_once_and_the_rest_after_the_window() -> None:
    recorder = Recorder()
    batcher: MicroBatcher[int, int] = MicroBatcher(3, 0.05, recorder.run)
    answers = await asyncio.gather(*(batcher.submit(i) for i in (0, 2, 4, 6)))
    assert answers == [0, 20, 40, 60]
    assert recorder.calls == [[0, 2, 4], [6]]


async def test_each_caller_gets_its_own_answer_or_its_own_exception() -> None:
    batcher: MicroBatcher[int, int] = MicroBatcher(10, 0.01, Recorder().run)
    results = await asyncio.gather(*(batcher.submit(i) for i in range(4)), return_exceptions=True)
    assert results[0] == 0 and results[2] == 20
    assert [str(r) for r in (results[1], results[3])] == ["odd 1", "odd 3"]


async def test_a_failing_call_fails_every_caller_of_its_batch() -> None:
    async def broken(items: list[int]) -> list[int | BaseException]:
        raise ConnectionError("upstream down")

    batcher: MicroBatcher[int, int] = MicroBatcher(2, 0.01, broken)
    results = await asyncio.gather(*(batcher.submit(i) for i in range(2)), return_exceptions=True)
    assert all(isinstance(r, ConnectionError) for r in results)


async def test_a_caller_that_stopped_waiting_is_skipped() -> None:
    release = asyncio.Event()

    async def slow(items: list[int]) -> list[int | BaseException]:
        await release.wait()
        return list(items)

    batcher: MicroBatcher[int, int] = MicroBatcher(2, 0.01, slow)
    impatient = asyncio.create_task(batcher.submit(1))
    patient = asyncio.create_task(batcher.submit(2))
    await asyncio.sleep(0.02)
    impatient.cancel()
    release.set()
    assert await patient == 2
    with pytest.raises(asyncio.CancelledError):
        await impatient
