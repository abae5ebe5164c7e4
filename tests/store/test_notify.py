"""Waking workers across processes: NOTIFY from one store, LISTEN on another (PostgreSQL);
on SQLite both do nothing and the in-memory wake is all there is."""

from __future__ import annotations

import asyncio

from parceltrace.protocol.structs import RegisterItem
from parceltrace.service.accounts import AccountSettings, create_account
from parceltrace.service.context import Services
from parceltrace.service.register import register
from parceltrace.store.engine import Store
from parceltrace.store.notify import listen, notify_in


async def send_notify(store: Store) -> None:
    async with store.write() as conn:
        await notify_in(conn)


async def test_a_listener_is_woken_by_a_notify_from_another_connection(db_url: str) -> None:
    sender, receiver = Store(db_url), Store(db_url)
    woken = asyncio.Event()
    calls = 0

    def on_notify() -> None:
        nonlocal calls
        calls += 1
        woken.set()

    stop = asyncio.Event()
    listening = asyncio.create_task(listen(receiver, on_notify, stop))
    try:
        if sender.is_sqlite:
            await send_notify(sender)
            await asyncio.wait_for(listening, 1)
            assert calls == 0, "SQLite has no LISTEN: nothing to wake across processes"
            return
        await asyncio.wait_for(woken.wait(), 5)
        woken.clear()
        first = calls  # one wake on connecting, in case a NOTIFY was missed while away
        await send_notify(sender)
        await asyncio.wait_for(woken.wait(), 5)
        assert calls == first + 1
    finally:
        stop.set()
        await asyncio.wait_for(listening, 10)
        await sender.close()
        await receiver.close()


async def test_a_registration_wakes_listeners_in_other_processes(services: Services, db_url: str) -> None:
    """The NOTIFY rides in the registration's own transaction (no extra round trip)."""
    listener_store = Store(db_url)
    woken = asyncio.Queue[int]()
    stop = asyncio.Event()
    listening = asyncio.create_task(listen(listener_store, lambda: woken.put_nowait(1), stop))
    try:
        account, _ = await create_account(services, "n", AccountSettings())
        if services.store.is_sqlite:
            await register(services, account.id, [RegisterItem(number="RR123456789CN")])
            assert woken.empty()
            return
        await asyncio.wait_for(woken.get(), 5)  # the listener's own wake on connecting
        await register(services, account.id, [RegisterItem(number="RR123456789CN")])
        await asyncio.wait_for(woken.get(), 5)
        await register(services, account.id, [RegisterItem(number="RR123456789CN")])  # nothing new
        await asyncio.sleep(0.3)
        assert woken.empty(), "a request that registered nothing notifies nobody"
    finally:
        stop.set()
        await asyncio.wait_for(listening, 10)
        await listener_store.close()


async def test_a_lost_listen_connection_is_reopened(db_url: str) -> None:
    store = Store(db_url)
    if store.is_sqlite:
        await store.close()
        return
    wakes = asyncio.Queue[int]()
    stop = asyncio.Event()
    listening = asyncio.create_task(listen(store, lambda: wakes.put_nowait(1), stop))
    try:
        await asyncio.wait_for(wakes.get(), 5)
        async with store.write() as conn:
            await conn.exec_driver_sql(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE query LIKE 'LISTEN%' AND pid <> pg_backend_pid()"
            )
        await asyncio.wait_for(wakes.get(), 10)  # the reconnect's own wake
        await send_notify(store)
        await asyncio.wait_for(wakes.get(), 5)
    finally:
        stop.set()
        await asyncio.wait_for(listening, 10)
        await store.close()
