"""Per-key request rate limits (moving window, `limits` library): in process memory, or in
Redis so that every API process of a cluster counts against the same window.

While Redis is out of reach each process counts in its own memory (a client spread over N
processes may then make up to N times its rate), logs the outage once, and goes back to Redis
when a probe finds it again: an outage of the limiter must not become an outage of the API,
nor lift every limit."""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from limits import RateLimitItemPerMinute, RateLimitItemPerSecond
from limits.aio.storage import MemoryStorage, RedisStorage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import StorageError
from redis.asyncio import ConnectionPool
from redis.exceptions import RedisError

from parceltrace.store.outage import Outage

KEY_PREFIX = "parceltrace-limits"
MAX_TURN_WAITS = 120
"""A turn is waited for at most this many seconds (then taken: a limiter outage must not hang)."""
DASHBOARD_PER_SECOND = 10
"""Dashboard requests one account may make per second (pages, partials and actions): more
than a person clicks, far less than a script."""
FAILED_SIGN_INS = RateLimitItemPerMinute(10)
"""Wrong keys one client address may try per minute (API and dashboard together)."""
T = TypeVar("T")


class RateLimiter:
    def __init__(
        self,
        redis_url: str | None = None,
        key_prefix: str = KEY_PREFIX,
        dashboard_per_second: int = DASHBOARD_PER_SECOND,
    ) -> None:
        self.dashboard_per_second = dashboard_per_second
        """0: no limit (scripted tests of the dashboard)."""
        self._pool = ConnectionPool.from_url(redis_url, socket_timeout=2) if redis_url else None
        pool_option: dict[str, Any] = {"connection_pool": self._pool}  # typed **options in limits
        self._shared = (
            MovingWindowRateLimiter(
                RedisStorage(
                    redis_url,
                    implementation="redispy",
                    key_prefix=key_prefix,
                    wrap_exceptions=True,
                    **pool_option,
                )
            )
            if redis_url
            else None
        )
        self._local = MovingWindowRateLimiter(MemoryStorage())
        self.shared = redis_url is not None
        self.outage = Outage(
            "redis",
            self._answers,
            "rate limits are counted in each process's memory until it returns",
        )
        self._items: dict[int, RateLimitItemPerSecond] = {}

    async def _counted(self, count: Callable[[MovingWindowRateLimiter], Awaitable[T]]) -> T:
        """`count` on Redis, or in this process's memory while Redis is out of reach."""
        if self._shared is not None and not self.outage.ongoing:
            try:
                return await count(self._shared)
            except StorageError as exc:
                self.outage.failed(exc)
        return await count(self._local)

    async def retry_after(self, account_id: int, per_second: int, scope: str = "api") -> int | None:
        """Counts one request in the account's `scope` window; None when allowed, else seconds
        until one is allowed again."""
        if per_second <= 0:
            return None
        item = self._items.get(per_second)
        if item is None:
            item = self._items[per_second] = RateLimitItemPerSecond(per_second, 1)
        key = str(account_id)

        async def count(limiter: MovingWindowRateLimiter) -> float | None:
            if await limiter.hit(item, scope, key):
                return None
            return (await limiter.get_window_stats(item, scope, key)).reset_time

        reset = await self._counted(count)
        return None if reset is None else max(1, math.ceil(reset - time.time()))

    async def take_turn(self, account_id: int, per_second: int) -> None:
        """Counts one request, waiting for the window when it is full (the dashboard's
        registrations go 40 numbers at a time at the key's own pace)."""
        for _ in range(MAX_TURN_WAITS):
            wait = await self.retry_after(account_id, per_second)
            if wait is None:
                return
            await asyncio.sleep(min(wait, 1))

    async def sign_in_wait(self, address: str) -> int | None:
        """Seconds before `address` may try a key again (None: now), after FAILED_SIGN_INS
        failures within a minute, whether at the API or the dashboard."""

        async def count(limiter: MovingWindowRateLimiter) -> float | None:
            if await limiter.test(FAILED_SIGN_INS, "failed-sign-in", address):
                return None
            return (await limiter.get_window_stats(FAILED_SIGN_INS, "failed-sign-in", address)).reset_time

        reset = await self._counted(count)
        return None if reset is None else max(1, math.ceil(reset - time.time()))

    async def failed_sign_in(self, address: str) -> None:
        await self._counted(lambda limiter: limiter.hit(FAILED_SIGN_INS, "failed-sign-in", address))

    async def reachable(self) -> bool | None:
        """Whether Redis answers a PING (None: no Redis is configured)."""
        if self._pool is None:
            return None
        from redis.asyncio import Redis

        try:
            return bool(await Redis(connection_pool=self._pool).ping())
        except (OSError, RedisError):
            return False

    async def _answers(self) -> bool:
        return await self.reachable() is True

    async def close(self) -> None:
        await self.outage.close()
        if self._pool is not None:
            await self._pool.aclose()
