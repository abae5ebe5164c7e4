"""The v2.4 operations (`/track/v2.4/...`): v2.2's, with v2.4's added answer fields."""

from __future__ import annotations

from typing import Any

from parceltrace.api.operations import OPERATIONS, Call, Operation
from parceltrace.protocol import v24
from parceltrace.protocol.parsing import parse_items, parse_object
from parceltrace.protocol.structs import NumberItem, RealTimeItem, TrackInfoItem, TrackListQuery, ok
from parceltrace.service import queries, realtime
from parceltrace.service.context import Services
from parceltrace.store.records import Account


async def op_get_track_info(services: Services, account: Account, call: Call) -> dict[str, Any]:
    items = parse_items(call.body, NumberItem)
    return ok(await queries.get_track_info(services, account.id, items, queries.track_info_item_v24))


async def op_get_track_list(services: Services, account: Account, call: Call) -> dict[str, Any]:
    query = parse_object(call.body, TrackListQuery)
    page, items = await queries.get_track_list(services, account.id, query, queries.track_list_item_v24)
    return {"page": page, "code": 0, "data": {"accepted": items}}


def _realtime_item(item: TrackInfoItem) -> v24.TrackInfoItemV24:
    """A fetched item: what the request and the answer tell (a fetch carries no lang)."""
    shipping = item.track_info.shipping_info
    known = queries.registration_facts(
        item.carrier, item.param, None, shipping.shipper_address.country, shipping.recipient_address.country
    )
    return v24.track_info_item(item, known)


async def op_realtime(services: Services, account: Account, call: Call) -> dict[str, Any]:
    result = await realtime.realtime_track_info(services, account, parse_items(call.body, RealTimeItem))
    return ok(
        {"accepted": [_realtime_item(item) for item in result["accepted"]], "rejected": result["rejected"]}
    )


V24_OPERATIONS: dict[str, Operation] = {
    **OPERATIONS,
    "gettrackinfo": op_get_track_info,
    "gettracklist": op_get_track_list,
    "getrealtimetrackinfo": op_realtime,
}
