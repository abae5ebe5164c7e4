"""The v1 version (`/track/v1/...`): v2.2's use cases behind v1's request and answer shapes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from parceltrace.api.operations import Call, Version, table
from parceltrace.carriers import registry
from parceltrace.protocol import v1
from parceltrace.protocol.errors import ApiError, ErrorCode
from parceltrace.protocol.parsing import convert_item, decode_json, parse_items, parse_object
from parceltrace.protocol.status import TrackingStatus
from parceltrace.protocol.structs import NumberCarrier, Rejected, ok
from parceltrace.service import queries
from parceltrace.service.context import Services
from parceltrace.store.records import Account, Tracking

TRACKING_STATE = {1: TrackingStatus.TRACKING, 2: TrackingStatus.STOPPED}


def batch(result: dict[str, Any]) -> dict[str, Any]:
    """002's BatchResponse: accepted `{number, carrier}`, rejected `{number, error}` as in v2.2."""
    accepted = [NumberCarrier(item.number, item.carrier) for item in result["accepted"]]
    return ok({"accepted": accepted, "rejected": result["rejected"]})


def _v22(items: list[Any]) -> list[Any]:
    return [item if isinstance(item, Rejected) else item.as_v22() for item in items]


def change_carrier_items(body: bytes) -> list[Any]:
    return _v22(parse_items(body, v1.V1ChangeCarrierItem))


def change_info_items(body: bytes) -> list[Any]:
    """A list of `{number, tag}` (002), or the single `{number, items: {tag}}` object that
    `seventeentrack` sends."""
    data = decode_json(body)
    if isinstance(data, dict):
        single = convert_item(data, v1.V1ChangeInfoObject)
        return [single if isinstance(single, Rejected) else single.as_v22()]
    return _v22(parse_items(body, v1.V1ChangeInfoItem))


def track_info_item(tracking: Tracking, now: datetime) -> v1.V1TrackInfoItem:
    item = queries.track_info_item(tracking, now)
    return v1.v1_track(item, tracking.final_carrier, registry.numeric_country_by_iso())


async def get_track_list(services: Services, account: Account, call: Call) -> dict[str, Any]:
    query = parse_object(call.body, v1.V1TrackListQuery)
    statuses = None
    if query.e_code is not None:
        statuses = v1.main_statuses(query.e_code)
        if not statuses:
            field = "status" if query.status is not None else "package_state"
            raise ApiError(ErrorCode.FIELD_VALUE_INVALID, query.e_code, field)
    tracking = TRACKING_STATE[query.tracking_state] if query.tracking_state is not None else None
    page, items = await queries.get_track_list_by_status(
        services, account.id, statuses, tracking, query.page, query.page_size
    )
    accepted = [v1.v1_list_item(item) for item in items]
    return {"page": page, "code": 0, "data": {"accepted": accepted, "rejected": []}}


V1 = Version(
    envelope=batch,
    track_info=track_info_item,
    items={"changecarrier": change_carrier_items, "changeinfo": change_info_items},
    own={"gettracklist": get_track_list},
)
V1_OPERATIONS = table(V1)
