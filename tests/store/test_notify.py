"""Waking workers across processes: NOTIFY from one store, LISTEN on another (PostgreSQL);
on SQLite both do nothing and the in-memory wake is all there is."""

from __future__ import annotations

import asyncio

from parceltrace.store.engine import Store
from parceltrace.store.notify import Notifier, listen, notify


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
            await notify(sender)
            await asyncio.wait_for(listening, 1)
            assert calls == 0, "SQLite has no LISTEN: nothing to wake across processes"
            return
        await asyncio.wait_for(woken.wait(), 5)
        woken.clear()
        first = calls  # one wake on connecting, in case a NOTIFY was missed while away
        await notify(sender)
        await asyncio.wait_for(woken.wait(), 5)
        assert calls == first + 1
    finally:
        stop.set()
        await asyncio.wait_for(listening, 10)
        await sender.close()
        await receiver.close()


async def test_the_notifier_wakes_the_local_worker_and_notifies_the_others(db_url: str) -> None:
    store = Store(db_url)
    local = asyncio.Event()
    notifier = Notifier(store, also=local.set)
    notifier()
    await notifier.drain()
    assert local.is_set()
    await store.close()


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
        await notify(store)
        await asyncio.wait_for(wakes.get(), 5)
    finally:
        stop.set()
        await asyncio.wait_for(listening, 10)
        await store.close()
