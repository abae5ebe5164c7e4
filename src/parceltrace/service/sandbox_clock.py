"""The sandbox clocks, one per account: reading and moving them, kept in the database so sandbox
time survives a restart and every process of a cluster shares it. The API and the dashboard
both move a clock through `move`; the work on the way is done by an `Advancer` (the worker),
handed in by the composition root."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

import structlog

from parceltrace.clock import HORIZON, AdjustableClock, first_of
from parceltrace.protocol.errors import ApiError, ErrorCode
from parceltrace.protocol.validation import parse_time
from parceltrace.service.accounts import AccountError, get_account
from parceltrace.service.context import Services
from parceltrace.store import sandbox
from parceltrace.store.engine import StoreError
from parceltrace.store.sandbox import Reset

log = structlog.get_logger("parceltrace.sandbox")


@dataclass(frozen=True, slots=True)
class AdvanceReport:
    now: datetime
    polls: int
    stopped: int
    purged: int
    pushes: int = 0


class Advancer(Protocol):
    async def advance(self, clock: AdjustableClock, target: datetime) -> AdvanceReport:
        """Move `clock` to `target`, doing the work that falls due on the way."""


def iso_utc(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


NOT_GIVEN: Any = object()


def target(now: datetime, horizon: datetime, *, seconds: Any = NOT_GIVEN, to: Any = NOT_GIVEN) -> datetime:
    """Where a clock is asked to go: `seconds` ahead, or `to` a time (one of them is given).
    The clock only moves forward, and never past `horizon` (ten years ahead of real time)."""
    if seconds is not NOT_GIVEN:
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) or not seconds >= 0:
            raise ApiError(ErrorCode.FIELD_VALUE_INVALID, seconds, "seconds")
        if seconds > (horizon - now).total_seconds():
            raise _beyond(seconds, "seconds", now, horizon)
        return now + timedelta(seconds=seconds)
    moment = parse_time(to) if isinstance(to, str) else None
    if moment is None or moment < now:
        raise ApiError(ErrorCode.FIELD_VALUE_INVALID, str(to)[:40], "to")
    if moment > horizon:
        raise _beyond(to, "to", now, horizon)
    return moment


def _beyond(value: Any, field: str, now: datetime, horizon: datetime) -> ApiError:
    return ApiError(
        ErrorCode.FIELD_VALUE_INVALID,
        str(value)[:40],
        field,
        detail=(
            f"The sandbox clock stays within {HORIZON.days // 365} years of real time: it can be "
            f"moved up to {iso_utc(horizon)} (it is {iso_utc(now)} now)."
        ),
    )


async def move(
    advancer: Advancer, clock: AdjustableClock, *, seconds: Any = NOT_GIVEN, to: Any = NOT_GIVEN
) -> AdvanceReport:
    """Move an account's clock `seconds` ahead or `to` a time, with the work on the way."""
    return await advancer.advance(clock, target(clock.now(), clock.horizon(), seconds=seconds, to=to))


async def take_up(services: Services) -> None:
    """At start: every account's stored clock (a value past the horizon, written before the
    bound existed, is brought back to it, and said so)."""
    stored = await sandbox.load_clocks(services.store)
    beyond = [account for account, (offset, _) in stored.items() if offset > HORIZON]
    if beyond:
        log.warning(
            "stored sandbox clocks were out of range; they now stand at the ten-year horizon",
            accounts=beyond,
            hint="parceltrace sandbox reset ACCOUNT starts an account's sandbox afresh",
        )
    services.clocks.follow(stored)


async def follow(
    services: Services,
    stop: asyncio.Event,
    every: float = 1.0,
    nudge: asyncio.Event | None = None,
) -> None:
    """Keep this process's clocks up with the stored ones: another process (an API process
    answering /sandbox/clock/advance, the CLI's reset) may have moved them. Checked every
    `every` seconds, and at once when `nudge` is set (a NOTIFY from the process that did it)."""
    nudge = nudge or asyncio.Event()
    while not stop.is_set():
        nudge.clear()
        try:
            services.clocks.follow(await sandbox.load_clocks(services.store))
        except (OSError, StoreError) as exc:
            if not services.store.reported_outage(exc):
                log.warning("cannot read the sandbox clocks; retrying", error=str(exc))
        await first_of(stop, nudge, at_most=every)


async def moved(services: Services, account_id: int) -> datetime:
    """Save an account's clock after it moved; its new time."""
    await sandbox.save_clock(services.store, account_id, services.clocks.offset(account_id))
    return services.clocks.now(account_id)


async def reset(services: Services, name: str) -> Reset:
    """Start an account's sandbox afresh: its trackings, webhook messages and mails deleted, its
    usage counters and its clock back to zero (running processes follow at once)."""
    account = await get_account(services, name)
    if account is None:
        raise AccountError(f"no account named {name!r} (see `parceltrace account list`)")
    return await sandbox.reset_account(services.store, account.id)
