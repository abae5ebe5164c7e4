"""The per-key rate limiter, in memory and in Redis (shared by every API process)."""

from __future__ import annotations

import uuid

from parceltrace.service.ratelimit import RateLimiter


async def test_in_memory_a_key_gets_its_rate_and_then_a_retry_after() -> None:
    limiter = RateLimiter()
    assert [await limiter.retry_after(1, 3) for _ in range(3)] == [None, None, None]
    assert await limiter.retry_after(1, 3) == 1
    assert await limiter.retry_after(2, 3) is None, "another key has its own window"
    assert all([await limiter.retry_after(3, 0) is None for _ in range(50)]), "0 = unlimited"


async def test_in_redis_two_processes_share_one_window(redis_url: str) -> None:
    prefix = f"test-{uuid.uuid4().hex}"
    first, second = RateLimiter(redis_url, prefix), RateLimiter(redis_url, prefix)
    assert first.shared
    answers = [await limiter.retry_after(7, 4) for limiter in (first, second, first, second, first, second)]
    assert answers[:4] == [None] * 4
    assert answers[4:] == [1, 1], "the fifth and sixth requests are refused, whichever API took them"
    await first.close()
    await second.close()


async def test_when_redis_is_down_requests_pass() -> None:
    limiter = RateLimiter("redis://127.0.0.1:1/0", f"test-{uuid.uuid4().hex}")
    assert [await limiter.retry_after(1, 1) for _ in range(3)] == [None, None, None]
    await limiter.close()
