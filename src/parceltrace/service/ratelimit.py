"""Per-key request rate limits (moving window, `limits` library): in process memory, or in
Redis so that every API process of a cluster counts against the same window.

If Redis cannot be reached, requests are let through (and the failure logged): an outage of
the limiter must not become an outage of the API."""

from __future__ import annotations

import asyncio
import math
import time
from typing import Any

import structlog
from limits import RateLimitItemPerMinute, RateLimitItemPerSecond
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import StorageError
from redis.asyncio import ConnectionPool
from redis.exceptions import RedisError

log = structlog.get_logger("parceltrace.ratelimit")
KEY_PREFIX = "parceltrace-limits"
MAX_TURN_WAITS = 120
"""A turn is waited for at most this many seconds (then taken: a limiter outage must not hang)."""
DASHBOARD_PER_SECOND = 10
"""Dashboard requests one account may make per second (pages, partials and actions): more
than a person clicks, far less than a script."""
FAILED_SIGN_INS = RateLimitItemPerMinute(10)
"""Wrong keys one client address may try per minute (API and dashboard together)."""


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
        pool_option: dict[str, Any] = {"connection_pool": self._pool}
        storage: Storage = (
            RedisStorage(
                redis_url,
                implementation="redispy",
                key_prefix=key_prefix,
                wrap_exceptions=True,
                **pool_option,
            )
            if redis_url
            else MemoryStorage()
        )
        self.shared = redis_url is not None
        self._limiter = MovingWindowRateLimiter(storage)
        self._items: dict[int, RateLimitItemPerSecond] = {}

    async def retry_after(self, account_id: int, per_second: int, scope: str = "api") -> int | None:
        """Counts one request in the account's `scope` window; None when allowed, else seconds
        until one is allowed again."""
        if per_second <= 0:
            return None
        item = self._items.get(per_second)
        if item is None:
            item = self._items[per_second] = RateLimitItemPerSecond(per_second, 1)
        try:
            if await self._limiter.hit(item, scope, str(account_id)):
                return None
            reset = (await self._limiter.get_window_stats(item, scope, str(account_id))).reset_time
        except StorageError as exc:
            log.warning("rate limiter unavailable; request allowed", error=str(exc))
            return None
        return max(1, math.ceil(reset - time.time()))

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
        try:
            if await self._limiter.test(FAILED_SIGN_INS, "failed-sign-in", address):
                return None
            reset = (
                await self._limiter.get_window_stats(FAILED_SIGN_INS, "failed-sign-in", address)
            ).reset_time
        except StorageError as exc:
            log.warning("rate limiter unavailable; sign-in allowed", error=str(exc))
            return None
        return max(1, math.ceil(reset - time.time()))

    async def failed_sign_in(self, address: str) -> None:
        try:
            await self._limiter.hit(FAILED_SIGN_INS, "failed-sign-in", address)
        except StorageError as exc:
            log.warning("rate limiter unavailable; failed sign-in not counted", error=str(exc))

    async def reachable(self) -> bool | None:
        """Whether Redis answers a PING (None: no Redis is configured)."""
        if self._pool is None:
            return None
        from redis.asyncio import Redis

        try:
            return bool(await Redis(connection_pool=self._pool).ping())
        except (OSError, RedisError):
            return False

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.aclose()
