"""The per-key rate limiter, in memory and in Redis (shared by every API process)."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from sqlalchemy.engine import make_url
from structlog.testing import capture_logs

from parceltrace.edge.ratelimit import RateLimiter
from parceltrace.store import outage as outage_module
from tests.proxy import proxy_to


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


async def test_while_redis_is_out_of_reach_limits_hold_in_memory() -> None:
    """Redis never reachable: the limits are this process's own, not lifted."""
    limiter = RateLimiter("redis://127.0.0.1:1/0", f"test-{uuid.uuid4().hex}")
    with capture_logs() as logs:
        answers = [await limiter.retry_after(1, 1) for _ in range(3)]
        waits = [await limiter.sign_in_wait("192.0.2.1") for _ in range(2)]
        for _ in range(12):
            await limiter.failed_sign_in("192.0.2.1")
        blocked = await limiter.sign_in_wait("192.0.2.1")
    await limiter.close()
    assert answers == [None, 1, 1]
    assert waits == [None, None] and blocked is not None and blocked > 0
    assert [entry["event"] for entry in logs] == [
        "redis out of reach: rate limits are counted in each process's memory until it returns"
    ]


async def test_a_redis_outage_is_counted_in_memory_and_redis_taken_back(
    redis_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Redis cut (a proxy closes its connections) and restored while requests come: during the
    cut the window is this process's, one line says so, and after the probe finds Redis the
    shared window (which another process sees) counts again."""
    monkeypatch.setattr(outage_module, "PROBE_EVERY", 0.05)
    prefix = f"test-{uuid.uuid4().hex}"
    with proxy_to(make_url(redis_url).port or 6379) as proxy:
        through_proxy = RateLimiter(f"redis://127.0.0.1:{proxy.port}/0", prefix)
        direct = RateLimiter(redis_url, prefix)
        with capture_logs() as logs:
            assert await through_proxy.retry_after(1, 100) is None
            proxy.cut()
            during = [await through_proxy.retry_after(2, 2) for _ in range(3)]
            assert through_proxy.outage.ongoing
            proxy.restore()
            for _ in range(100):
                if not through_proxy.outage.ongoing:
                    break
                await asyncio.sleep(0.05)
            after = [await through_proxy.retry_after(3, 2) for _ in range(2)]
            seen_by_other = await direct.retry_after(3, 2)
        await through_proxy.close()
        await direct.close()
    assert during == [None, None, 1], "the third request in a second is refused from memory"
    assert after == [None, None] and seen_by_other == 1, "Redis' shared window counts again"
    assert [entry["event"] for entry in logs] == [
        "redis out of reach: rate limits are counted in each process's memory until it returns",
        "redis reachable again",
    ]
    assert (through_proxy.outage.started, through_proxy.outage.failures) == (1, 1)
