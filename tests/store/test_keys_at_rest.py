"""What the database holds of an API key: its hash, and the key sealed with the server secret
(to sign webhooks) - never the key in the clear, in any column."""

from __future__ import annotations

from sqlalchemy import select

from parceltrace.service import accounts as svc
from parceltrace.service.accounts import AccountSettings
from parceltrace.service.context import Services
from parceltrace.store.tables import accounts


async def test_create_stores_only_a_hash_of_the_key(services: Services) -> None:
    account, key = await svc.create_account(services, "shop", AccountSettings())
    assert len(key) == 32 and key == key.upper()
    async with services.store.read() as conn:
        row = (await conn.execute(select(accounts))).one()
    assert key not in [str(v) for v in row]
    assert row.key_hash == svc.hash_key(key)
    assert (account.quota_total, account.rate_limit, account.max_track_daily) == (100, 3, 0)
