from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any

from parceltrace.clock import FixedClock
from parceltrace.protocol.structs import Address, Event, ProviderInfo, ProviderTrack, RegisterItem, TimeRaw
from parceltrace.service.accounts import AccountSettings, create_account
from parceltrace.service.context import Services
from parceltrace.service.polling import TURN_ROWS
from parceltrace.service.register import register
from parceltrace.sources.base import SourceError, TrackingRef
from parceltrace.sources.simulator import Simulator
from parceltrace.store.engine import Store
from parceltrace.tracking.model import SourceResult
from parceltrace.worker.poller import Poller
from tests import stored
from tests.conftest import WriteCount


async def register_many(services: Services, count: int) -> None:
    account, _ = await create_account(services, "a", AccountSettings(quota_total=10_000))
    for start in range(0, count, 40):
        numbers = [f"SANDBOX-InTransit-Other-{i}" for i in range(start, min(start + 40, count))]
        await register(services, account.id, [RegisterItem(number=n) for n in numbers])


async def column(services: Services, name: str) -> list[Any]:
    """One field of every tracking, oldest first."""
    return [getattr(t, name) for t in await stored.trackings(services.store)]


async def test_claims_are_disjoint(services: Services, clock: FixedClock) -> None:
    await register_many(services, 50)
    first, second = Poller(services, "a", batch_size=30), Poller(services, "b", batch_size=30)
    claimed_a = await first.claim(clock.now())
    claimed_b = await second.claim(clock.now())
    assert len(claimed_a) == 30 and len(claimed_b) == 20
    assert not {r.id for r in claimed_a} & {r.id for r in claimed_b}
    assert await first.claim(clock.now()) == []


async def test_an_expired_lease_is_taken_over_and_the_old_owner_cannot_write(
    services: Services, clock: FixedClock
) -> None:
    await register_many(services, 5)
    crashed, survivor = Poller(services, "crashed"), Poller(services, "survivor")
    now = clock.now()
    rows = await crashed.claim(now)
    assert len(rows) == 5
    clock.advance_to(now + timedelta(seconds=60))
    assert await survivor.claim(clock.now()) == []  # still leased
    later = now + crashed.lease + timedelta(seconds=1)
    clock.advance_to(later)
    taken = await survivor.claim(later)
    assert len(taken) == 5
    await crashed.process(rows, now)  # the crashed poller wakes up late: its write must not apply
    assert await column(services, "poll_count") == [0] * 5
    await survivor.process(taken, later)
    assert await column(services, "poll_count") == [1] * 5
    assert await column(services, "lease_owner") == [None] * 5


class FailingSource:
    name = "failing"

    async def fetch(self, ref: TrackingRef, now: datetime) -> SourceResult:
        raise SourceError("carrier down")


async def test_a_failing_source_is_retried_and_shown(services: Services, clock: FixedClock) -> None:
    await register_many(services, 1)
    services.sources.default = FailingSource()
    poller = Poller(services, "p")
    [result] = await poller.poll_batch(clock.now())
    assert not result.changed and not result.stopped
    assert await column(services, "latest_sync_status") == ["Failure"]
    assert await column(services, "awaiting_result") == [True]
    [next_poll] = await column(services, "next_poll_at")
    assert next_poll == clock.now() + timedelta(minutes=30)


class OddSource:
    name = "odd"

    async def fetch(self, ref: TrackingRef, now: datetime) -> SourceResult:
        moment = now - timedelta(hours=1)
        odd = Event(
            time_iso=moment.isoformat(),
            time_utc=moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
            time_raw=TimeRaw(),
            description="Parcel fell into a wormhole",
            location=None,
            stage="Somewhere",
            sub_status="Exception_Wormhole",
            address=Address(),
        )
        provider = ProviderTrack(
            ProviderInfo(ref.carrier, "X", "X", None, None, None), None, "Success", None, 0, [odd]
        )
        return SourceResult(providers=[provider])


async def test_unknown_statuses_land_on_other(services: Services, clock: FixedClock) -> None:
    await register_many(services, 1)
    services.sources.default = OddSource()
    [result] = await Poller(services, "p").poll_batch(clock.now())
    assert result.changed
    assert await column(services, "package_status") == ["Exception"]
    [data] = await column(services, "source_data")
    assert '"sub_status":"Exception_Other"' in data and '"stage":null' in data


