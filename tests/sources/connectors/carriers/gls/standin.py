"""GLS Track and Trace API v1 (dev-portal.gls-group.net): OAuth client credentials at
`POST /oauth2/v2/token` (HTTP Basic), then `GET /track-and-trace-v1/tracking/simple/trackids/{ids}`
with the bearer token, up to 10 comma-separated parcel numbers or TrackIDs. The answer lists one
parcel per number asked: its status, events (code, English description, place, time with
offset), or an `errorCode` for a number GLS does not know."""

from __future__ import annotations

import base64
from typing import Any

from tests.sources.connectors.standin import Asked, Reply, as_json

CREDENTIALS = {"client_id": "gls-client", "client_secret": "gls-secret"}
BAD_CREDENTIALS = {"client_id": "gls-client", "client_secret": "revoked"}
TOKEN = "gls-access-token"
TRACKING = "/track-and-trace-v1/tracking/simple/trackids/"
NUMBERS = {
    "delivered": "50812345671",
    "in_transit": "50812345682",
    "exception": "50812345693",
    "not_found": "50812345704",
    "rate_limited": "50812345715",
    "malformed": "50812345726",
}


def _event(
    code: str, description: str, city: str, postal_code: str, country: str, when: str
) -> dict[str, str]:
    return {
        "code": code,
        "description": description,
        "city": city,
        "postalCode": postal_code,
        "country": country,
        "eventDateTime": when,
    }


ENTERED = _event(
    "PREADVICE",
    "The parcel data was entered into the GLS IT system; the parcel was not yet handed over to GLS.",
    "Neuenstein",
    "36286",
    "DE",
    "2026-11-17T18:02:00+01:00",
)
HANDED_OVER = _event(
    "INTRANSIT",
    "The parcel was handed over to GLS.",
    "Neuenstein",
    "36286",
    "DE",
    "2026-11-18T16:40:00+01:00",
)
LEFT = _event(
    "INTRANSIT",
    "The parcel has left the parcel center.",
    "Neuenstein",
    "36286",
    "DE",
    "2026-11-18T22:15:00+01:00",
)
REACHED = _event(
    "INWAREHOUSE",
    "The parcel has reached the parcel center.",
    "Utrecht",
    "3542",
    "NL",
    "2026-11-19T06:05:00+01:00",
)
JOURNEYS: dict[str, tuple[str, list[dict[str, str]]]] = {
    "delivered": (
        "DELIVERED",
        [
            _event(
                "DELIVERED",
                "The parcel has been delivered.",
                "Amsterdam",
                "1017",
                "NL",
                "2026-11-20T13:45:00+01:00",
            ),
            _event(
                "INDELIVERY",
                "The parcel is expected to be delivered during the day.",
                "Amsterdam",
                "1017",
                "NL",
                "2026-11-20T07:50:00+01:00",
            ),
            REACHED,
            LEFT,
            HANDED_OVER,
            ENTERED,
        ],
    ),
    "in_transit": ("INWAREHOUSE", [REACHED, LEFT, HANDED_OVER, ENTERED]),
    "exception": (
        "NOTDELIVERED",
        [
            _event(
                "NOTDELIVERED",
                "The parcel could not be delivered as the consignee was not at home.",
                "Amsterdam",
                "1017",
                "NL",
                "2026-11-20T11:10:00+01:00",
            ),
            REACHED,
            HANDED_OVER,
        ],
    ),
}


def _parcel(number: str) -> dict[str, Any]:
    scenario = next((s for s, n in NUMBERS.items() if n == number and s in JOURNEYS), None)
    if scenario is None:
        return {
            "requested": number,
            "errorCode": "NOT_FOUND",
            "errorMessage": "No data found for this parcel.",
        }
    status, events = JOURNEYS[scenario]
    return {
        "requested": number,
        "unitno": number,
        "status": status,
        "statusDateTime": events[0]["eventDateTime"],
        "events": events,
    }


def respond(asked: Asked) -> Reply:
    if asked.path == "/oauth2/v2/token":
        expected = base64.b64encode(
            f"{CREDENTIALS['client_id']}:{CREDENTIALS['client_secret']}".encode()
        ).decode()
        if asked.header("Authorization") != f"Basic {expected}":
            return as_json(
                401, {"error": "invalid_client", "error_description": "Client authentication failed"}
            )
        return as_json(200, {"access_token": TOKEN, "token_type": "Bearer", "expires_in": 14400})
    if not asked.path.startswith(TRACKING):
        return as_json(404, {"error": "not_found", "error_description": "No such resource"})
    if asked.header("Authorization") != f"Bearer {TOKEN}":
        return as_json(401, {"error": "invalid_token", "error_description": "The access token is invalid"})
    numbers = asked.path[len(TRACKING) :].split(",")
    if NUMBERS["rate_limited"] in numbers:
        return as_json(
            429,
            {"error": "too_many_requests", "error_description": "Rate limit exceeded"},
            **{"Retry-After": "30"},
        )
    if NUMBERS["malformed"] in numbers:
        return Reply(200, '{"parcels": [{"requested": ', "application/json")
    return as_json(200, {"parcels": [_parcel(number) for number in numbers]})


EXPECTED: dict[str, dict[str, Any]] = {
    "delivered": {
        "sub_status": "Delivered_Other",
        "events": 6,
        "latest_time_iso": "2026-11-20T13:45:00+01:00",
        "latest_timezone": "+01:00",
        "sub_statuses": [
            "InfoReceived",
            "InTransit_PickedUp",
            "InTransit_Departure",
            "InTransit_Arrival",
            "OutForDelivery_Other",
            "Delivered_Other",
        ],
        "codes": ["DELIVERED", "INDELIVERY", "INWAREHOUSE", "INTRANSIT", "INTRANSIT", "PREADVICE"],
    },
    "in_transit": {"sub_status": "InTransit_Arrival"},
    "exception": {"sub_status": "DeliveryFailure_NoBody"},
}
