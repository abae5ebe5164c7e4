"""USPS Tracking 3.0 (developer.usps.com/trackingv3): OAuth client credentials at
`POST /oauth2/v3/token`, then `GET /tracking/v3/tracking/{trackingNumber}?expand=DETAIL`; each
event gives its local `eventTimestamp` with `GMTOffset` beside it."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from tests.sources.connectors.standin import Asked, Reply, as_json

CREDENTIALS = {"client_id": "usps-key", "client_secret": "usps-secret"}
BAD_CREDENTIALS = {"client_id": "usps-key", "client_secret": "wrong"}
TOKEN = "usps-access-token"
NUMBERS = {
    "delivered": "9400111899223197428490",
    "in_transit": "9400111899223197428506",
    "exception": "9400111899223197428513",
    "not_found": "9400111899223197428520",
    "rate_limited": "9400111899223197428537",
    "malformed": "9400111899223197428544",
}


def _event(
    local: str, gmt: str, offset: str, kind: str, code: str, city: str, state: str, zip_code: str
) -> dict[str, Any]:
    return {
        "eventType": kind,
        "eventTimestamp": local,
        "GMTTimestamp": gmt,
        "GMTOffset": offset,
        "eventCountry": None,
        "eventCity": city,
        "eventState": state,
        "eventZIP": zip_code,
        "firm": None,
        "name": None,
        "authorizedAgent": False,
        "eventCode": code,
    }


def _piece(number: str, status: str, category: str, events: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "trackingNumber": number,
        "status": status,
        "statusCategory": category,
        "statusSummary": f"{status}.",
        "mailClass": "Priority Mail",
        "originCity": "CHICAGO",
        "originState": "IL",
        "originZIP": "60601",
        "originCountry": "US",
        "destinationCity": "NEW YORK",
        "destinationState": "NY",
        "destinationZIP": "10001",
        "destinationCountryCode": "US",
        "expectedDeliveryTimeStamp": "2026-11-20T21:00:00Z",
        "trackingEvents": events,
    }


JOURNEYS = {
    "delivered": (
        "Delivered, In/At Mailbox",
        "Delivered",
        [
            _event(
                "2026-11-20T13:45:00",
                "2026-11-20T18:45:00Z",
                "-05:00",
                "Delivered, In/At Mailbox",
                "01",
                "NEW YORK",
                "NY",
                "10001",
            ),
            _event(
                "2026-11-20T07:10:00",
                "2026-11-20T12:10:00Z",
                "-05:00",
                "Out for Delivery",
                "OF",
                "NEW YORK",
                "NY",
                "10001",
            ),
            _event(
                "2026-11-19T18:45:00",
                "2026-11-19T23:45:00Z",
                "-05:00",
                "Arrived at USPS Regional Facility",
                "A1",
                "NEW YORK NY DISTRIBUTION CENTER",
                "NY",
                "10199",
            ),
            _event(
                "2026-11-18T21:30:00",
                "2026-11-19T03:30:00Z",
                "-06:00",
                "Departed USPS Regional Facility",
                "L1",
                "CHICAGO IL DISTRIBUTION CENTER",
                "IL",
                "60607",
            ),
            _event(
                "2026-11-18T16:12:00",
                "2026-11-18T22:12:00Z",
                "-06:00",
                "USPS picked up item",
                "03",
                "CHICAGO",
                "IL",
                "60601",
            ),
            _event(
                "2026-11-17T09:00:00",
                "2026-11-17T15:00:00Z",
                "-06:00",
                "Shipping Label Created, USPS Awaiting Item",
                "GX",
                "CHICAGO",
                "IL",
                "60601",
            ),
        ],
    ),
    "in_transit": (
        "In Transit to Next Facility",
        "In Transit",
        [
            _event(
                "2026-11-19T02:00:00",
                "2026-11-19T08:00:00Z",
                "-06:00",
                "In Transit to Next Facility",
                "NT",
                "",
                "",
                "",
            ),
            _event(
                "2026-11-18T16:12:00",
                "2026-11-18T22:12:00Z",
                "-06:00",
                "USPS picked up item",
                "03",
                "CHICAGO",
                "IL",
                "60601",
            ),
        ],
    ),
    "exception": (
        "Notice Left (No Authorized Recipient Available)",
        "Alert",
        [
            _event(
                "2026-11-20T14:02:00",
                "2026-11-20T19:02:00Z",
                "-05:00",
                "Notice Left (No Authorized Recipient Available)",
                "02",
                "NEW YORK",
                "NY",
                "10001",
            ),
            _event(
                "2026-11-18T16:12:00",
                "2026-11-18T22:12:00Z",
                "-06:00",
                "USPS picked up item",
                "03",
                "CHICAGO",
                "IL",
                "60601",
            ),
        ],
    ),
}


def respond(asked: Asked) -> Reply:
    if asked.path == "/oauth2/v3/token":
        form = {k: v[0] for k, v in parse_qs(asked.body.decode()).items()}
        if (form.get("client_id"), form.get("client_secret")) != (
            CREDENTIALS["client_id"],
            CREDENTIALS["client_secret"],
        ):
            return as_json(
                401, {"error": "invalid_client", "error_description": "Client authentication failed."}
            )
        return as_json(
            200,
            {
                "access_token": TOKEN,
                "token_type": "Bearer",
                "issued_at": 1795000000000,
                "expires_in": 28799,
                "status": "approved",
                "scope": "tracking",
            },
        )
    if not asked.path.startswith("/tracking/v3/tracking/"):
        return as_json(
            404, {"apiVersion": "/tracking/v3", "error": {"code": "404", "message": "Resource not found"}}
        )
    if asked.header("Authorization") != f"Bearer {TOKEN}":
        return as_json(
            401,
            {
                "apiVersion": "/tracking/v3",
                "error": {"code": "401", "message": "Unauthorized: the access token is invalid."},
            },
        )
    number = asked.path.rsplit("/", 1)[-1]
    if number == NUMBERS["rate_limited"]:
        return as_json(
            429,
            {
                "apiVersion": "/tracking/v3",
                "error": {
                    "code": "429",
                    "message": "Too Many Requests: the quota of 60 calls per hour is used.",
                },
            },
        )
    if number == NUMBERS["malformed"]:
        return Reply(200, '{"trackingNumber": "9400', "application/json")
    for scenario, (status, category, events) in JOURNEYS.items():
        if number == NUMBERS[scenario]:
            return as_json(200, _piece(number, status, category, events))
    return as_json(
        404,
        {
            "apiVersion": "/tracking/v3",
            "error": {
                "code": "404",
                "message": f"The tracking number {number} could not be found.",
                "errors": [],
            },
        },
    )


EXPECTED: dict[str, dict[str, Any]] = {
    "delivered": {
        "sub_status": "Delivered_Other",
        "events": 6,
        "latest_time_iso": "2026-11-20T13:45:00-05:00",
        "latest_timezone": "-05:00",
        "sub_statuses": [
            "InfoReceived",
            "InTransit_PickedUp",
            "InTransit_Departure",
            "InTransit_Arrival",
            "OutForDelivery_Other",
            "Delivered_Other",
        ],
        "codes": ["01", "OF", "A1", "L1", "03", "GX"],
        "countries": ("US", "US"),
    },
    "in_transit": {"sub_status": "InTransit_Other"},
    "exception": {"sub_status": "DeliveryFailure_NoBody"},
}
