"""POST /getRealTimeTrackInfo: fetch from the source now; 1 quota (cacheLevel 0) or 10 (1).

cacheLevel 0 may answer with a stored result younger than 3 hours; cacheLevel 1 always fetches.
A registered number's fetched result is saved like a poll; an unregistered one's is not.
Only answers actually given are charged: a failed or timed-out fetch costs nothing.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from parceltrace.protocol import validation
from parceltrace.protocol.errors import ApiError, ErrorCode
from parceltrace.protocol.parsing import rejection
from parceltrace.protocol.structs import RealTimeItem, Rejected, TrackInfoItem
from parceltrace.service.context import Services
from parceltrace.service.polling import Fetched, after_fetch, write_back
from parceltrace.service.queries import track_info_item
from parceltrace.service.quota import open_ledger
from parceltrace.sources.base import SourceError, TrackingRef
from parceltrace.store.records import Account, Tracking
from parceltrace.store.trackings import rows_by_number
from parceltrace.tracking.derive import derive_track_info
from parceltrace.tracking.model import SourceResult
from parceltrace.tracking.normalize import normalized
from parceltrace.tracking.registration import check_final_carrier, check_param, resolve_carrier

UNSUPPORTED_CARRIERS = frozenset({21051, 11031, 1151, 101066, 7047, 100766})
COST_BY_CACHE_LEVEL = {0: 1, 1: 10}
CACHE_AGE = timedelta(hours=3)
FETCH_TIMEOUT = 30.0


@dataclass(frozen=True, slots=True)
class Lookup:
    item: RealTimeItem
    number: str
    carrier: int
    param: str | None
    final_carrier: int


def _prepare(item: RealTimeItem) -> Lookup:
    number = validation.number(item.number)
    carrier, _origin = resolve_carrier(number, item.carrier, item.auto_detection)
    if carrier in UNSUPPORTED_CARRIERS:
        raise ApiError(ErrorCode.REALTIME_CARRIER_UNSUPPORTED)
    final = check_final_carrier(carrier, item.final_carrier)
    return Lookup(item, number, carrier, check_param(carrier, item.param), final)


def _fresh_enough(row: Tracking | None, lookup: Lookup, now: datetime) -> bool:
    return (
        row is not None
        and lookup.item.level == 0
        and row.source_data is not None
        and row.track_time is not None
        and now - row.track_time < CACHE_AGE
    )


async def _fetch(services: Services, lookup: Lookup, row: Tracking | None, now: datetime) -> SourceResult:
    registered_at = row.register_time if row is not None else now
    final = row.final_carrier if row is not None else lookup.final_carrier
    ref = TrackingRef(lookup.number, lookup.carrier, final, lookup.param, registered_at)
    source = services.sources.for_carrier(lookup.carrier)
    try:
        return normalized(await asyncio.wait_for(source.fetch(ref, now), FETCH_TIMEOUT))
    except TimeoutError as exc:
        raise ApiError(ErrorCode.REALTIME_CARRIER_TIMEOUT) from exc
    except SourceError as exc:
        raise ApiError(ErrorCode.REALTIME_CARRIER_ERROR) from exc


async def realtime_track_info(
    services: Services, account: Account, items: list[RealTimeItem | Rejected]
) -> dict[str, Any]:
    if not account.realtime_enabled:
        raise ApiError(ErrorCode.REALTIME_NOT_ALLOWED)
    now = services.now_for(account.id)
    rejected: list[Rejected] = []
    lookups: list[Lookup] = []
    for item in items:
        if isinstance(item, Rejected):
            rejected.append(item)
            continue
        try:
            lookups.append(_prepare(item))
        except ApiError as exc:
            rejected.append(rejection(item.number, exc.code, *exc.args_))
    async with services.store.read() as conn:
        grouped = await rows_by_number(conn, account.id, {lookup.number for lookup in lookups})
    stored = {
        id(lookup): next((r for r in grouped.get(lookup.number, []) if r.carrier == lookup.carrier), None)
        for lookup in lookups
    }
    answers: list[tuple[Lookup, SourceResult | None]] = []
    for lookup, fetched in zip(
        lookups,
        await asyncio.gather(*(_answer(services, lk, stored[id(lk)], now) for lk in lookups)),
        strict=True,
    ):
        if isinstance(fetched, ApiError):
            rejected.append(rejection(lookup.number, fetched.code, *fetched.args_))
        else:
            answers.append((lookup, fetched))
    accepted = await _charge_and_save(services, account, answers, stored, now, rejected)
    return {"accepted": accepted, "rejected": rejected}


async def _answer(
    services: Services, lookup: Lookup, row: Tracking | None, now: datetime
) -> SourceResult | ApiError | None:
    """A fresh result, None to serve the stored one, or the error to reject the item with."""
    if _fresh_enough(row, lookup, now):
        return None
    try:
        return await _fetch(services, lookup, row, now)
    except ApiError as exc:
        return exc


async def _charge_and_save(
    services: Services,
    account: Account,
    answers: list[tuple[Lookup, SourceResult | None]],
    stored: dict[int, Tracking | None],
    now: datetime,
    rejected: list[Rejected],
) -> list[TrackInfoItem]:
    accepted: list[TrackInfoItem] = []
    saves: list[Fetched] = []
    async with services.store.write() as conn:
        ledger = await open_ledger(conn, account.id, now)
        for lookup, result in answers:
            cost = COST_BY_CACHE_LEVEL[lookup.item.level]
            refusal = ledger.refusal(cost)
            if refusal is not None:
                rejected.append(rejection(lookup.number, refusal))
                continue
            ledger.spend(cost)
            row = stored[id(lookup)]
            if result is None and row is not None:
                accepted.append(track_info_item(row, now))
            elif result is not None:
                info = derive_track_info(result, now, None, None)
                if row is not None:
                    saves.append(after_fetch(row, now, result, None))
                    info = derive_track_info(result, now, row.shipping_country, row.recipient_country)
                tag = row.tag if row is not None else None
                accepted.append(TrackInfoItem(lookup.number, lookup.carrier, lookup.param, tag, info))
        await write_back(conn, services, saves)
        await ledger.save(conn)
    return accepted