class SlowSource:
    name = "slow"

    async def fetch(self, ref: TrackingRef, now: datetime) -> SourceResult:
        import asyncio

        await asyncio.sleep(5)
        return SourceResult()


async def test_a_source_slower_than_the_timeout_is_a_failure(
    services: Services, clock: FixedClock, monkeypatch: Any
) -> None:
    from parceltrace.service import polling

    monkeypatch.setattr(polling, "FETCH_TIMEOUT", 0.05)
    await register_many(services, 1)
    services.sources.default = SlowSource()
    [result] = await Poller(services, "p").poll_batch(clock.now())
    assert not result.changed
    assert await column(services, "latest_sync_status") == ["Failure"]


async def test_concurrent_claims_from_separate_connections_never_overlap(
    services: Services, clock: FixedClock, db_url: str
) -> None:
    """Several workers with connections of their own claim at the same moment (on PostgreSQL
    `FOR UPDATE SKIP LOCKED`, on SQLite the single writer): every row goes to exactly one."""
    await register_many(services, 300)
    stores = [Store(db_url) for _ in range(4)]
    pollers = [Poller(Services(store, clock), f"w{i}", batch_size=50) for i, store in enumerate(stores)]
    try:
        rounds = await asyncio.gather(*(p.claim(clock.now()) for p in pollers for _ in range(2)))
    finally:
        for store in stores:
            await store.close()
    claimed = [row.id for batch in rounds for row in batch]
    assert len(claimed) == len(set(claimed)) == 300


async def test_in_the_sandbox_leases_run_on_real_time_not_on_the_jumping_clock(
    services: Services, clock: FixedClock
) -> None:
    """A worker in another process holds a lease; the sandbox clock jumps a day: the lease
    still holds, so no second worker polls (or pushes) the same thing at the same time."""
    wall = FixedClock(datetime(2026, 11, 1, 12, 0, tzinfo=clock.now().tzinfo))
    services.lease_clock = wall
    await register_many(services, 5)
    first, second = Poller(services, "a", batch_size=10), Poller(services, "b", batch_size=10)
    assert len(await first.claim(clock.now())) == 5
    clock.advance_to(clock.now() + timedelta(days=1))
    assert await second.claim(clock.now()) == [], "the leases are 2 real minutes, whatever sandbox time does"
    wall.advance_to(wall.now() + first.lease + timedelta(seconds=1))
    assert len(await second.claim(clock.now())) == 5, "a crashed worker's lease lapses in real time"


async def test_a_claim_with_nothing_due_does_not_take_the_writer(
    services: Services, clock: FixedClock, write_transactions: WriteCount
) -> None:
    """Most claims find nothing (the dispatcher and mailer ask after every batch); on SQLite
    an empty write transaction still holds the single writer the API's writes queue for."""
    await register_many(services, 3)
    write_transactions.opened = 0  # what setting up the rows took
    poller = Poller(services, "p")
    assert await poller.claim(clock.now() - timedelta(days=1)) == []
    assert write_transactions.opened == 0
    assert len(await poller.claim(clock.now())) == 3
    assert write_transactions.opened == 1
    assert await poller.claim(clock.now()) == [], "all three are leased now"
    assert write_transactions.opened == 1


class TickRecordingSimulator:
    """The simulator, noting how many turns of the event loop had passed at each fetch."""

    name = "sandbox"

    def __init__(self) -> None:
        self.ticks = 0
        self.seen: list[int] = []

    async def fetch(self, ref: TrackingRef, now: datetime) -> SourceResult:
        self.seen.append(self.ticks)
        return await Simulator().fetch(ref, now)


async def test_a_batch_of_simulated_polls_gives_the_event_loop_turns(
    services: Services, clock: FixedClock
) -> None:
    """The simulator never awaits: a batch fetched in one turn held every request waiting."""
    await register_many(services, 200)
    source = TickRecordingSimulator()
    services.sources.default = source

    async def tick() -> None:
        while True:
            await asyncio.sleep(0)
            source.ticks += 1

    ticker = asyncio.create_task(tick())
    try:
        polled = await Poller(services, "p", batch_size=200).poll_batch(clock.now())
    finally:
        ticker.cancel()
    assert len(polled) == 200
    per_turn = max(source.seen.count(t) for t in set(source.seen))
    assert per_turn <= TURN_ROWS, f"{per_turn} fetches ran in one turn of the loop"
