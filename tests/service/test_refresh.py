""" "Refresh now": the chosen trackings are made due at once (and nothing is charged); fixing a
connector makes its carriers' failed and waiting trackings due once servers have taken it up."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import update

from parceltrace.clock import FixedClock
from parceltrace.protocol.structs import RegisterItem
from parceltrace.service.accounts import AccountSettings, create_account, get_account
from parceltrace.service.connectors import FOLLOW_EVERY, TAKE_UP_MARGIN, ConnectorSettings, add_connector
from parceltrace.service.context import Services
from parceltrace.service.refresh import refresh
from parceltrace.service.register import register
from parceltrace.store.tables import trackings
from tests import stored
from tests.sources.connectors.carriers.ups import standin as ups

NUMBERS = ["RR123456789CN", "RR123456780CN", "1Z999AA10123456784", "SANDBOX-Delivered-Other-1"]
LATER = timedelta(days=1)


async def setup(services: Services) -> int:
    account, _ = await create_account(services, "shop", AccountSettings())
    await register(services, account.id, [RegisterItem(number=n) for n in NUMBERS])
    async with services.store.write() as conn:  # every poll far off, as after a first poll
        await conn.execute(update(trackings).values(next_poll_at=services.clock.now() + LATER))
    return account.id


async def fetched(services: Services, failed: str) -> None:
    """Every tracking has a result from its last fetch but `failed`, whose last fetch failed."""
    async with services.store.write() as conn:
        await conn.execute(update(trackings).values(awaiting_result=False, latest_sync_status="Success"))
        await conn.execute(
            update(trackings).where(trackings.c.number == failed).values(latest_sync_status="Failure")
        )


async def due(services: Services) -> dict[str, Any]:
    return {t.number: t.next_poll_at for t in await stored.trackings(services.store)}


async def test_numbers_are_made_due_now_and_nothing_is_charged(services: Services, clock: FixedClock) -> None:
    account_id = await setup(services)
    made = await refresh(services, clock.now(), account_id, numbers=["rr123456789cn", "NOT-REGISTERED"])
    assert made == 1
    after = await due(services)
    assert after["RR123456789CN"] == clock.now()
    assert all(at == clock.now() + LATER for number, at in after.items() if number != "RR123456789CN")
    assert (await get_account(services, "shop")).quota_used == len(NUMBERS)  # type: ignore[union-attr]


async def test_by_carrier_only_failed_and_never_a_stopped_one(services: Services, clock: FixedClock) -> None:
    account_id = await setup(services)
    await fetched(services, failed="RR123456780CN")
    async with services.store.write() as conn:
        await conn.execute(
            update(trackings).where(trackings.c.number == "RR123456789CN").values(tracking_status="Stopped")
        )
    made = await refresh(services, clock.now(), account_id, carriers=[3011], failed_only=True)
    assert made == 1
    assert [n for n, at in (await due(services)).items() if at == clock.now()] == ["RR123456780CN"]
    assert await refresh(services, clock.now(), account_id + 1, carriers=[3011]) == 0, "another account's"


async def test_fixing_a_connector_retries_its_carriers_failed_trackings(
    services: Services, clock: FixedClock
) -> None:
    await setup(services)
    await fetched(services, failed="1Z999AA10123456784")
    await add_connector(services, ConnectorSettings("ups", ups.CREDENTIALS))
    after = await due(services)
    assert after["1Z999AA10123456784"] == clock.now() + timedelta(seconds=FOLLOW_EVERY + TAKE_UP_MARGIN)
    assert all(at == clock.now() + LATER for number, at in after.items() if number != "1Z999AA10123456784")
