"""Retry policy: capped exponential backoff with full jitter; Retry-After wins when given."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 4
    """Tries in all, the first included."""
    base: float = 0.5
    cap: float = 20.0
    jitter: Callable[[], float] = field(default=random.random, compare=False)
    """A number in [0, 1); tests pass a fixed one."""

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait after failed try number `attempt` (1-based)."""
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.cap)
        return float(min(self.cap, self.base * 2 ** (attempt - 1)) * self.jitter())
