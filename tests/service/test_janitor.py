"""The janitor purges stopped trackings after 90 days, one janitor at a time on PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text, update

from parceltrace.clock import FixedClock
from parceltrace.protocol.structs import RegisterItem
from parceltrace.service.accounts import AccountSettings, create_account
from parceltrace.service.context import Services
from parceltrace.service.janitor import JANITOR_LOCK, purge_stopped
from parceltrace.service.register import register
from parceltrace.store.engine import Store
from parceltrace.store.tables import trackings
from tests import stored
from tests.conftest import WriteCount


async def stopped_long_ago(services: Services, clock: FixedClock, count: int) -> None:
    account, _ = await create_account(services, "j", AccountSettings())
    await register(
        services, account.id, [RegisterItem(number=f"SANDBOX-InTransit-Other-{i}") for i in range(count)]
    )
    async with services.store.write() as conn:
        await conn.execute(
            update(trackings).values(
                tracking_status="Stopped", stop_track_time=clock.now() - timedelta(days=91)
            )
        )


async def remaining(services: Services) -> int:
    return len(await stored.trackings(services.store))


async def test_only_the_holder_of_the_janitor_lock_purges(
    services: Services, clock: FixedClock, db_url: str
) -> None:
    await stopped_long_ago(services, clock, 3)
    if services.store.is_sqlite:
        assert await purge_stopped(services, clock.now()) == 3
        return
    other = Store(db_url)
    try:
        async with other.write() as conn:
            await conn.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": JANITOR_LOCK})
            assert await purge_stopped(services, clock.now()) == 0, "another janitor is at work"
            assert await remaining(services) == 3
        assert await purge_stopped(services, clock.now()) == 3
        assert await remaining(services) == 0
    finally:
        await other.close()


async def test_with_nothing_due_the_janitor_does_not_take_the_writer(
    services: Services, clock: FixedClock, write_transactions: WriteCount
) -> None:
    """A sandbox clock advance asks the janitor on every window; mostly nothing is due."""
    await stopped_long_ago(services, clock, 2)
    write_transactions.opened = 0  # what setting up the rows took
    assert await purge_stopped(services, clock.now() - timedelta(days=2)) == 0
    assert write_transactions.opened == 0
    assert await purge_stopped(services, clock.now()) == 2
    assert write_transactions.opened == 1
    assert await remaining(services) == 0
