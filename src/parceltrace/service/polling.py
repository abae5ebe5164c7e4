"""Polling: claim due trackings, fetch, derive the outcome, write it back, queue the pushes and
charge the translations, in one use case.

The poller (due polls, by lease) and getRealTimeTrackInfo (a fetch on request of a registered
number) both write through `write_back`; the rules themselves are tracking/'s, the queries
store/'s. A claim sets a lease; the write-back applies only while the lease is still its
poller's, so no tracking is written by two pollers, and a crashed poller's leases just lapse.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TypeVar

import msgspec

from parceltrace.protocol.status import StopReason, TrackingStatus
from parceltrace.service.context import Services
from parceltrace.service.pushes import PushRequest, enqueue
from parceltrace.service.quota import charge_translations
from parceltrace.service.translating import translate_results
from parceltrace.sources.base import SourceError, TrackingRef
from parceltrace.store.engine import Transaction
from parceltrace.store.records import PollOutcome, Tracking
from parceltrace.store.trackings import claim_polls, still_leased, write_outcomes
from parceltrace.tracking import lifecycle
from parceltrace.tracking.bounds import bounded
from parceltrace.tracking.derive import Timeline, latest_status, providers_hash
from parceltrace.tracking.model import SourceResult, decode_result, encode_result
from parceltrace.tracking.normalize import normalized

FETCH_TIMEOUT = 30.0
DEFAULT_LEASE = timedelta(seconds=120)
TURN_ROWS = 20
"""Trackings fetched (or derived) per turn of the event loop. The simulator computes a journey
without awaiting anything (0.1-0.5 ms), so a batch of 200 fetched at once held the loop for up
to 100 ms, and with it every request and every write transaction waiting for its next step
(the soak: write p99 0.5-2 s). Fetches are still all in flight together, so the relay still
fills its 40-number calls."""
T = TypeVar("T")
NO_ANSWER = "the source could not answer"


@dataclass(frozen=True, slots=True)
class PollResult:
    tracking_id: int
    polled_at: datetime
    stopped: bool
    changed: bool
    failed: bool = False
    """The source could not answer (the tracking shows `latest_sync_status: Failure`)."""


@dataclass(frozen=True, slots=True)
class Fetched:
    """One tracking after its fetch: what it became, and what it has to announce."""

    tracking: Tracking
    result: SourceResult | None
    """The new result (None: the fetch failed; the stored one stands)."""
    outcome: PollOutcome
    summary: PollResult


def outcome(
    tracking: Tracking, when: datetime, fetched: SourceResult | str | None, owner: str | None
) -> tuple[PollOutcome, PollResult]:
    """A tracking's new values after a fetch at `when` (a text or None: the fetch failed, and
    why); `owner`: the poller whose lease the write needs (None: unleased)."""
    result = bounded(fetched) if isinstance(fetched, SourceResult) else None
    failed = result is None
    current = decode_result(tracking.source_data) if result is None else result
    timeline = Timeline.of(current)
    status = latest_status(current, timeline).status
    latest = timeline.latest
    delivered = timeline.delivery()
    since = tracking.tracking_since or tracking.register_time
    expiry = lifecycle.expires_at(
        status, latest[0] if latest else None, delivered[0] if delivered else None, since
    )
    schedule = lifecycle.after_poll(
        when,
        lifecycle.poll_interval(status, tracking.number),
        expiry,
        None if result is None else result.changes_at,
        result is not None and result.complete,
        failed=failed,
    )
    new_hash = tracking.content_hash if result is None else content_hash(result)
    written = PollOutcome(
        id=tracking.id,
        lease_owner=owner,
        track_time=when,
        latest_sync_status="Failure" if failed else "Success",
        sync_error=None if not failed else (fetched if isinstance(fetched, str) and fetched else NO_ANSWER),
        source_data=tracking.source_data if result is None else encode_result(result),
        content_hash=new_hash,
        package_status=status,
        latest_event_time=latest[0] if latest else None,
        recipient_country=current.shipping_info.recipient_address.country if current else None,
        awaiting_result=failed and tracking.source_data is None,
        next_poll_at=schedule.next_poll_at,
        tracking_status=(TrackingStatus.STOPPED if schedule.stop else TrackingStatus.TRACKING).value,
        stop_track_time=when if schedule.stop else None,
        stop_track_reason=StopReason.EXPIRED.value if schedule.stop else None,
    )
    changed = result is not None and (tracking.source_data is None or new_hash != tracking.content_hash)
    return written, PollResult(tracking.id, when, schedule.stop, changed, failed)


def after_fetch(
    tracking: Tracking, when: datetime, result: SourceResult | str | None, owner: str | None
) -> Fetched:
    written, summary = outcome(tracking, when, result, owner)
    return Fetched(tracking, result if isinstance(result, SourceResult) else None, written, summary)


def content_hash(result: SourceResult) -> int:
    """What a change is: different events (sync times and the like do not count)."""
    return providers_hash(result.providers)


def push_request(done: Fetched) -> PushRequest:
    """What a fetch has to announce: a changed result, a stop by the expiry rules, or both."""
    current = done.result if done.result is not None else decode_result(done.tracking.source_data)
    summary = done.summary
    return PushRequest.for_tracking(
        done.tracking, current, updated=summary.changed, stopped=summary.stopped, at=summary.polled_at
    )


async def write_back(conn: Transaction, services: Services, done: list[Fetched]) -> None:
    """Write fetch outcomes and queue what they announce, in the caller's transaction."""
    if done:
        await write_outcomes(conn, [d.outcome for d in done])
        await enqueue(conn, [push_request(d) for d in done], mail=services.mail is not None)


