"""The trackings table as the worker uses it: claiming due polls, writing their outcomes,
purging stopped trackings, and when the next work of any kind is due."""

from __future__ import annotations

from datetime import datetime
from itertools import groupby

from msgspec.structs import astuple
from sqlalchemy import ColumnElement, Table, and_, bindparam, delete, func, or_, select, text, update

from parceltrace.protocol.status import TrackingStatus
from parceltrace.store.bulk import BulkInsert
from parceltrace.store.claims import Claim, Groups, claim_due, due_for
from parceltrace.store.engine import Store, Transaction
from parceltrace.store.records import (
    NewTracking,
    PollOutcome,
    Tracking,
    TrackingChanges,
    field_names,
    records,
)
from parceltrace.store.tables import deliveries, emails, trackings

_WRITTEN = [name for name in field_names(PollOutcome) if name not in ("id", "lease_owner")]


async def write_outcomes(conn: Transaction, outcomes: list[PollOutcome]) -> None:
    """Apply fetch outcomes, each only while the tracking's lease is still its writer's (None:
    unleased); the lease ends with the write. Outcomes that leave `translation_charged` alone
    and those that set it go in a statement each."""
    owner_matches = or_(
        trackings.c.lease_owner == bindparam("b_owner"),
        and_(trackings.c.lease_owner.is_(None), bindparam("b_owner").is_(None)),
    )

    def leaves_charge(outcome: PollOutcome) -> bool:
        return outcome.translation_charged is None

    for leave_charge, group in groupby(sorted(outcomes, key=leaves_charge), key=leaves_charge):
        columns = [c for c in _WRITTEN if c != "translation_charged"] if leave_charge else _WRITTEN
        binds = [
            {"b_id": o.id, "b_owner": o.lease_owner, **{c: getattr(o, c) for c in columns}} for o in group
        ]
        await conn.execute(
            update(trackings)
            .where(and_(trackings.c.id == bindparam("b_id"), owner_matches))
            .values(
                {
                    **{c: bindparam(c) for c in columns},
                    "lease_owner": None,
                    "lease_until": None,
                    "poll_count": trackings.c.poll_count + 1,
                }
            ),
            binds,
        )


async def claim_polls(store: Store, claim: Claim) -> list[Tracking]:
    """Lease up to `claim.limit` due trackings, oldest due first."""
    claimed = await claim_due(
        store,
        trackings,
        now=claim.now,
        lease_now=claim.lease_now,
        owner=claim.owner,
        lease=claim.lease,
        where=[
            trackings.c.tracking_status == TrackingStatus.TRACKING.value,
            claim.due(trackings.c.next_poll_at, trackings.c.account_id),
        ],
        order_by=[trackings.c.next_poll_at],
        limit=claim.limit,
        returning=list(trackings.c),
    )
    return records(Tracking, claimed)


async def still_leased(conn: Transaction, ids: list[int], owner: str, *, lock: bool) -> set[int]:
    """Rows whose lease is still `owner`'s, checked inside the write transaction (`lock`: and
    held to its end, on PostgreSQL)."""
    query = select(trackings.c.id).where(trackings.c.id.in_(ids), trackings.c.lease_owner == owner)
    if lock:
        query = query.with_for_update()
    return set((await conn.execute(query)).scalars())


async def purge_stopped(
    store: Store, stopped_before: datetime, ahead: Groups, account_id: int | None, lock_id: int
) -> int:
    """Delete trackings stopped before `stopped_before` (by each account's clock, or
    `account_id`'s); on PostgreSQL only the process holding advisory lock `lock_id` does it, the
    others skip. A read looks first: mostly nothing is due."""
    is_due = (
        trackings.c.tracking_status == TrackingStatus.STOPPED.value,
        due_for(trackings.c.stop_track_time, trackings.c.account_id, stopped_before, ahead, account_id),
    )
    async with store.read() as conn:
        if (await conn.execute(select(trackings.c.id).where(*is_due).limit(1))).first() is None:
            return 0
    async with store.write() as conn:
        if not store.is_sqlite:
            locked = await conn.execute(text("SELECT pg_try_advisory_xact_lock(:id)"), {"id": lock_id})
            if not locked.scalar_one():
                return 0
        result = await conn.execute(delete(trackings).where(*is_due))
    return int(result.rowcount or 0)


