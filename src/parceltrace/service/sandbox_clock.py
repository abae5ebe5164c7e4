"""The sandbox clocks, one per account: reading and moving them, kept in the database so sandbox
time survives a restart and every process of a cluster shares it."""

from __future__ import annotations

import asyncio
from datetime import datetime

import structlog
from sqlalchemy.exc import SQLAlchemyError

from parceltrace.clock import HORIZON, AccountClocks
from parceltrace.service.accounts import AccountError, get_account
from parceltrace.store import sandbox as book
from parceltrace.store.engine import Store
from parceltrace.store.notify import first_of
from parceltrace.store.sandbox import Reset

log = structlog.get_logger("parceltrace.sandbox")


async def take_up(store: Store, clocks: AccountClocks) -> None:
    """At start: every account's stored clock (a value past the horizon, written before the
    bound existed, is brought back to it, and said so)."""
    stored = await book.load_clocks(store)
    beyond = [account for account, (offset, _) in stored.items() if offset > HORIZON]
    if beyond:
        log.warning(
            "stored sandbox clocks were out of range; they now stand at the ten-year horizon",
            accounts=beyond,
            hint="parceltrace sandbox reset ACCOUNT starts an account's sandbox afresh",
        )
    clocks.follow(stored)


async def follow(
    store: Store,
    clocks: AccountClocks,
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
            clocks.follow(await book.load_clocks(store))
        except (OSError, SQLAlchemyError) as exc:
            log.warning("cannot read the sandbox clocks; retrying", error=str(exc))
        await first_of(stop, nudge, at_most=every)


async def moved(store: Store, clocks: AccountClocks, account_id: int) -> datetime:
    """Save an account's clock after it moved; its new time."""
    await book.save_clock(store, account_id, clocks.offset(account_id))
    return clocks.now(account_id)


async def reset(store: Store, name: str) -> Reset:
    """Start an account's sandbox afresh: its trackings, webhook messages and mails deleted, its
    usage counters and its clock back to zero (running processes follow at once)."""
    account = await get_account(store, name)
    if account is None:
        raise AccountError(f"no account named {name!r} (see `parceltrace account list`)")
    return await book.reset_account(store, account.id)
