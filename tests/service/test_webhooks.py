from __future__ import annotations

from datetime import timedelta

from sqlalchemy import insert

from parceltrace.clock import FixedClock
from parceltrace.service import webhooks as svc
from parceltrace.service.accounts import AccountSettings, create_account
from parceltrace.service.context import Services
from parceltrace.store.tables import deliveries, delivery_attempts


async def test_the_delivery_log_is_newest_first_by_time(services: Services, clock: FixedClock) -> None:
    """After a sandbox clock advance, attempts are not made in the order of their times: the log
    still reads newest first (it was in the order the rows were written)."""
    account, _ = await create_account(services, "shop", AccountSettings())
    now = clock.now()
    async with services.store.write() as conn:
        for index, hours in enumerate([0, 720, 1]):
            delivery = await conn.execute(
                insert(deliveries).values(
                    message_id=f"msg_{index}", account_id=account.id, number=f"N{index}", carrier=0,
                    event="TRACKING_UPDATED", body="{}", created_at=now, due_at=now,
                )
            )  # fmt: skip
            await conn.execute(
                insert(delivery_attempts).values(
                    delivery_id=delivery.inserted_primary_key[0], account_id=account.id,
                    attempted_at=now + timedelta(hours=hours), status_code=200,
                )
            )  # fmt: skip
    log = await svc.delivery_log(services, "shop")
    assert [attempt.message_id for attempt in log] == ["msg_1", "msg_2", "msg_0"]
