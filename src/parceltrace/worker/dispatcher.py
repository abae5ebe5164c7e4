"""The dispatcher loop: claims due webhook messages, sends each (`outbox.sending`) and records
it (`service.deliveries`, which holds the retry policy and the transactions).

One account's slow or dead receiver costs that account alone (`run`): each attempt is a task of
its own, recorded when it ends (not when a batch's slowest ends); an account has at most
its share of attempts under way (`share`: ACCOUNT_IN_FLIGHT, less when many accounts are busy),
and so has a receiver (host and port; at most RECEIVER_CONNECTIONS of them connected at once,
the others queue in the HTTP client), and
a claim skips the accounts at either cap, so nothing claimed waits behind another tenant."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

import aiohttp
import structlog
from yarl import URL

from parceltrace.clock import first_of
from parceltrace.outbox import sending
from parceltrace.outbox.sending import SigningKeys, send_webhook
from parceltrace.outbox.transport import RECEIVER_CONNECTIONS, TIMEOUT, new_session
from parceltrace.protocol.webhook_url import connected_host
from parceltrace.service import deliveries
from parceltrace.service.context import Services
from parceltrace.store.records import Delivery, DeliveryAttempt

DELIVERY_LEASE = timedelta(seconds=60)
MIN_DELIVERY_LEASE = timedelta(seconds=TIMEOUT + 5)
"""A delivery lease outlasts the HTTP timeout, so no message is taken over while in flight."""
IN_FLIGHT = 512
"""Attempts under way at once in one dispatcher, all accounts together (and its connections)."""
ACCOUNT_IN_FLIGHT = 8 * RECEIVER_CONNECTIONS
"""Attempts under way at once for one account (and for one receiver) while few accounts are
busy. More than the receiver's connections, so that a healthy receiver's next requests are
queued when one ends (a local receiver took 950 deliveries/s through the loop with 16 in
flight, 2,400 with 64, 3,400 with 128); a dead receiver's all wait out the same 15 s timeout,
queue included."""
MIN_ACCOUNT_IN_FLIGHT = RECEIVER_CONNECTIONS
"""An account's share never goes below this, however many accounts are busy."""
Receiver = tuple[str, int | None]
"""Where a webhook goes: the host connected to and the port."""
RECORD_EVERY = 0.02
"""Seconds an ended attempt waits to be written with the others that end meanwhile."""
RECORD_AT_ONCE = 200
DESTINATION_TTL = 5.0
"""Seconds an account's webhook URL and signing keys are kept between claims."""


@dataclass(frozen=True, slots=True)
class Destination:
    """An account's webhook URL, its receiver and its signing keys, as read at `read_at`."""

    url: str | None
    receiver: Receiver | None
    keys: SigningKeys | None
    read_at: float


log = structlog.get_logger("parceltrace.dispatcher")


