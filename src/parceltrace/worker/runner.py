"""The worker: independent loops — polls, webhook deliveries, mails, housekeeping — so that no
loop waits on another (a tenant's dead webhook receiver never delays anyone's polls), woken at
once by a registration; and the sandbox's clock advance, which runs the same work in time order.

No lock is held across an HTTP call: in the sandbox the poll loop and a clock advance take turns
(`poll_turn`), and the sandbox computes its answers; live mode polls without it (no advance)."""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, nullcontext
from datetime import UTC, datetime, timedelta

import structlog

from parceltrace.clock import AccountClock, AdjustableClock, first_of
from parceltrace.service import deliveries, sandbox_clock, work
from parceltrace.service.context import Services
from parceltrace.service.janitor import purge_stopped
from parceltrace.service.polling import DEFAULT_LEASE, PollResult
from parceltrace.service.sandbox_clock import AdvanceReport
from parceltrace.service.upstream import release_unneeded
from parceltrace.tracking.lifecycle import PURGE_AFTER
from parceltrace.worker.dispatcher import DELIVERY_LEASE, MIN_DELIVERY_LEASE, Dispatcher
from parceltrace.worker.loops import guarded, repeat
from parceltrace.worker.mailer import Mailer
from parceltrace.worker.poller import Poller

ADVANCE_BATCH = 100
"""Polls per write transaction in a clock advance: each batch holds SQLite's single writer while
it is written back (200 held it up to 126 ms, measured by benchmarks/advance_bench.py), and
other accounts' writes wait their turn between batches."""
ADVANCE_WINDOW = timedelta(hours=72)
"""Due work is claimed three days at a time; each row is still polled at its own due time, in order."""
PURGE_EVERY = 60.0
YIELD_RATIO = 3.0
"""While the API is busy, the worker rests this many times as long as its last batch took:
it keeps at most a quarter of the process's time (its batches share the loop with requests
too) and the API the rest."""
MAX_YIELD = 1.0
MAX_POLL_LAG = timedelta(seconds=30)
"""The worker stops giving way once its polls run this late: the API comes first, but a steady
load must not defer first results (or leave them to a sandbox clock advance) without bound."""
LATEST_STOP = datetime.max.replace(tzinfo=UTC) - PURGE_AFTER
"""A stop time past this (written by a clock walked to year 9999 before the horizon existed)
has no purge date the calendar can hold."""
LIVE_POLL_LANES = 2
"""Batches polled side by side in live mode. A live batch waits on carriers' answers, at most
a connector's thread count at a time: its last calls trickle in one by one and its write-back
waits for all of them, while the other lane's calls keep the connector busy. One lane: 430 DHL
polls/s against a stand-in answering in 50 ms; two: 480-520 (benchmarks/connector_bench.py).
The sandbox computes its answers and keeps one lane: its clock advance polls in time order."""
RELEASE_EVERY = 10.0
"""How often the relay looks for upstream registrations no local tracking needs any more."""
log = structlog.get_logger("parceltrace.worker")


def rest_after(batch_seconds: float) -> float:
    """How long the worker gives way after a batch that ran while the API was busy."""
    return min(MAX_YIELD, max(0.0, batch_seconds) * YIELD_RATIO)