async def earliest_due(
    store: Store, account_id: int | None
) -> tuple[datetime | None, datetime | None, datetime | None, datetime | None]:
    """The earliest due poll, stop time of a stopped tracking, pending push and pending mail
    (of `account_id`, or of any account), in one round trip."""

    def of(table: Table) -> list[ColumnElement[bool]]:
        return [] if account_id is None else [table.c.account_id == account_id]

    earliest = select(
        select(func.min(trackings.c.next_poll_at))
        .where(trackings.c.tracking_status == TrackingStatus.TRACKING.value, *of(trackings))
        .scalar_subquery(),
        select(func.min(trackings.c.stop_track_time))
        .where(trackings.c.tracking_status == TrackingStatus.STOPPED.value, *of(trackings))
        .scalar_subquery(),
        select(func.min(deliveries.c.due_at))
        .where(deliveries.c.state == "pending", *of(deliveries))
        .scalar_subquery(),
        select(func.min(emails.c.due_at)).where(emails.c.state == "pending", *of(emails)).scalar_subquery(),
    )
    async with store.read() as conn:
        poll, stopped, push, mail = (await conn.execute(earliest)).one()
    return poll, stopped, push, mail


async def rows_by_number(
    conn: Transaction, account_id: int, numbers: set[str], *, lock: bool = False
) -> dict[str, list[Tracking]]:
    """An account's trackings of `numbers`, by number, oldest first (`lock`: for update)."""
    grouped: dict[str, list[Tracking]] = {}
    if not numbers:
        return grouped
    query = (
        select(trackings)
        .where(trackings.c.account_id == account_id, trackings.c.number.in_(numbers))
        .order_by(trackings.c.id)
    )
    if lock:
        query = query.with_for_update()
    for tracking in records(Tracking, await conn.execute(query)):
        grouped.setdefault(tracking.number, []).append(tracking)
    return grouped


async def registered_keys(
    conn: Transaction, account_ids: set[int], numbers: set[str]
) -> set[tuple[int, str, int]]:
    """(account, number, carrier) of the trackings these accounts hold of these numbers."""
    if not numbers:
        return set()
    result = await conn.execute(
        select(trackings.c.account_id, trackings.c.number, trackings.c.carrier).where(
            trackings.c.account_id.in_(account_ids), trackings.c.number.in_(numbers)
        )
    )
    return {(r.account_id, r.number, r.carrier) for r in result}


REGISTRATION_COLUMNS = field_names(NewTracking)
"""The columns a registration sets; status columns start at their server defaults."""
_REGISTRATION_ROW = BulkInsert(trackings, REGISTRATION_COLUMNS)


async def insert_registrations(conn: Transaction, new: list[NewTracking]) -> None:
    await _REGISTRATION_ROW.execute(conn, [astuple(tracking) for tracking in new])


async def update_trackings(conn: Transaction, changes: list[tuple[int, TrackingChanges]]) -> None:
    """Each (id, new column values) in order, one statement per run of changes that set the
    same columns (on SQLite every statement is a turn of the event loop with the writer held)."""
    for _, run in groupby(changes, key=lambda change: sorted(change[1])):
        batch = [{"b_id": tracking_id, **values} for tracking_id, values in run]
        await conn.execute(
            update(trackings)
            .where(trackings.c.id == bindparam("b_id"))
            .values({key: bindparam(key) for key in batch[0] if key != "b_id"}),
            batch,
        )


async def delete_trackings(conn: Transaction, ids: list[int]) -> None:
    if ids:
        await conn.execute(delete(trackings).where(trackings.c.id.in_(ids)))


async def poll_soon(
    conn: Transaction,
    at: datetime,
    *,
    account_id: int | None = None,
    ids: list[int] | None = None,
    numbers: list[str] | None = None,
    carriers: list[int] | None = None,
    failed_only: bool = False,
) -> int:
    """Trackings still tracking polled at `at` (a "refresh now"): those of `account_id` (any
    account: None), limited to `ids`, `numbers`, `carriers` and, with `failed_only`, to those
    whose last fetch failed or who have no result yet. How many were made due. Polls cost no
    quota, so nothing is charged."""
    conditions: list[ColumnElement[bool]] = [trackings.c.tracking_status == TrackingStatus.TRACKING.value]
    if account_id is not None:
        conditions.append(trackings.c.account_id == account_id)
    if ids is not None:
        conditions.append(trackings.c.id.in_(ids))
    if numbers is not None:
        conditions.append(trackings.c.number.in_(numbers))
    if carriers is not None:
        conditions.append(trackings.c.carrier.in_(carriers))
    if failed_only:
        conditions.append(or_(trackings.c.latest_sync_status == "Failure", trackings.c.awaiting_result))
    result = await conn.execute(update(trackings).where(*conditions).values(next_poll_at=at))
    return int(result.rowcount or 0)
