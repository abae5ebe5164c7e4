"""The OpenAPI 3.1 document of the v2.4, v2.2 and v1 surfaces, derived from the protocol structs."""

from __future__ import annotations

from functools import cache
from typing import Any

import msgspec

from parceltrace import __version__
from parceltrace.protocol.structs import (
    ChangeCarrierItem,
    ChangeInfoItem,
    ErrorsEnvelope,
    NumberCarrier,
    NumberItem,
    Page,
    Quota,
    RealTimeItem,
    RegisterAccepted,
    RegisterItem,
    Rejected,
    TrackInfoItem,
    TrackListItem,
    TrackListQuery,
)
from parceltrace.protocol.v1 import (
    V1ChangeCarrierItem,
    V1ChangeInfoItem,
    V1ChangeInfoObject,
    V1TrackInfoItem,
    V1TrackListItem,
    V1TrackListQuery,
)
from parceltrace.protocol.v24 import TrackInfoItemV24, TrackListItemV24

REF = "#/components/schemas/{name}"

# operation -> (summary, request type or None, accepted item type or None)
_OPERATIONS: dict[str, tuple[str, Any, Any]] = {
    "register": ("Register tracking numbers (at most 40)", list[RegisterItem], RegisterAccepted),
    "changecarrier": (
        "Change the carrier of registered numbers",
        list[ChangeCarrierItem],
        NumberCarrier,
    ),
    "changeinfo": ("Change the tag, remark, param or lang", list[ChangeInfoItem], NumberCarrier),
    "stoptrack": ("Stop tracking", list[NumberItem], NumberCarrier),
    "retrack": ("Restart a stopped tracking (once)", list[NumberItem], NumberCarrier),
    "deletetrack": ("Delete trackings", list[NumberItem], NumberCarrier),
    "push": ("Queue a webhook push of the current info", list[NumberItem], NumberCarrier),
    "gettrackinfo": ("Tracking details of registered numbers", list[NumberItem], TrackInfoItem),
    "getRealTimeTrackInfo": (
        "Fetch tracking details now (costs quota)",
        list[RealTimeItem],
        TrackInfoItem,
    ),
    "gettracklist": ("Search trackings by filters, 40 a page", TrackListQuery, TrackListItem),
    "getquota": ("Quota of the account", list[int], None),
}
_V24_OPERATIONS: dict[str, tuple[str, Any, Any]] = {
    **{
        name: (f"v2.4: {summary[0].lower()}{summary[1:]}", request, accepted)
        for name, (summary, request, accepted) in _OPERATIONS.items()
    },
    "gettrackinfo": ("v2.4: tracking details, with v2.4's added fields", list[NumberItem], TrackInfoItemV24),
    "getRealTimeTrackInfo": (
        "v2.4: fetch tracking details now (costs quota), with v2.4's added fields",
        list[RealTimeItem],
        TrackInfoItemV24,
    ),
    "gettracklist": ("v2.4: search trackings, with sync_status", TrackListQuery, TrackListItemV24),
}
_V1_OPERATIONS: dict[str, tuple[str, Any, Any]] = {
    "register": ("v1: register tracking numbers (at most 40)", list[RegisterItem], NumberCarrier),
    "changecarrier": ("v1: change the carrier", list[V1ChangeCarrierItem], NumberCarrier),
    "changeinfo": ("v1: change the tag", list[V1ChangeInfoItem] | V1ChangeInfoObject, NumberCarrier),
    "stoptrack": ("v1: stop tracking", list[NumberItem], NumberCarrier),
    "retrack": ("v1: restart a stopped tracking (once)", list[NumberItem], NumberCarrier),
    "deletetrack": ("v1: delete trackings", list[NumberItem], NumberCarrier),
    "push": ("v1: queue a webhook push", list[NumberItem], NumberCarrier),
    "gettrackinfo": ("v1: tracking details (e, z0, z1)", list[NumberItem], V1TrackInfoItem),
    "gettracklist": ("v1: trackings by v1 status, pages of up to 40", V1TrackListQuery, V1TrackListItem),
}


