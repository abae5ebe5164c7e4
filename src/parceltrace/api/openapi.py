"""The OpenAPI 3.1 document of the v2.2 surface, derived from the protocol structs."""

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


@cache
def openapi_document() -> bytes:
    types: list[Any] = [ErrorsEnvelope, Rejected, Page, Quota]
    for _summary, request, accepted in _OPERATIONS.values():
        types.append(request)
        if accepted is not None:
            types.append(accepted)
    schemas, components = msgspec.json.schema_components(types, ref_template=REF)
    by_type = dict(zip(types, schemas, strict=True))
    paths: dict[str, Any] = {}
    for name, (summary, request, accepted) in _OPERATIONS.items():
        if accepted is None:
            data: Any = {"$ref": REF.format(name="Quota")}
        else:
            data = {
                "type": "object",
                "properties": {
                    "accepted": {"type": "array", "items": by_type[accepted]},
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
        error = {"content": {"application/json": {"schema": {"$ref": REF.format(name="ErrorsEnvelope")}}}}
        paths[f"/track/v2.2/{name}"] = {
            "post": {
                "operationId": name,
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
                    "content": {"application/json": {"schema": by_type[request]}},
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
    document = {
        "openapi": "3.1.0",
        "info": {"title": "parceltrace (17TRACK Tracking API v2.2)", "version": __version__},
        "paths": paths,
        "components": {"schemas": components},
    }
    return msgspec.json.encode(document)
