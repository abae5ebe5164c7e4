"""The v2.2 operations: request body -> response payload, for an authenticated account."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from parceltrace.protocol.parsing import parse_items, parse_object
from parceltrace.protocol.status import DataOrigin
from parceltrace.protocol.structs import (
    ChangeCarrierItem,
    ChangeInfoItem,
    NumberItem,
    RealTimeItem,
    RegisterItem,
    TrackListQuery,
    ok,
)
from parceltrace.service import manage, queries, realtime, register
from parceltrace.service.accounts import get_account
from parceltrace.service.context import Services
from parceltrace.service.quota import quota_view
from parceltrace.store.records import Account


@dataclass(frozen=True, slots=True)
class Call:
    """What an operation gets of its request: the body, and where registered numbers came from."""

    body: bytes
    data_origin: DataOrigin = DataOrigin.API


Operation = Callable[[Services, Account, Call], Awaitable[dict[str, Any]]]


async def op_register(services: Services, account: Account, call: Call) -> dict[str, Any]:
    return ok(
        await register.register(services, account.id, parse_items(call.body, RegisterItem), call.data_origin)
    )


async def op_change_carrier(services: Services, account: Account, call: Call) -> dict[str, Any]:
    items = parse_items(call.body, ChangeCarrierItem)
    return ok(await manage.change_carrier(services, account.id, items))


async def op_change_info(services: Services, account: Account, call: Call) -> dict[str, Any]:
    return ok(await manage.change_info(services, account.id, parse_items(call.body, ChangeInfoItem)))


async def op_stop_track(services: Services, account: Account, call: Call) -> dict[str, Any]:
    return ok(await manage.stop_track(services, account.id, parse_items(call.body, NumberItem)))


async def op_retrack(services: Services, account: Account, call: Call) -> dict[str, Any]:
    return ok(await manage.retrack(services, account.id, parse_items(call.body, NumberItem)))


async def op_delete_track(services: Services, account: Account, call: Call) -> dict[str, Any]:
    return ok(await manage.delete_track(services, account.id, parse_items(call.body, NumberItem)))


async def op_push(services: Services, account: Account, call: Call) -> dict[str, Any]:
    items = parse_items(call.body, NumberItem)
    return ok(await manage.push(services, account.id, account.webhook_url, items))


async def op_get_track_info(services: Services, account: Account, call: Call) -> dict[str, Any]:
    return ok(await queries.get_track_info(services, account.id, parse_items(call.body, NumberItem)))


async def op_get_track_list(services: Services, account: Account, call: Call) -> dict[str, Any]:
    page, items = await queries.get_track_list(
        services, account.id, parse_object(call.body, TrackListQuery), queries.track_list_item
    )
    return {"page": page, "code": 0, "data": {"accepted": items}}


async def op_get_quota(services: Services, account: Account, call: Call) -> dict[str, Any]:
    fresh = await get_account(services.store, account.name)
    return ok(quota_view(fresh or account, services.now_for(account.id)))


async def op_realtime(services: Services, account: Account, call: Call) -> dict[str, Any]:
    items = parse_items(call.body, RealTimeItem)
    return ok(await realtime.realtime_track_info(services, account, items))


OPERATIONS: dict[str, Operation] = {
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
    "getrealtimetrackinfo": op_realtime,
}
GET_ALLOWED = frozenset({"getquota", "getcarrier"})
