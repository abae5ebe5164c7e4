"""One tenant can't hurt another: with account A's webhook receiver accepting connections and
never answering, account B's polls, pushes and clock advances go on as if A were not there,
and A's receiver is never sent more than RECEIVER_CONNECTIONS connections at once.

The measure is logical, not a stopwatch: B's push arrives (and B's clock advance returns)
while every one of A's attempts is still hanging (none of them recorded). Before the worker's
loops were independent, B's push waited for A's whole batch: 15 s, A's timeout, after which
A's attempts were recorded first."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import pytest

from parceltrace.outbox.transport import RECEIVER_CONNECTIONS
from parceltrace.service.accounts import get_account
from parceltrace.service.context import Services
from parceltrace.worker.dispatcher import ACCOUNT_IN_FLIGHT, IN_FLIGHT, MIN_ACCOUNT_IN_FLIGHT, Dispatcher
from parceltrace.worker.runner import Worker
from tests import stored
from tests.conftest import Api, NewKey
from tests.webhooks.receiver import receiving

WAIT = 10.0
"""Seconds the test waits for anything: under A's 15 s timeout, so A's attempts still hang."""


class Hung:
    """A receiver that reads nothing and answers nothing; counts connections open at once."""

    def __init__(self) -> None:
        self.open = 0
        self.most = 0
        self.port = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.open += 1
        self.most = max(self.most, self.open)
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            pass
        finally:
            self.open -= 1
            writer.close()


@asynccontextmanager
async def hung_receiver() -> AsyncIterator[Hung]:
    hung = Hung()
    server = await asyncio.start_server(hung.handle, "127.0.0.1", 0)
    hung.port = server.sockets[0].getsockname()[1]
    try:
        yield hung
    finally:
        server.close()
        await server.wait_closed()


async def until(condition: Any, what: str) -> None:
    for _ in range(int(WAIT / 0.02)):
        if await condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"not within {WAIT} s: {what}")


async def recorded_attempts(services: Services, account_id: int | None = None) -> int:
    logged = await stored.attempts(services.store)
    return sum(1 for a in logged if account_id is None or a.account_id == account_id)


async def test_a_dead_receiver_costs_its_own_account_alone(
    services: Services, client: Any, new_key: NewKey
) -> None:
    worker = Worker(services, owner="fair")
    stop = asyncio.Event()
    running = asyncio.create_task(worker.run(stop, idle_seconds=0.05))
    try:
        async with hung_receiver() as hung, receiving() as healthy:
            a = Api(client, await new_key("a", webhook_url=f"http://127.0.0.1:{hung.port}/hook"))
            b = Api(client, await new_key("b", webhook_url=healthy.url))
            for batch in range(3):  # 120 of A's pushes due, far over the receiver's cap
                await a.call(
                    "register", [{"number": f"SANDBOX-Delivered-Other-{batch}{n}"} for n in range(40)]
                )
            await until(lambda: _true(hung.open >= RECEIVER_CONNECTIONS), "A's receiver is full")

            await b.call("register", [{"number": "SANDBOX-Delivered-Other-1"}])
            await until(lambda: _true(len(healthy.received) == 1), "B's first push")
            b_account = await _account_id(services, "b")
            a_account = await _account_id(services, "a")

            async def b_recorded() -> bool:
                return await recorded_attempts(services, b_account) == 1

            await until(b_recorded, "B's attempt recorded")
            assert await recorded_attempts(services, a_account) == 0  # each of A's is still hanging

            b_clock = services.clocks.of(b_account)
            report = await worker.advance(b_clock, b_clock.now() + timedelta(days=12))
            assert report.polls >= 1 and report.pushes >= 1
            assert len(healthy.received) >= 2
            assert await recorded_attempts(services, a_account) == 0
            assert hung.most <= RECEIVER_CONNECTIONS
    finally:
        stop.set()
        await asyncio.wait_for(running, WAIT)
        await worker.close()


async def _true(value: bool) -> bool:
    return value


async def _account_id(services: Services, name: str) -> int:
    account = await get_account(services, name)
    assert account is not None
    return account.id


async def test_the_delivery_loop_delivers_each_message_once_and_records_it(
    services: Services, client: Any, new_key: NewKey
) -> None:
    """Many messages through `Dispatcher.run` to one healthy receiver: every one arrives once
    and is recorded delivered, with no lease left behind (an attempt that ended while its
    batch was being written was once dropped, and its message sent again when the lease
    lapsed a minute later)."""
    worker = Worker(services, owner="loop")
    async with receiving() as healthy:
        api = Api(client, await new_key("shop", webhook_url=healthy.url, quota_total=1000))
        for batch in range(10):
            await api.call(
                "register", [{"number": f"SANDBOX-InfoReceived-{batch}{n:02d}"} for n in range(40)]
            )
        while await worker.poll_step():
            pass
        assert len(await stored.deliveries(services.store)) == 400
        stop = asyncio.Event()
        running = asyncio.create_task(worker.dispatcher.run(stop, idle_seconds=0.01))

        async def all_delivered() -> bool:
            messages = await stored.deliveries(services.store)
            return sum(1 for d in messages if d.state == "delivered") == 400

        try:
            await until(all_delivered, "every message delivered")
        finally:
            stop.set()
            await asyncio.wait_for(running, WAIT)
            await worker.close()
    numbers = [json.loads(r.body)["data"]["number"] for r in healthy.received]
    assert len(numbers) == 400 and len(set(numbers)) == 400
    assert [d.id for d in await stored.deliveries(services.store) if d.lease_owner is not None] == []


@pytest.mark.parametrize(
    ("busy_accounts", "share"),
    [
        (0, ACCOUNT_IN_FLIGHT),
        (1, ACCOUNT_IN_FLIGHT),
        (3, 128),
        (7, 64),
        (15, 32),
        (40, MIN_ACCOUNT_IN_FLIGHT),
    ],
)
def test_each_busy_account_gets_a_part_and_a_newcomer_always_finds_room(
    services: Services, busy_accounts: int, share: int
) -> None:
    """IN_FLIGHT shared by the busy accounts and one newcomer, at most ACCOUNT_IN_FLIGHT and at
    least MIN_ACCOUNT_IN_FLIGHT each: a tenant whose receiver hangs cannot take every place."""
    dispatcher = Dispatcher(services, "share")
    for account in range(busy_accounts):
        dispatcher._by_account[account] = 1
    assert dispatcher.share() == share
    if busy_accounts < IN_FLIGHT // MIN_ACCOUNT_IN_FLIGHT:
        assert busy_accounts * dispatcher.share() < IN_FLIGHT
