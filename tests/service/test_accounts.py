from __future__ import annotations

from datetime import timedelta

import pytest

from parceltrace.clock import FixedClock
from parceltrace.service import accounts as svc
from parceltrace.service.accounts import AccountError, AccountSettings
from parceltrace.service.context import Services


async def test_authenticate(services: Services) -> None:
    account, key = await svc.create_account(services, "shop", AccountSettings())
    async with services.store.read() as conn:
        found = await svc.authenticate(conn, key, services.clock.now())
        assert found is not None and found.id == account.id
        assert await svc.authenticate(conn, key.lower(), services.clock.now()) is None
        assert await svc.authenticate(conn, "X" * 32, services.clock.now()) is None


async def test_rotated_key_keeps_the_old_one_for_the_grace_period(
    services: Services, clock: FixedClock
) -> None:
    _, old = await svc.create_account(services, "shop", AccountSettings())
    new = await svc.rotate_key(services, "shop", grace_seconds=300)
    async with services.store.read() as conn:
        assert await svc.authenticate(conn, new, clock.now()) is not None
        assert await svc.authenticate(conn, old, clock.now() + timedelta(seconds=299)) is not None
        assert await svc.authenticate(conn, old, clock.now() + timedelta(seconds=301)) is None


async def test_duplicate_name_is_refused(services: Services) -> None:
    await svc.create_account(services, "shop", AccountSettings())
    with pytest.raises(AccountError, match="exists already"):
        await svc.create_account(services, "shop", AccountSettings())


@pytest.mark.parametrize(
    ("settings", "text"),
    [
        (AccountSettings(quota_total=-1), "--quota-total"),
        (AccountSettings(webhook_url="ftp://x"), "-18010202"),
        (AccountSettings(webhook_url="not a url"), "-18010202"),
        (AccountSettings(ip_whitelist="1.2.3.4,banana"), "-18010205"),
    ],
)
async def test_invalid_settings_are_refused(services: Services, settings: AccountSettings, text: str) -> None:
    with pytest.raises(AccountError, match=text):
        await svc.create_account(services, "shop", settings)


async def test_update_changes_only_what_is_given(services: Services) -> None:
    await svc.create_account(services, "shop", AccountSettings(quota_total=500))
    updated = await svc.update_account(
        services, "shop", AccountSettings(max_track_daily=10, ip_whitelist=" 10.0.0.0/8 , 1.2.3.4")
    )
    assert (updated.quota_total, updated.max_track_daily) == (500, 10)
    assert updated.ip_whitelist == "10.0.0.0/8,1.2.3.4"
    assert updated.allows_ip("10.1.2.3") and updated.allows_ip("1.2.3.4")
    assert not updated.allows_ip("1.2.3.5") and not updated.allows_ip("testclient")
    cleared = await svc.update_account(services, "shop", AccountSettings(ip_whitelist=""))
    assert cleared.ip_whitelist is None and cleared.allows_ip("1.2.3.5")


async def test_update_unknown_account(services: Services) -> None:
    with pytest.raises(AccountError, match="no account"):
        await svc.update_account(services, "ghost", AccountSettings(quota_total=1))