def default_owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Worker:
    def __init__(
        self,
        services: Services,
        owner: str | None = None,
        batch_size: int = 200,
        poll_lanes: int | None = None,
        lease: timedelta | None = None,
    ) -> None:
        """`lease`: how long a claimed poll (and, at least MIN_DELIVERY_LEASE, a claimed webhook
        message) stays this worker's; None: DEFAULT_LEASE for polls, DELIVERY_LEASE for messages."""
        self.services = services
        lanes = poll_lanes or (1 if services.sandbox else LIVE_POLL_LANES)
        name = owner or default_owner()
        self.pollers = [Poller(services, name, batch_size, lease or DEFAULT_LEASE) for _ in range(lanes)]
        self.poller = self.pollers[0]
        """The lane the sandbox's clock advance polls with."""
        delivery_lease = DELIVERY_LEASE if lease is None else max(lease, MIN_DELIVERY_LEASE)
        self.dispatcher = Dispatcher(services, name, lease=delivery_lease)
        self.mailer = Mailer(services, name)
        self.poll_turn = asyncio.Lock()
        """Sandbox only: the poll loop's batch and a clock advance take turns (neither calls out)."""
        self.wakeup = services.wakeups.polls
        self._last_purge = 0.0
        self._last_release = 0.0

    def wake(self) -> None:
        """A poll may be due now (a registration, a retrack): the poll loop looks at once, and
        wakes the delivery loop when its polls queued pushes. Waking the delivery loop on every
        registration as well cost 8 % of register's throughput (a claim query per request)."""
        self.wakeup.set()

    def _polls_late(self) -> bool:
        now = self.services.clock.now()
        return any(p.oldest_due is not None and now - p.oldest_due > MAX_POLL_LAG for p in self.pollers)

    async def poll(self, now: datetime) -> list[PollResult]:
        """One batch per lane, side by side (each claims its own rows)."""
        if len(self.pollers) == 1:
            return await self.poller.poll_batch(now)
        batches = await asyncio.gather(*(poller.poll_batch(now) for poller in self.pollers))
        return [result for batch in batches for result in batch]

    async def take_over_crashed(self) -> int:
        """At start: the leases of this host's dead processes (a crash, a SIGKILL) are freed."""
        released = await work.take_over(self.services, socket.gethostname(), pid_alive)
        if released:
            log.info("took over the work of crashed processes", leases=released)
        return released

    async def close(self) -> None:
        await self.dispatcher.close()

    @asynccontextmanager
    async def _poll_turn(self) -> AsyncIterator[None]:
        async with self.poll_turn if self.services.sandbox else nullcontext():
            yield

    async def run_once(self) -> int:
        """One batch of due polls, then the pushes and mails due (and a purge when one is due),
        each step awaited in turn; how many were done. For tests and tools that drive the worker
        step by step; `run` runs the same steps as independent loops. Each step runs even when
        another failed: a broken push must not stop mails or purges, nor a broken mail the polls."""
        now = self.services.clock.now()
        async with self._poll_turn():
            polled = await guarded(self.services.store, "poll", self.poll(now), [])
        sent = await guarded(self.services.store, "deliver", self.dispatcher.deliver_batch(now), [])
        mailed = await guarded(self.services.store, "mail", self.mailer.send_batch(now), 0)
        await self.housekeeping(now)
        return len(polled) + len(sent) + mailed

    async def housekeeping(self, now: datetime) -> None:
        """The purge and the delivery log's pruning (every PURGE_EVERY seconds), the relay's
        releases (every RELEASE_EVERY)."""
        loop_time = asyncio.get_running_loop().time()
        if loop_time - self._last_purge >= PURGE_EVERY:
            self._last_purge = loop_time
            await guarded(self.services.store, "purge", purge_stopped(self.services, now), 0)
            await guarded(self.services.store, "prune delivery log", self.dispatcher.prune_log(), None)
            await guarded(self.services.store, "prune outbox", self.prune_outbox(now), 0)
        relay = self.services.sources.relay
        if relay is not None and loop_time - self._last_release >= RELEASE_EVERY:
            self._last_release = loop_time
            await guarded(
                self.services.store,
                "release upstream",
                release_unneeded(self.services, relay, now),
                None,
            )

    async def prune_outbox(self, now: datetime) -> int:
        return await deliveries.prune_outbox(self.services, now)

    async def poll_step(self) -> int:
        """One poll batch per lane; a poll that queued pushes wakes the dispatcher."""
        async with self._poll_turn():
            polled = await guarded(self.services.store, "poll", self.poll(self.services.clock.now()), [])
        if polled:
            self.dispatcher.wake()
        return len(polled)

    async def run(self, stop: asyncio.Event, idle_seconds: float = 1.0) -> None:
        """Until `stop` is set: the poll loop, the delivery loop, the mail loop and housekeeping,
        side by side; each goes on when another fails or waits."""
        try:
            await self.take_over_crashed()
        except Exception as exc:
            if not self.services.store.reported_outage(exc):
                log.exception("could not free crashed processes' leases; they lapse on their own")
        loops = [
            self._poll_loop(stop, idle_seconds),
            self.dispatcher.run(stop, idle_seconds),
            repeat(
                self.services.store,
                stop,
                idle_seconds,
                "mail",
                lambda: self.mailer.send_batch(self.services.clock.now()),
            ),
            repeat(self.services.store, stop, idle_seconds, "housekeeping", self._housekeeping_now),
        ]
        tasks = [asyncio.create_task(loop) for loop in loops]
        try:
            await asyncio.gather(*tasks)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    async def _housekeeping_now(self) -> int:
        await self.housekeeping(self.services.clock.now())
        return 0

    async def _poll_loop(self, stop: asyncio.Event, idle_seconds: float) -> None:
        """Poll while there is work, otherwise sleep until woken; give way to a busy API."""
        loop = asyncio.get_running_loop()
        activity = self.services.activity
        while not stop.is_set():
            mark, started = activity.started, loop.time()
            try:
                done = await self.poll_step()
            except Exception as exc:
                if not self.services.store.reported_outage(exc):
                    log.exception("poll iteration failed; retrying")
                done = 0
                await asyncio.sleep(idle_seconds)
            if stop.is_set():
                break
            if done == 0:
                self.wakeup.clear()
                await first_of(stop, self.wakeup, at_most=idle_seconds)
            elif activity.busy_since(mark) and not self._polls_late():
                await first_of(stop, at_most=rest_after(loop.time() - started))

    async def _next_due(self, account_id: int | None) -> datetime | None:
        """The earliest due poll, push attempt, e-mail or purge (of `account_id`, or of any
        account), in one round trip: an advance asks at least twice, and each await waits its
        turn on a busy event loop."""

        poll, stopped, push, mail = await work.next_due(self.services, account_id)
        purge = stopped + PURGE_AFTER if stopped and stopped < LATEST_STOP else None
        candidates = [m for m in (poll, push, mail, purge) if m is not None]
        return min(candidates) if candidates else None

    @asynccontextmanager
    async def _owning(self, account_id: int | None) -> AsyncIterator[None]:
        """The background delivery loop leaves an advancing account's messages to the advance
        (each is attempted at the moment it was due, in order); a whole-clock advance (tests'
        base clock) owns every account's."""
        if account_id is None:
            async with self._all_deliveries_paused():
                yield
            return
        self.dispatcher.skip.add(account_id)
        try:
            yield
        finally:
            self.dispatcher.skip.discard(account_id)

    @asynccontextmanager
    async def _all_deliveries_paused(self) -> AsyncIterator[None]:
        self.dispatcher.paused += 1
        try:
            yield
        finally:
            self.dispatcher.paused -= 1

    async def advance(self, clock: AdjustableClock, target: datetime) -> AdvanceReport:
        """Move a sandbox clock to `target`, doing every due poll, push attempt and purge on
        the way, each at the moment it was due, window by window in time order. An account's
        clock (`AccountClock`) moves that account and does its work only; another clock (a
        test's base clock) does every account's."""
        account_id = clock.account_id if isinstance(clock, AccountClock) else None
        polls = stopped = purged = pushes = 0
        async with self.poll_turn, self._owning(account_id):
            while True:
                due = await self._next_due(account_id)
                if due is None or due > target:
                    break
                window_end = min(target, max(due, clock.now()) + ADVANCE_WINDOW)
                clock.advance_to(window_end)
                done_in_window = 0
                while True:
                    batch = await self.poller.poll_batch(
                        window_end, at_due_time=True, account_id=account_id, limit=ADVANCE_BATCH
                    )
                    sent = await self.dispatcher.deliver_batch(
                        window_end, at_due_time=True, account_id=account_id
                    )
                    mailed = await self.mailer.send_batch(window_end, at_due_time=True, account_id=account_id)
                    if not batch and not sent and not mailed:
                        break
                    polls, pushes = polls + len(batch), pushes + len(sent)
                    stopped += sum(1 for r in batch if r.stopped)
                    done_in_window += len(batch) + len(sent) + mailed
                removed = await purge_stopped(self.services, window_end, account_id)
                purged += removed
                if window_end == target and not done_in_window and not removed:
                    break  # what is still due is leased by another worker; its lease will lapse
            clock.advance_to(target)
            if account_id is not None:
                await sandbox_clock.moved(self.services, account_id)
        return AdvanceReport(clock.now(), polls, stopped, purged, pushes)
