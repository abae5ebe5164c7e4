"""Per-key request rate limits (moving window, `limits` library), in process memory."""

from __future__ import annotations

import math
import time

from limits import RateLimitItemPerSecond
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter


class RateLimiter:
    def __init__(self) -> None:
        self._limiter = MovingWindowRateLimiter(MemoryStorage())
        self._items: dict[int, RateLimitItemPerSecond] = {}

    def retry_after(self, account_id: int, per_second: int) -> int | None:
        """Counts one request; None when allowed, else seconds until one is allowed again."""
        if per_second <= 0:
            return None
        item = self._items.get(per_second)
        if item is None:
            item = self._items[per_second] = RateLimitItemPerSecond(per_second, 1)
        if self._limiter.hit(item, str(account_id)):
            return None
        reset = self._limiter.get_window_stats(item, str(account_id)).reset_time
        return max(1, math.ceil(reset - time.time()))
