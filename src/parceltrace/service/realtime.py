"""POST /getRealTimeTrackInfo: an immediate look-up that costs 1 (cacheLevel 0) or 10 (1) quota.

Until a tracking source is wired in (the tracking-engine work), the answer is the stored state
for a registered number and the documented "nothing yet" shape otherwise.
"""

from __future__ import annotations

from typing import Any

from parceltrace.protocol import validation
from parceltrace.protocol.errors import ApiError, ErrorCode
from parceltrace.protocol.parsing import rejection
from parceltrace.protocol.structs import RealTimeItem, Rejected, TrackInfoItem
from parceltrace.service.accounts import Account
from parceltrace.service.context import Services
from parceltrace.service.queries import track_info_item
from parceltrace.service.quota import open_ledger
from parceltrace.service.targets import rows_by_number
from parceltrace.tracking.registration import check_final_carrier, check_param, resolve_carrier
from parceltrace.tracking.track_info import empty_track_info

UNSUPPORTED_CARRIERS = frozenset({21051, 11031, 1151, 101066, 7047, 100766})
COST_BY_CACHE_LEVEL = {0: 1, 1: 10}


def _prepare(item: RealTimeItem) -> tuple[str, int, str | None]:
    number = validation.number(item.number)
    carrier, _origin = resolve_carrier(number, item.carrier, item.auto_detection)
    if carrier in UNSUPPORTED_CARRIERS:
        raise ApiError(ErrorCode.REALTIME_CARRIER_UNSUPPORTED)
    check_final_carrier(carrier, item.final_carrier)
    return number, carrier, check_param(carrier, item.param)


async def realtime_track_info(
    services: Services, account: Account, items: list[RealTimeItem | Rejected]
) -> dict[str, Any]:
    if not account.realtime_enabled:
        raise ApiError(ErrorCode.REALTIME_NOT_ALLOWED)
    accepted: list[TrackInfoItem] = []
    rejected: list[Rejected] = []
    prepared: list[tuple[RealTimeItem, str, int, str | None]] = []
    for item in items:
        if isinstance(item, Rejected):
            rejected.append(item)
            continue
        try:
            prepared.append((item, *_prepare(item)))
        except ApiError as exc:
            rejected.append(rejection(item.number, exc.code, *exc.args_))
    async with services.store.write() as conn:
        ledger = await open_ledger(conn, account.id, services.clock.now())
        grouped = await rows_by_number(conn, account.id, {number for _, number, _, _ in prepared})
        for item, number, carrier, param in prepared:
            cost = COST_BY_CACHE_LEVEL[item.cache_level]
            refusal = ledger.refusal(cost)
            if refusal is not None:
                rejected.append(rejection(number, refusal))
                continue
            ledger.spend(cost)
            stored = [r for r in grouped.get(number, []) if r.carrier == carrier]
            if stored:
                accepted.append(track_info_item(stored[0], services.clock.now()))
            else:
                accepted.append(TrackInfoItem(number, carrier, param, None, empty_track_info(None, None)))
        await ledger.save(conn)
    return {"accepted": accepted, "rejected": rejected}
