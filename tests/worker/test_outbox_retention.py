"""The outbox is bounded: delivered and failed messages leave after the retention (30 days by
default, `--delivery-retention`), a deleted tracking's finished messages at once, pending ones
never; the janitor deletes in small chunks. `push` is free, so before this 50 calls of 40
numbers added 2,000 rows that stayed forever."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import update

from parceltrace.clock import FixedClock
from parceltrace.service.context import Services
from parceltrace.service.deliveries import OUTBOX_CHUNK
from parceltrace.store.deliveries import prune_outbox
from parceltrace.store.tables import deliveries
from parceltrace.worker.runner import Worker
from tests import stored
from tests.conftest import Api, NewKey
from tests.webhooks.receiver import receiving


async def count(services: Services, state: str | None = None, number: str | None = None) -> int:
    """Webhook messages in the outbox (in `state`, of `number`)."""
    return sum(
        1
        for d in await stored.deliveries(services.store)
        if (state is None or d.state == state) and (number is None or d.number == number)
    )


async def logged(services: Services) -> int:
    return len(await stored.attempts(services.store))


async def test_finished_messages_leave_after_the_retention_pending_ones_stay(
    client: Any, new_key: NewKey, services: Services, worker: Worker, clock: FixedClock
) -> None:
    async with receiving() as receiver:
        api = Api(client, await new_key("shop", webhook_url=receiver.url))
        numbers = [{"number": f"SANDBOX-InTransit-Other-{n}"} for n in range(40)]
        await api.call("register", numbers)
        for _ in range(50):  # free pushes: 2,000 messages on top of the first results
            await api.call("push", numbers)
        while await worker.run_once():
            pass
    delivered = await count(services, state="delivered")
    assert delivered >= 2_000
    pending_ids = [d.id for d in await stored.deliveries(services.store)][:10]
    async with services.store.write() as conn:  # ten of them are still waiting for a retry
        await conn.execute(update(deliveries).where(deliveries.c.id.in_(pending_ids)).values(state="pending"))

    clock.advance_to(clock.now() + timedelta(days=29))
    assert await prune_outbox(services.store, clock.now() - services.delivery_retention, [], 500) == 0

    clock.advance_to(clock.now() + timedelta(days=2))
    removed = await prune_outbox(services.store, clock.now() - services.delivery_retention, [], 500)
    assert removed == 500  # one chunk at a time
    await worker.prune_outbox(clock.now())
    assert await count(services) == 10 and await count(services, state="pending") == 10
    assert await logged(services) <= 10


async def test_a_deleted_trackings_finished_messages_leave_at_once(
    client: Any, new_key: NewKey, services: Services, worker: Worker, clock: FixedClock
) -> None:
    async with receiving() as receiver:
        api = Api(client, await new_key("shop", webhook_url=receiver.url))
        await api.call(
            "register", [{"number": "SANDBOX-InTransit-Other-1"}, {"number": "SANDBOX-InTransit-Other-2"}]
        )
        await api.call("push", [{"number": "SANDBOX-InTransit-Other-1"}])
        while await worker.run_once():
            pass
        await api.call("deletetrack", [{"number": "SANDBOX-InTransit-Other-1"}])
    assert await worker.prune_outbox(clock.now()) == 2
    assert await count(services, number="SANDBOX-INTRANSIT-OTHER-1") == 0
    assert await count(services, number="SANDBOX-INTRANSIT-OTHER-2") == 1


def test_the_chunk_is_small() -> None:
    assert OUTBOX_CHUNK <= 1_000
