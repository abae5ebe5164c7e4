from __future__ import annotations

import pytest

from parceltrace.api import auth
from parceltrace.api.auth import AccountCache
from parceltrace.service.accounts import AccountSettings, update_account
from parceltrace.service.context import Services
from tests.conftest import NewKey


async def test_cache_serves_for_its_lifetime_then_refreshes(
    services: Services, new_key: NewKey, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = [1000.0]
    monkeypatch.setattr(auth.time, "monotonic", lambda: now[0])
    key = await new_key("shop")
    cache = AccountCache(seconds=1.0)
    first = await cache.lookup(key, services)
    assert first is not None and first.enabled
    await update_account(services, "shop", AccountSettings(enabled=False))
    now[0] += 0.5
    still = await cache.lookup(key, services)
    assert still is not None and still.enabled
    now[0] += 0.6
    fresh = await cache.lookup(key, services)
    assert fresh is not None and not fresh.enabled


async def test_unknown_keys_are_cached_too_and_the_cache_is_bounded(services: Services) -> None:
    cache = AccountCache(seconds=60, size=3)
    for index in range(5):
        assert await cache.lookup(f"{index:032d}", services) is None
    assert len(cache._entries) == 3
