"""The v1 operations (`/track/v1/...`): the v2.2 services behind v1's request and response shapes."""

from __future__ import annotations

from typing import Any

from parceltrace.api.operations import Call, Operation, op_get_quota
from parceltrace.protocol import v1
from parceltrace.protocol.errors import ApiError, ErrorCode
from parceltrace.protocol.parsing import convert_item, decode_json, parse_items, parse_object
from parceltrace.protocol.status import TrackingStatus
from parceltrace.protocol.structs import NumberCarrier, NumberItem, RegisterItem, Rejected, ok
from parceltrace.service import manage, queries, register
from parceltrace.service.context import Services
from parceltrace.store.records import Account


def batch(result: dict[str, Any]) -> dict[str, Any]:
    """002's BatchResponse: accepted `{number, carrier}`, rejected `{number, error}` as in v2.2."""
    accepted = [NumberCarrier(item.number, item.carrier) for item in result["accepted"]]
    return ok({"accepted": accepted, "rejected": result["rejected"]})


def _v22(items: list[Any]) -> list[Any]:
    return [item if isinstance(item, Rejected) else item.as_v22() for item in items]


async def op_register(services: Services, account: Account, call: Call) -> dict[str, Any]:
    return batch(
        await register.register(services, account.id, parse_items(call.body, RegisterItem), call.data_origin)
    )


async def op_change_carrier(services: Services, account: Account, call: Call) -> dict[str, Any]:
    items = _v22(parse_items(call.body, v1.V1ChangeCarrierItem))
    return batch(await manage.change_carrier(services, account.id, items))


async def op_change_info(services: Services, account: Account, call: Call) -> dict[str, Any]:
    """A list of `{number, tag}` (002), or the single `{number, items: {tag}}` object that
    `seventeentrack` sends."""
    data = decode_json(call.body)
    if isinstance(data, dict):
        single = convert_item(data, v1.V1ChangeInfoObject)
        items: list[Any] = [single if isinstance(single, Rejected) else single.as_v22()]
    else:
        items = _v22(parse_items(call.body, v1.V1ChangeInfoItem))
    return batch(await manage.change_info(services, account.id, items))


async def op_stop_track(services: Services, account: Account, call: Call) -> dict[str, Any]:
    return batch(await manage.stop_track(services, account.id, parse_items(call.body, NumberItem)))


async def op_retrack(services: Services, account: Account, call: Call) -> dict[str, Any]:
    return batch(await manage.retrack(services, account.id, parse_items(call.body, NumberItem)))


async def op_delete_track(services: Services, account: Account, call: Call) -> dict[str, Any]:
    return batch(await manage.delete_track(services, account.id, parse_items(call.body, NumberItem)))


async def op_push(services: Services, account: Account, call: Call) -> dict[str, Any]:
    items = parse_items(call.body, NumberItem)
    return batch(await manage.push(services, account.id, account.webhook_url, items))


async def op_get_track_info(services: Services, account: Account, call: Call) -> dict[str, Any]:
    items = parse_items(call.body, NumberItem)
    return ok(await queries.get_track_info(services, account.id, items, queries.track_info_item_v1))


TRACKING_STATE = {1: TrackingStatus.TRACKING, 2: TrackingStatus.STOPPED}


async def op_get_track_list(services: Services, account: Account, call: Call) -> dict[str, Any]:
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


V1_OPERATIONS: dict[str, Operation] = {
    "register": op_register,
    "changecarrier": op_change_carrier,
    "changeinfo": op_change_info,
    "stoptrack": op_stop_track,
    "retrack": op_retrack,
    "deletetrack": op_delete_track,
    "push": op_push,
    "gettrackinfo": op_get_track_info,
    "gettracklist": op_get_track_list,
    "getquota": op_get_quota,
}
