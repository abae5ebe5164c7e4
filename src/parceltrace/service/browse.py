"""The dashboard's reads: gettracklist's filters and paging plus what a person browsing needs
(counts per status, a tag filter, a number search, one tracking by id). Never charges."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, false, func, select

from parceltrace.protocol.status import MainStatus
from parceltrace.protocol.structs import Page, TrackListQuery
from parceltrace.service.context import Services
from parceltrace.service.queries import list_page, track_list_filters
from parceltrace.store.tables import trackings

MAX_SEARCH = 50


def _like_prefix(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"


async def tracking_page(
    services: Services,
    account_id: int,
    query: TrackListQuery,
    tag: str | None = None,
    search: str | None = None,
) -> tuple[Page, list[Row[Any]]]:
    """A page of the list: the API's filters (invalid ones raise its ApiError), plus an exact
    `tag` and a number `search` that matches from the start, ignoring case (one holding NUL
    matches nothing)."""
    where = track_list_filters(account_id, query)
    if any("\x00" in text for text in (tag or "", search or "")):
        where.append(false())  # no stored text holds NUL (PostgreSQL refuses it even in a query)
    if tag:
        where.append(trackings.c.tag == tag)
    if search:
        where.append(trackings.c.number.like(_like_prefix(search.strip().upper()[:MAX_SEARCH]), escape="\\"))
    async with services.store.read() as conn:
        return await list_page(conn, where, query.order_by, query.page_no)


async def status_counts(services: Services, account_id: int) -> dict[MainStatus, int]:
    """How many of the account's trackings are in each main status (all 9, zeros included)."""
    query = (
        select(trackings.c.package_status, func.count())
        .where(trackings.c.account_id == account_id)
        .group_by(trackings.c.package_status)
    )
    async with services.store.read() as conn:
        found = {status: int(count) for status, count in (await conn.execute(query)).all()}
    return {status: found.get(status.value, 0) for status in MainStatus}


MAX_ID = 2**63 - 1


async def tracking_by_id(services: Services, account_id: int, tracking_id: int) -> Row[Any] | None:
    """The account's tracking with this id; None for any other id, however large."""
    if not 0 < tracking_id <= MAX_ID:
        return None
    query = select(trackings).where(trackings.c.id == tracking_id, trackings.c.account_id == account_id)
    async with services.store.read() as conn:
        return (await conn.execute(query)).first()


async def tracking_ids(services: Services, account_id: int, numbers: list[str]) -> dict[tuple[str, int], int]:
    """(number, carrier) -> id of the account's trackings of these numbers (to link to them)."""
    if not numbers:
        return {}
    query = select(trackings.c.id, trackings.c.number, trackings.c.carrier).where(
        trackings.c.account_id == account_id, trackings.c.number.in_(sorted(set(numbers)))
    )
    async with services.store.read() as conn:
        return {(row.number, row.carrier): row.id for row in (await conn.execute(query)).all()}
