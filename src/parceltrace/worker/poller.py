"""The poller: claims due trackings in batches with a lease, fetches, derives, writes back.

A claim sets `lease_owner`/`lease_until`; the write-back only applies while the lease is still
ours, so a row is never processed by two pollers at once, and a crashed poller's rows become
claimable again when its lease runs out.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from datetime import datetime, timedelta
from typing import Any, TypeVar

from parceltrace.delivery.outbox import enqueue
from parceltrace.service.context import Services
from parceltrace.service.polling import PollResult, outcome, push_request
from parceltrace.service.quota import charge_translations
from parceltrace.sources.base import SourceError, TrackingRef
from parceltrace.store.engine import Record
from parceltrace.store.trackings import claim_polls, still_leased, write_outcomes
from parceltrace.tracking.model import SourceResult, encode_result
from parceltrace.tracking.normalize import normalized
from parceltrace.worker.translating import translate_results

FETCH_TIMEOUT = 30.0
T = TypeVar("T")
TURN_ROWS = 20
"""Rows fetched (or derived) per turn of the event loop. The simulator computes a journey
without awaiting anything (0.1-0.5 ms), so a batch of 200 fetched at once held the loop for up
to 100 ms, and with it every request and every write transaction waiting for its next step
(the soak: write p99 0.5-2 s). Fetches are still all in flight together, so the relay still
fills its 40-number calls."""
DEFAULT_LEASE = timedelta(seconds=120)


async def in_turns(items: Sequence[T]) -> AsyncIterator[Sequence[T]]:
    """`items` TURN_ROWS at a time, giving the event loop a turn between them."""
    for start in range(0, len(items), TURN_ROWS):
        if start:
            await asyncio.sleep(0)
        yield items[start : start + TURN_ROWS]


class Poller:
    def __init__(
        self,
        services: Services,
        owner: str,
        batch_size: int = 200,
        lease: timedelta = DEFAULT_LEASE,
    ) -> None:
        self.services = services
        self.owner = owner
        self.batch_size = batch_size
        self.lease = lease
        self.oldest_due: datetime | None = None
        """When the earliest row of the last claimed batch was due (None: nothing claimed)."""

    async def claim(
        self, now: datetime, account_id: int | None = None, limit: int | None = None
    ) -> list[Record]:
        """Lease up to one batch of due trackings, oldest due first: due by each account's own
        clock, `now` being real time; or, given `account_id`, that account's due by `now`
        (the sandbox clock advance of one account)."""
        claim = self.services.claim(self.owner, self.lease, now, account_id, limit or self.batch_size)
        return await claim_polls(self.services.store, claim)

    async def poll_batch(
        self,
        now: datetime,
        *,
        at_due_time: bool = False,
        account_id: int | None = None,
        limit: int | None = None,
    ) -> list[PollResult]:
        """Claim, fetch and write back one batch; `at_due_time` polls each row at its due time
        (the sandbox's clock advance, of `account_id`'s work), otherwise at its account's now."""
        rows = await self.claim(now, account_id, limit)
        clocks = self.services.clocks
        self.oldest_due = min(
            (row.next_poll_at - clocks.offset(row.account_id) for row in rows), default=None
        )
        results = await self.process(rows, now, at_due_time=at_due_time)
        failed = sum(1 for result in results if result.failed)
        self.services.metrics.polls.labels("failure").inc(failed)
        self.services.metrics.polls.labels("success").inc(len(results) - failed)
        return results

    async def process(
        self, rows: list[Record], now: datetime, *, at_due_time: bool = False
    ) -> list[PollResult]:
        """Fetch and write back claimed rows; rows whose lease another poller took are left alone."""
        if not rows:
            return []
        fetches: list[asyncio.Task[tuple[datetime, SourceResult | str]]] = []
        async for turn in in_turns(rows):
            fetches.extend(
                asyncio.create_task(
                    self._fetch(
                        row,
                        row.next_poll_at
                        if at_due_time
                        else now + self.services.clocks.offset(row.account_id),
                    )
                )
                for row in turn
            )
        fetched = await asyncio.gather(*fetches)
        pairs = list(zip(rows, fetched, strict=True))
        updates: list[tuple[dict[str, Any], PollResult]] = []
        async for fetched_turn in in_turns(pairs):
            updates.extend(outcome(row, when, result, self.owner) for row, (when, result) in fetched_turn)
        results = [(row, None if isinstance(result, str) else result) for row, (_when, result) in pairs]
        translations = await translate_results(self.services.sources.translator, results)
        by_id = {row.id: (row, result) for row, result in results}
        async with self.services.store.write() as conn:
            still_ours = await still_leased(
                conn, [row.id for row in rows], self.owner, lock=not self.services.store.is_sqlite
            )
            kept = [(values, summary) for values, summary in updates if summary.tracking_id in still_ours]
            if kept:
                charged = await charge_translations(
                    conn, [by_id[s.tracking_id][0] for _, s in kept if s.tracking_id in translations], now
                )
                pushes = []
                for values, summary in kept:
                    row, result = by_id[summary.tracking_id]
                    final = translations.get(row.id) if row.translation_charged or row.id in charged else None
                    if final is not None:
                        values["source_data"] = encode_result(final)
                    values["translation_charged"] = row.translation_charged or row.id in charged
                    pushes.append(push_request(row, final or result, summary))
                await write_outcomes(conn, [values for values, _ in kept])
                await enqueue(conn, pushes, mail=self.services.mail is not None)
        return [summary for _, summary in kept]

    async def _fetch(self, row: Record, when: datetime) -> tuple[datetime, SourceResult | str]:
        """What the source reported, or why it could not (kept as the tracking's sync error)."""
        ref = TrackingRef(row.number, row.carrier, row.final_carrier, row.param, row.register_time)
        source = self.services.sources.for_carrier(row.carrier)
        try:
            async with asyncio.timeout(FETCH_TIMEOUT):
                result = await source.fetch(ref, when)
        except SourceError as exc:
            return when, str(exc)[:300] or "the source could not answer"
        except TimeoutError:
            return when, f"the source did not answer within {FETCH_TIMEOUT:.0f} s"
        return when, normalized(result)