@cache
def openapi_document() -> bytes:
    types: list[Any] = [ErrorsEnvelope, Rejected, Page, Quota]
    for _summary, request, accepted in [
        *_OPERATIONS.values(),
        *_V24_OPERATIONS.values(),
        *_V1_OPERATIONS.values(),
    ]:
        types.append(request)
        if accepted is not None:
            types.append(accepted)
    schemas, components = msgspec.json.schema_components(types, ref_template=REF)
    by_type = dict(zip(types, schemas, strict=True))
    paths: dict[str, Any] = {}
    for version, operations in (("v2.4", _V24_OPERATIONS), ("v2.2", _OPERATIONS), ("v1", _V1_OPERATIONS)):
        for name, (summary, request, accepted) in operations.items():
            paths[f"/track/{version}/{name}"] = _path(
                version, name, summary, by_type[request], accepted and by_type[accepted]
            )
    paths["/hooks/upstream"] = _upstream_hook()
    document = {
        "openapi": "3.1.0",
        "info": {
            "title": "parceltrace (17TRACK Tracking API v2.4 and v2.2, with v1 paths)",
            "version": __version__,
        },
        "paths": paths,
        "components": {"schemas": components},
    }
    return msgspec.json.encode(document)


def _error() -> dict[str, Any]:
    return {"content": {"application/json": {"schema": {"$ref": REF.format(name="ErrorsEnvelope")}}}}


def _upstream_hook() -> dict[str, Any]:
    """Live mode with an upstream only (404 otherwise): a signed 17TRACK push from the upstream."""
    return {
        "post": {
            "operationId": "upstreamHook",
            "summary": "The relay's upstream webhook (TRACKING_UPDATED / TRACKING_STOPPED)",
            "parameters": [{"name": "sign", "in": "header", "required": True, "schema": {"type": "string"}}],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": {"type": "object"}}},
            },
            "responses": {
                "200": {"description": "accepted; trackings_due local trackings polled at once"},
                "400": {"description": "a genuine push that is not a tracking event", **_error()},
                "401": {"description": "sign does not match the upstream key", **_error()},
                "404": {"description": "not relaying (sandbox, or live without an upstream)", **_error()},
            },
        }
    }


def _path(version: str, name: str, summary: str, request: Any, accepted: Any) -> dict[str, Any]:
    """One POST operation in the 17TRACK envelope; `accepted`: the schema of accepted items
    (None: getquota's object)."""
    if accepted is None:
        data: Any = {"$ref": REF.format(name="Quota")}
    else:
        data = {
            "type": "object",
            "required": ["accepted"]
            if version != "v1" and name == "gettracklist"
            else ["accepted", "rejected"],
            "properties": {
                "accepted": {"type": "array", "items": accepted},
                "rejected": {"type": "array", "items": {"$ref": REF.format(name="Rejected")}},
            },
        }
    success: dict[str, Any] = {
        "type": "object",
        "required": ["code", "data"],
        "properties": {"code": {"type": "integer"}, "data": data},
    }
    if name == "gettracklist":
        success["properties"]["page"] = {"$ref": REF.format(name="Page")}
    envelope = {"oneOf": [success, {"$ref": REF.format(name="ErrorsEnvelope")}]}
    error = _error()
    return {
        "post": {
            "operationId": name if version == "v2.2" else f"{version.replace('.', '')}_{name}",
            "summary": summary,
            "parameters": [
                {
                    "name": "17token",
                    "in": "header",
                    "required": True,
                    "schema": {"type": "string"},
                }
            ],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": request}},
            },
            "responses": {
                "200": {
                    "description": "17TRACK envelope",
                    "content": {"application/json": {"schema": envelope}},
                },
                "401": {
                    "description": "bad key, disabled account or IP not whitelisted",
                    **error,
                },
                "404": {"description": "unknown path", **error},
                "413": {"description": "body over 1 MiB", **error},
                "429": {"description": "over the rate limit; see Retry-After", **error},
            },
        }
    }