async def in_turns(items: Sequence[T]) -> AsyncIterator[Sequence[T]]:
    """`items` TURN_ROWS at a time, giving the event loop a turn between them."""
    for start in range(0, len(items), TURN_ROWS):
        if start:
            await asyncio.sleep(0)
        yield items[start : start + TURN_ROWS]


async def claim(
    services: Services, owner: str, lease: timedelta, now: datetime, account_id: int | None, limit: int
) -> list[Tracking]:
    """Lease up to `limit` due trackings, oldest due first: due by each account's own clock,
    `now` being real time; or, given `account_id`, that account's due by `now` (the sandbox
    clock advance of one account)."""
    return await claim_polls(services.store, services.claim(owner, lease, now, account_id, limit))


async def fetch(services: Services, tracking: Tracking, when: datetime) -> SourceResult | str:
    """What the tracking's source reported, or why it could not (kept as its sync error)."""
    ref = TrackingRef(
        tracking.number, tracking.carrier, tracking.final_carrier, tracking.param, tracking.register_time
    )
    source = services.sources.for_carrier(tracking.carrier)
    try:
        async with asyncio.timeout(FETCH_TIMEOUT):
            result = await source.fetch(ref, when)
    except SourceError as exc:
        return str(exc)[:300] or NO_ANSWER
    except TimeoutError:
        return f"the source did not answer within {FETCH_TIMEOUT:.0f} s"
    return normalized(result)


def poll_time(services: Services, tracking: Tracking, now: datetime, at_due_time: bool) -> datetime:
    """When a claimed tracking is polled: at its due time (the sandbox's clock advance), or at
    its account's now (`now` being real time)."""
    if at_due_time and tracking.next_poll_at is not None:
        return tracking.next_poll_at
    return now + services.clocks.offset(tracking.account_id)


async def poll(
    services: Services, trackings: list[Tracking], now: datetime, owner: str, *, at_due_time: bool = False
) -> list[PollResult]:
    """Fetch claimed trackings and write back those whose lease is still `owner`'s, with their
    pushes and the first translation's charge, in one transaction."""
    if not trackings:
        return []
    tasks: list[asyncio.Task[SourceResult | str]] = []
    times = [poll_time(services, tracking, now, at_due_time) for tracking in trackings]
    async for turn in in_turns(list(zip(trackings, times, strict=True))):
        tasks.extend(asyncio.create_task(fetch(services, tracking, when)) for tracking, when in turn)
    answers = await asyncio.gather(*tasks)
    done: list[Fetched] = []
    async for fetched_turn in in_turns(list(zip(trackings, times, answers, strict=True))):
        done.extend(after_fetch(tracking, when, answer, owner) for tracking, when, answer in fetched_turn)
    translations = await translate_results(
        services.sources.translator, [(d.tracking, d.result) for d in done]
    )
    async with services.store.write() as conn:
        still_ours = await still_leased(
            conn, [t.id for t in trackings], owner, lock=not services.store.is_sqlite
        )
        kept = [d for d in done if d.tracking.id in still_ours]
        if not kept:
            return []
        charged = await charge_translations(
            conn, [d.tracking for d in kept if d.tracking.id in translations], now
        )
        write = [_with_translation(d, translations, charged) for d in kept]
        await write_back(conn, services, write)
    return [d.summary for d in write]


def _with_translation(done: Fetched, translations: dict[int, SourceResult], charged: set[int]) -> Fetched:
    """`done` with its translated result, when its translation is paid for (now or before)."""
    tracking = done.tracking
    paid = tracking.translation_charged or tracking.id in charged
    translated = translations.get(tracking.id) if paid else None
    if translated is None:
        return replace(done, outcome=msgspec.structs.replace(done.outcome, translation_charged=paid))
    written = msgspec.structs.replace(
        done.outcome, translation_charged=paid, source_data=encode_result(translated)
    )
    return Fetched(tracking, translated, written, done.summary)
