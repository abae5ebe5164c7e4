"""The API's operations, one table for v2.2, v2.4 and v1: each parses its request, runs its use
case and answers. A version differs only in its envelope for batch answers, its answer shapes,
a few request shapes (v1's changecarrier and changeinfo) and the operations it adds or lacks."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
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
from parceltrace.store.records import Account, Tracking


@dataclass(frozen=True, slots=True)
class Call:
    """What an operation gets of its request: the body, and where registered numbers came from."""

    body: bytes
    data_origin: DataOrigin = DataOrigin.API


Operation = Callable[[Services, Account, Call], Awaitable[dict[str, Any]]]
Items = Callable[[bytes], list[Any]]
"""A request body -> its items (each parsed, or Rejected)."""
BatchUseCase = Callable[[Services, Account, list[Any], Call], Awaitable[dict[str, Any]]]
Shape = Callable[[Tracking, datetime], Any]


def items_of(kind: type[Any]) -> Items:
    return lambda body: parse_items(body, kind)


BATCH_USE_CASES: dict[str, BatchUseCase] = {
    "register": lambda s, a, items, call: register.register(s, a.id, items, call.data_origin),
    "changecarrier": lambda s, a, items, _call: manage.change_carrier(s, a.id, items),
    "changeinfo": lambda s, a, items, _call: manage.change_info(s, a.id, items),
    "stoptrack": lambda s, a, items, _call: manage.stop_track(s, a.id, items),
    "retrack": lambda s, a, items, _call: manage.retrack(s, a.id, items),
    "deletetrack": lambda s, a, items, _call: manage.delete_track(s, a.id, items),
    "push": lambda s, a, items, _call: manage.push(s, a.id, a.webhook_url, items),
}
"""The operations whose answer is `{accepted, rejected}` of the request's items."""
BATCH_ITEMS: dict[str, Items] = {
    "register": items_of(RegisterItem),
    "changecarrier": items_of(ChangeCarrierItem),
    "changeinfo": items_of(ChangeInfoItem),
    "stoptrack": items_of(NumberItem),
    "retrack": items_of(NumberItem),
    "deletetrack": items_of(NumberItem),
    "push": items_of(NumberItem),
}


@dataclass(frozen=True, slots=True)
class Version:
    """What a version of the API makes of the shared operations."""

    envelope: Callable[[dict[str, Any]], dict[str, Any]] = ok
    """A batch use case's result -> the answer."""
    track_info: Shape = queries.track_info_item
    """A stored tracking -> its gettrackinfo item."""
    items: Mapping[str, Items] = field(default_factory=dict)
    """Request shapes of this version that differ from v2.2's."""
    own: Mapping[str, Operation] = field(default_factory=dict)
    """Operations of this version's own (gettracklist, getrealtimetrackinfo)."""


def _batch(name: str, version: Version) -> Operation:
    parse = version.items.get(name, BATCH_ITEMS[name])
    use_case = BATCH_USE_CASES[name]

    async def operation(services: Services, account: Account, call: Call) -> dict[str, Any]:
        return version.envelope(await use_case(services, account, parse(call.body), call))

    return operation


def _track_info(version: Version) -> Operation:
    async def operation(services: Services, account: Account, call: Call) -> dict[str, Any]:
        items = parse_items(call.body, NumberItem)
        return ok(await queries.get_track_info(services, account.id, items, version.track_info))

    return operation


async def get_quota(services: Services, account: Account, call: Call) -> dict[str, Any]:
    fresh = await get_account(services, account.name)
    return ok(quota_view(fresh or account, services.now_for(account.id)))


def table(version: Version) -> dict[str, Operation]:
    """Every operation of `version`, by its lower-case name."""
    operations: dict[str, Operation] = {name: _batch(name, version) for name in BATCH_USE_CASES}
    operations["gettrackinfo"] = _track_info(version)
    operations["getquota"] = get_quota
    operations.update(version.own)
    return operations


async def get_track_list(services: Services, account: Account, call: Call) -> dict[str, Any]:
    query = parse_object(call.body, TrackListQuery)
    page, items = await queries.get_track_list(services, account.id, query, queries.track_list_item)
    return {"page": page, "code": 0, "data": {"accepted": items}}


async def get_realtime(services: Services, account: Account, call: Call) -> dict[str, Any]:
    items = parse_items(call.body, RealTimeItem)
    return ok(await realtime.realtime_track_info(services, account, items))


V22 = Version(own={"gettracklist": get_track_list, "getrealtimetrackinfo": get_realtime})
OPERATIONS = table(V22)
GET_ALLOWED = frozenset({"getquota", "getcarrier"})
