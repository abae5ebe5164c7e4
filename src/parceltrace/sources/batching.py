"""One micro-batcher for every source that answers many numbers a call (the relay's 40 per
gettrackinfo, a carrier API's batch): callers each await their own answer, and what arrives
within `window` seconds (or `size` of it) goes out in one call."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

Item = TypeVar("Item")
Answer = TypeVar("Answer")


class MicroBatcher(Generic[Item, Answer]):
    """`run` gets a batch and returns, in its order, each item's answer or the exception its
    caller is to get; an exception `run` raises goes to every caller of the batch."""

    def __init__(
        self,
        size: int,
        window: float,
        run: Callable[[list[Item]], Awaitable[Sequence[Answer | BaseException]]],
    ) -> None:
        self.size = size
        self.window = window
        self._run = run
        self._queue: list[tuple[Item, asyncio.Future[Answer]]] = []
        self._timer: asyncio.TimerHandle | None = None
        self._running: set[asyncio.Task[None]] = set()

    async def submit(self, item: Item) -> Answer:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Answer] = loop.create_future()
        self._queue.append((item, future))
        if len(self._queue) >= self.size:
            self._flush()
        elif self._timer is None:
            self._timer = loop.call_later(self.window, self._flush)
        return await future

    def _flush(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        while self._queue:
            batch, self._queue = self._queue[: self.size], self._queue[self.size :]
            task = asyncio.create_task(self._answer(batch))
            self._running.add(task)
            task.add_done_callback(self._running.discard)

    async def _answer(self, batch: list[tuple[Item, asyncio.Future[Answer]]]) -> None:
        try:
            answers: Sequence[Answer | BaseException] = await self._run([item for item, _ in batch])
        except Exception as exc:
            answers = [exc] * len(batch)
        for (_, future), answer in zip(batch, answers, strict=True):
            if future.done():
                continue  # its caller stopped waiting (a timeout)
            if isinstance(answer, BaseException):
                future.set_exception(answer)
            else:
                future.set_result(answer)
