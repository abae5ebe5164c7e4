"""Per-key request rate limits (moving window, `limits` library): in process memory, or in
Redis so that every API process of a cluster counts against the same window.

If Redis cannot be reached, requests are let through (and the failure logged): an outage of
the limiter must not become an outage of the API."""

from __future__ import annotations

import math
import time
from typing import Any

import structlog
from limits import RateLimitItemPerSecond
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import StorageError
from redis.asyncio import ConnectionPool

log = structlog.get_logger("parceltrace.ratelimit")
KEY_PREFIX = "parceltrace-limits"


class RateLimiter:
    def __init__(self, redis_url: str | None = None, key_prefix: str = KEY_PREFIX) -> None:
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

    async def retry_after(self, account_id: int, per_second: int) -> int | None:
        """Counts one request; None when allowed, else seconds until one is allowed again."""
        if per_second <= 0:
            return None
        item = self._items.get(per_second)
        if item is None:
            item = self._items[per_second] = RateLimitItemPerSecond(per_second, 1)
        try:
            if await self._limiter.hit(item, str(account_id)):
                return None
            reset = (await self._limiter.get_window_stats(item, str(account_id))).reset_time
        except StorageError as exc:
            log.warning("rate limiter unavailable; request allowed", error=str(exc))
            return None
        return max(1, math.ceil(reset - time.time()))

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.aclose()