class Dispatcher:
    def __init__(
        self,
        services: Services,
        owner: str,
        batch_size: int = 250,
        lease: timedelta = DELIVERY_LEASE,
    ) -> None:
        self.services = services
        self.owner = owner
        self.batch_size = batch_size
        self.in_flight = IN_FLIGHT
        self.lease = lease
        self._session: aiohttp.ClientSession | None = None
        self.wakeup = services.wakeups.deliveries
        """Set when a message may be due (a poll queued pushes, `push` was called)."""
        self.skip: set[int] = set()
        """Accounts whose messages the background loop leaves alone (a clock advance owns them)."""
        self.paused = 0
        """While above 0 (a whole-clock advance), the background loop claims nothing."""
        self._by_account: Counter[int] = Counter()
        self._by_receiver: Counter[Receiver] = Counter()
        self._destinations: dict[int, Destination] = {}
        self._running: set[asyncio.Task[None]] = set()
        self._finished = asyncio.Event()
        self._ended: list[tuple[Delivery, DeliveryAttempt]] = []
        self._recorder: asyncio.Task[None] | None = None
        self._record_now = asyncio.Event()

    def wake(self) -> None:
        self.wakeup.set()

    @property
    def session(self) -> aiohttp.ClientSession:
        """Created on first use, inside the running event loop."""
        if self._session is None:
            self._session = new_session(self.services.webhook_policy, connections=self.in_flight)
        return self._session

    async def close(self) -> None:
        """Attempts still under way are cancelled unrecorded: their leases lapse and another
        worker (or this one, restarted) tries them again; those that ended are written."""
        for task in list(self._running):
            task.cancel()
        if self._running:
            await asyncio.gather(*self._running, return_exceptions=True)
        if self._recorder is not None:
            self._recorder.cancel()
            await asyncio.gather(self._recorder, return_exceptions=True)
        await self.record_ended()
        if self._session is not None:
            await self._session.close()

    async def claim(
        self,
        now: datetime,
        account_id: int | None = None,
        limit: int | None = None,
        skip: frozenset[int] = frozenset(),
    ) -> list[Delivery]:
        """Due messages (by each account's clock, or `account_id`'s by `now`), each only when no
        older message of its tracking is still pending; none of `skip`'s accounts."""
        return await deliveries.claim(
            self.services, self.owner, self.lease, now, account_id, limit or self.batch_size, skip
        )

    def share(self) -> int:
        """How many attempts one account may have under way now: ACCOUNT_IN_FLIGHT while few
        accounts are busy, less as more are (each busy account and one newcomer get an equal
        part of IN_FLIGHT), never below MIN_ACCOUNT_IN_FLIGHT: however many tenants' receivers
        hang, a healthy one still finds room."""
        part = self.in_flight // (len(self._by_account) + 1)
        return max(MIN_ACCOUNT_IN_FLIGHT, min(ACCOUNT_IN_FLIGHT, part))

    def _busy_accounts(self) -> set[int]:
        """Accounts not to claim for now: over three quarters of their share under way (or whose
        receiver is), and those a clock advance owns. Refilling once a quarter of the places are
        free claims several messages at a time instead of one per finished attempt (each claim
        is a write), early enough that the rest keep the receiver busy meanwhile."""
        refill_at = self.share() * 3 // 4
        busy = {account for account, n in self._by_account.items() if n > refill_at}
        full = {receiver for receiver, n in self._by_receiver.items() if n > refill_at}
        busy.update(account for account, d in self._destinations.items() if d.receiver in full)
        return busy | self.skip

    async def run(self, stop: asyncio.Event, idle_seconds: float = 1.0) -> None:
        """Until `stop`: claim what is due whenever attempts may start, each attempt a task of
        its own, recorded as it ends."""
        while not stop.is_set():
            started = 0
            try:
                started = await self.start_due(self.services.clock.now())
            except Exception as exc:
                if not self.services.store.reported_outage(exc):
                    log.exception("claiming webhook messages failed; retrying")
            if stop.is_set():
                break
            if not started:
                self.wakeup.clear()
                self._finished.clear()
                await first_of(stop, self.wakeup, self._finished, at_most=idle_seconds)

    async def start_due(self, now: datetime) -> int:
        """Claim due messages for the free places and start an attempt for each; how many started."""
        free = self.in_flight - len(self._running)
        if free <= 0 or self.paused:
            return 0
        limit = min(free, self.share())
        rows = await self.claim(now, limit=limit, skip=frozenset(self._busy_accounts()))
        if not rows:
            return 0
        await self._learn_destinations({row.account_id for row in rows})
        keep, give_back = self._within_caps(rows)
        await deliveries.give_back(self.services, self.owner, [row.id for row in give_back])
        for row in keep:
            at = now + self.services.clocks.offset(row.account_id)
            destination = self._destinations.get(row.account_id)
            url, keys = (destination.url, destination.keys) if destination else (None, None)
            task = asyncio.create_task(self._one(row, url, keys, at))
            self._running.add(task)
            task.add_done_callback(self._running.discard)
        return len(keep)

    async def _learn_destinations(self, account_ids: set[int]) -> None:
        """Each account's webhook URL, receiver and signing keys, read again after
        DESTINATION_TTL seconds (a changed URL or a rotated key is used from then on)."""
        now = time.monotonic()
        stale = {
            a
            for a in account_ids
            if a not in self._destinations or self._destinations[a].read_at < now - DESTINATION_TTL
        }
        if not stale:
            return
        for account_id, (url, keys) in (await deliveries.destinations(self.services, stale)).items():
            self._destinations[account_id] = Destination(url, _receiver(url), keys, now)

    def _within_caps(self, rows: list[Delivery]) -> tuple[list[Delivery], list[Delivery]]:
        """The claimed messages that fit under their account's and receiver's caps (counted as
        under way from here), and those to give back."""
        keep: list[Delivery] = []
        give_back: list[Delivery] = []
        share = self.share()
        for row in rows:
            destination = self._destinations.get(row.account_id)
            receiver = destination.receiver if destination else None
            if self._by_account[row.account_id] >= share or (
                receiver is not None and self._by_receiver[receiver] >= share
            ):
                give_back.append(row)
                continue
            self._by_account[row.account_id] += 1
            if receiver is not None:
                self._by_receiver[receiver] += 1
            keep.append(row)
        return keep, give_back

    async def _one(self, row: Delivery, url: str | None, keys: SigningKeys | None, at: datetime) -> None:
        destination = self._destinations.get(row.account_id)
        receiver = destination.receiver if destination else None
        try:
            attempt = await self._attempt(row, url, keys, at)
            self._ended.append((row, attempt))  # after the await: the list may have been replaced
            self._record_soon()
        finally:
            left = self._by_account[row.account_id] = self._by_account[row.account_id] - 1
            if left <= 0:
                del self._by_account[row.account_id]
            refill_at = self.share() * 3 // 4
            refill = left <= refill_at or len(self._running) >= self.in_flight
            if receiver is not None:
                self._by_receiver[receiver] -= 1
                refill = refill or self._by_receiver[receiver] <= refill_at
                if self._by_receiver[receiver] <= 0:
                    del self._by_receiver[receiver]
            if refill:  # a claim can place messages again; any other end changes nothing for it
                self._finished.set()

    def _record_soon(self) -> None:
        """Ended attempts are written together, RECORD_EVERY seconds after the first of them
        (at once when RECORD_AT_ONCE wait): one write per attempt held SQLite's single writer
        for each and capped the loop near 1,500 deliveries/s."""
        if self._recorder is None or self._recorder.done():
            self._recorder = asyncio.create_task(self._record_ended())
        elif len(self._ended) >= RECORD_AT_ONCE:
            self._record_now.set()

    async def _record_ended(self) -> None:
        self._record_now.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._record_now.wait(), RECORD_EVERY)
        await self.record_ended()

    async def record_ended(self) -> None:
        """Write every ended attempt not written yet (a failure is logged; the messages' leases
        lapse and they are tried again)."""
        while self._ended:
            batch, self._ended = self._ended[:RECORD_AT_ONCE], self._ended[RECORD_AT_ONCE:]
            rows, attempts = [row for row, _ in batch], [attempt for _, attempt in batch]
            try:
                await deliveries.record(self.services, self.owner, rows, attempts)
            except Exception as exc:
                if not self.services.store.reported_outage(exc):
                    log.exception(
                        "recording webhook attempts failed; their leases lapse", attempts=len(batch)
                    )

    async def deliver_batch(
        self, now: datetime, *, at_due_time: bool = False, account_id: int | None = None
    ) -> list[DeliveryAttempt]:
        """Claim due deliveries and attempt each; `at_due_time` records each attempt at the
        moment it was due (the sandbox's clock advance of `account_id`)."""
        rows = await self.claim(now, account_id)
        if not rows:
            return []
        found = await deliveries.destinations(self.services, {row.account_id for row in rows})
        attempts = await asyncio.gather(
            *(
                self._attempt(
                    row,
                    *found[row.account_id],
                    row.due_at if at_due_time else now + self.services.clocks.offset(row.account_id),
                )
                for row in rows
            )
        )
        await deliveries.record(self.services, self.owner, rows, attempts)
        return attempts

    async def _attempt(
        self, row: Delivery, url: str | None, keys: SigningKeys | None, at: datetime
    ) -> DeliveryAttempt:
        """One delivery's attempt; whatever goes wrong inside it is that attempt's recorded
        failure, never the batch's (the other accounts' messages are recorded as usual)."""
        try:
            return await send_webhook(self.session, self.services.webhook_policy, row, url, keys, at)
        except Exception as exc:
            log.exception("webhook attempt failed inside", delivery_id=row.id, account_id=row.account_id)
            return sending.attempt(row, at, None, 0, f"internal error: {exc}"[:500])

    async def prune_log(self) -> None:
        await deliveries.prune_log(self.services)


def _receiver(url: str | None) -> Receiver | None:
    """The host and port a URL connects to; None when it has none (its attempt fails at once)."""
    if not url:
        return None
    try:
        return connected_host(url), URL(url).port
    except (ValueError, UnicodeError):
        return None
