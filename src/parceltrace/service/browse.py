"""The dashboard's reads: gettracklist's filters and paging plus what a person browsing needs
(counts per status, a tag filter, a number search, one tracking by id). Never charges."""

from __future__ import annotations

from dataclasses import replace

from parceltrace.protocol.status import MainStatus
from parceltrace.protocol.structs import Page, TrackListQuery
from parceltrace.service.context import Services
from parceltrace.service.queries import PAGE_SIZE, order_of, track_list_filter
from parceltrace.store import track_list
from parceltrace.store.records import Tracking
from parceltrace.store.track_list import list_page

MAX_SEARCH = 50


async def tracking_page(
    services: Services,
    account_id: int,
    query: TrackListQuery,
    tag: str | None = None,
    search: str | None = None,
    fetch_failed: bool = False,
) -> tuple[Page, list[Tracking]]:
    """A page of the list: the API's filters (invalid ones raise its ApiError), plus an exact
    `tag`, a number `search` that matches from the start, ignoring case (one holding NUL
    matches nothing), and only those whose last fetch failed."""
    wanted = replace(
        track_list_filter(account_id, query),
        tag=tag or None,
        number_prefix=search.strip().upper()[:MAX_SEARCH] if search else None,
        fetch_failed=fetch_failed,
        matches_nothing=any("\x00" in text for text in (tag or "", search or "")),
    )
    return await list_page(services.store, wanted, order_of(query.order_by), query.page_no, PAGE_SIZE)


async def status_counts(services: Services, account_id: int) -> dict[MainStatus, int]:
    """How many of the account's trackings are in each main status (all 9, zeros included)."""
    found = await track_list.status_counts(services.store, account_id)
    return {status: found.get(status.value, 0) for status in MainStatus}


MAX_ID = 2**63 - 1


async def tracking_by_id(services: Services, account_id: int, tracking_id: int) -> Tracking | None:
    """The account's tracking with this id; None for any other id, however large."""
    if not 0 < tracking_id <= MAX_ID:
        return None
    return await track_list.tracking_by_id(services.store, account_id, tracking_id)


async def tracking_ids(services: Services, account_id: int, numbers: list[str]) -> dict[tuple[str, int], int]:
    """(number, carrier) -> id of the account's trackings of these numbers (to link to them)."""
    return await track_list.tracking_ids(services.store, account_id, numbers) if numbers else {}
