"""Lists of an account's trackings: gettracklist's filters (already validated, as a typed
filter), the dashboard's extra ones, the sort orders and paging, and the counts per status."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import asc, desc, false, func, select

from parceltrace.protocol.status import OrderBy
from parceltrace.protocol.structs import Page
from parceltrace.store.engine import Store
from parceltrace.store.records import Tracking, record, records
from parceltrace.store.tables import trackings

TIME_COLUMNS = ("register_time", "track_time", "push_time", "stop_track_time")


@dataclass(frozen=True, slots=True)
class TrackFilter:
    """Which of an account's trackings a list shows. Each given value narrows it; `between`
    maps a time column (TIME_COLUMNS) to a half-open range, either end open when None."""

    account_id: int
    numbers: tuple[str, ...] = ()
    carrier: int | None = None
    data_origin: str | None = None
    package_statuses: tuple[str, ...] | None = None
    tracking_status: str | None = None
    push_status: str | None = None
    push_status_code: int | None = None
    between: dict[str, tuple[datetime | None, datetime | None]] = field(default_factory=dict)
    tag: str | None = None
    number_prefix: str | None = None
    fetch_failed: bool = False
    """Only trackings whose last fetch from their source failed (the dashboard's filter)."""
    matches_nothing: bool = False
    """A value no stored text can hold (NUL, which PostgreSQL refuses even in a query)."""


_ORDER = {
    OrderBy.REGISTER_TIME_ASC: (asc(trackings.c.register_time), asc(trackings.c.id)),
    OrderBy.REGISTER_TIME_DESC: (desc(trackings.c.register_time), desc(trackings.c.id)),
    OrderBy.PUSH_TIME_ASC: (asc(trackings.c.push_time), asc(trackings.c.id)),
    OrderBy.PUSH_TIME_DESC: (desc(trackings.c.push_time), desc(trackings.c.id)),
    OrderBy.TRACK_TIME_ASC: (asc(trackings.c.track_time), asc(trackings.c.id)),
    OrderBy.TRACK_TIME_DESC: (desc(trackings.c.track_time), desc(trackings.c.id)),
}
"""Sort orders; ties break by registration order in the same direction, so pages are stable."""


def _like_prefix(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"


def _where(wanted: TrackFilter) -> list[Any]:
    where: list[Any] = [trackings.c.account_id == wanted.account_id]
    if wanted.matches_nothing:
        where.append(false())
    if wanted.numbers:
        where.append(trackings.c.number.in_(wanted.numbers))
    if wanted.package_statuses is not None:
        where.append(trackings.c.package_status.in_(wanted.package_statuses))
    for column, value in (
        (trackings.c.carrier, wanted.carrier),
        (trackings.c.data_origin, wanted.data_origin),
        (trackings.c.tracking_status, wanted.tracking_status),
        (trackings.c.push_status, wanted.push_status),
        (trackings.c.push_status_code, wanted.push_status_code),
        (trackings.c.tag, wanted.tag),
    ):
        if value is not None:
            where.append(column == value)
    for name, (low, high) in wanted.between.items():
        column = trackings.c[name]
        if low is not None:
            where.append(column >= low)
        if high is not None:
            where.append(column < high)
    if wanted.number_prefix:
        where.append(trackings.c.number.like(_like_prefix(wanted.number_prefix), escape="\\"))
    if wanted.fetch_failed:
        where.append(trackings.c.latest_sync_status == "Failure")
    return where


async def list_page(
    store: Store, wanted: TrackFilter, order: OrderBy, page_no: int, page_size: int
) -> tuple[Page, list[Tracking]]:
    """One page of the trackings `wanted` in `order`, and the page facts of 003."""
    where = _where(wanted)
    page_no = max(page_no, 1)
    async with store.read() as conn:
        total = int(
            (await conn.execute(select(func.count()).select_from(trackings).where(*where))).scalar_one()
        )
        rows = (
            await conn.execute(
                select(trackings)
                .where(*where)
                .order_by(*_ORDER[order])
                .limit(page_size)
                .offset((page_no - 1) * page_size)
            )
        ).all()
    page = Page(
        data_total=total, page_total=math.ceil(total / page_size), page_no=page_no, page_size=page_size
    )
    return page, records(Tracking, rows)


async def status_counts(store: Store, account_id: int) -> dict[str, int]:
    """How many of the account's trackings are in each main status that has any."""
    query = (
        select(trackings.c.package_status, func.count())
        .where(trackings.c.account_id == account_id)
        .group_by(trackings.c.package_status)
    )
    async with store.read() as conn:
        return {status: int(count) for status, count in (await conn.execute(query)).all()}


async def tracking_by_id(store: Store, account_id: int, tracking_id: int) -> Tracking | None:
    query = select(trackings).where(trackings.c.id == tracking_id, trackings.c.account_id == account_id)
    async with store.read() as conn:
        row = (await conn.execute(query)).first()
    return record(Tracking, row) if row else None


async def tracking_ids(store: Store, account_id: int, numbers: list[str]) -> dict[tuple[str, int], int]:
    """(number, carrier) -> id of the account's trackings of these numbers."""
    query = select(trackings.c.id, trackings.c.number, trackings.c.carrier).where(
        trackings.c.account_id == account_id, trackings.c.number.in_(sorted(set(numbers)))
    )
    async with store.read() as conn:
        return {(row.number, row.carrier): row.id for row in (await conn.execute(query)).all()}
