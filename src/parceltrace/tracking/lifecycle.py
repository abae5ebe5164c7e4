"""When to poll next and when to stop, by the rules of 003's "How Automatical tracking works".

- polls every 6-12 h by status; 24 h for Delivered and Exception;
- stop when nothing new came for 30 days since the tracking time (registration or retrack);
- stop 15 days after delivery; purge 90 days after a stop.
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from parceltrace.protocol.status import MainStatus

HOUR = timedelta(hours=1)
BASE_INTERVAL: dict[str, timedelta] = {
    MainStatus.NOT_FOUND.value: 6 * HOUR,
    MainStatus.INFO_RECEIVED.value: 8 * HOUR,
    MainStatus.IN_TRANSIT.value: 10 * HOUR,
    MainStatus.EXPIRED.value: 11 * HOUR,
    MainStatus.AVAILABLE_FOR_PICKUP.value: 8 * HOUR,
    MainStatus.OUT_FOR_DELIVERY.value: 6 * HOUR,
    MainStatus.DELIVERY_FAILURE.value: 8 * HOUR,
    MainStatus.DELIVERED.value: 24 * HOUR,
    MainStatus.EXCEPTION.value: 24 * HOUR,
}
FIXED_DAILY = {MainStatus.DELIVERED.value, MainStatus.EXCEPTION.value}
MAX_JITTER_SECONDS = 1800
SILENCE_LIMIT = timedelta(days=30)
DELIVERED_LIMIT = timedelta(days=15)
PURGE_AFTER = timedelta(days=90)
RETRY_AFTER_FAILURE = timedelta(minutes=30)


def poll_interval(status: str, number: str) -> timedelta:
    """The cadence for a status; up to 30 min of jitter (fixed per number) spreads the load."""
    base = BASE_INTERVAL.get(status, 10 * HOUR)
    if status in FIXED_DAILY:
        return base
    return base + timedelta(seconds=zlib.crc32(number.encode()) % MAX_JITTER_SECONDS)


def expires_at(
    status: str, latest_event_at: datetime | None, delivered_at: datetime | None, tracking_since: datetime
) -> datetime:
    """Both limits count from the later of the event and the tracking time, so a retracked
    tracking gets its full 15 or 30 days again."""
    if status == MainStatus.DELIVERED.value and delivered_at is not None:
        return max(delivered_at, tracking_since) + DELIVERED_LIMIT
    last_news = max(tracking_since, latest_event_at) if latest_event_at else tracking_since
    return last_news + SILENCE_LIMIT


@dataclass(frozen=True, slots=True)
class Schedule:
    stop: bool
    """True: stop now (Expired); no further polls."""
    next_poll_at: datetime | None


def after_poll(
    now: datetime,
    interval: timedelta,
    expiry: datetime,
    changes_at: datetime | None,
    complete: bool,
    failed: bool = False,
) -> Schedule:
    """The next poll on the regular cadence, skipping polls that provably cannot see news.

    A source that knows when its data changes next (the simulator) lets the scheduler jump to
    the first cadence point at or after that moment; a finished journey waits for its expiry.
    Nothing is ever scheduled past the expiry, so a tracking stops exactly when it is due to.
    """
    if now >= expiry:
        return Schedule(True, None)
    if failed:
        return Schedule(False, min(now + RETRY_AFTER_FAILURE, expiry))
    regular = now + interval
    if complete:
        steps = math.ceil((expiry - now) / interval)
    elif changes_at is not None and changes_at > regular:
        steps = math.ceil((changes_at - now) / interval)
    else:
        steps = 1
    return Schedule(False, min(now + steps * interval, expiry))
