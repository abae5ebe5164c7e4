"""Group commit: jobs that arrive while a write transaction runs share the next one.

With one writer (SQLite), each transaction's fixed cost (BEGIN, account read and update,
COMMIT, driver round trips) is paid once per group instead of once per request. Each job
still commits entirely or not at all: a group that fails is retried one job at a time, so a
bad job fails alone.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection

from parceltrace.store.engine import Store

J = TypeVar("J")
R = TypeVar("R")
BatchWork = Callable[[AsyncConnection, list[J]], Awaitable[list[R]]]
MAX_GROUP = 25


class GroupCommit(Generic[J, R]):
    def __init__(self, store: Store, work: BatchWork[J, R], max_group: int = MAX_GROUP) -> None:
        self._store = store
        self._work = work
        self._max_group = max_group
        self._queue: list[tuple[J, asyncio.Future[R]]] = []
        self._runner: asyncio.Task[None] | None = None

    async def submit(self, job: J) -> R:
        future: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        self._queue.append((job, future))
        if self._runner is None or self._runner.done():
            self._runner = asyncio.create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        while self._queue:
            group, self._queue = self._queue[: self._max_group], self._queue[self._max_group :]
            try:
                await self._commit(group)
            except Exception:
                for single in group:
                    await self._settle_alone(single)

    async def _settle_alone(self, entry: tuple[J, asyncio.Future[R]]) -> None:
        try:
            await self._commit([entry])
        except Exception as exc:
            if not entry[1].done():
                entry[1].set_exception(exc)

    async def _commit(self, group: list[tuple[J, asyncio.Future[R]]]) -> None:
        try:
            async with self._store.write() as conn:
                results = await self._work(conn, [job for job, _ in group])
        except Exception as exc:
            if len(group) == 1 and not group[0][1].done():
                group[0][1].set_exception(exc)
                return
            raise
        for (_, future), result in zip(group, results, strict=True):
            if not future.done():
                future.set_result(result)
