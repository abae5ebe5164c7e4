"""Australia Post Shipping and Tracking API, Track items (developers.auspost.com.au/apis/
shipping-and-tracking/reference/track-items): `GET /shipping/v1/track?tracking_ids=A,B` (up to
10) with HTTP Basic and `Account-Number`; events have a description and an ISO time with its
offset, and no code."""

from __future__ import annotations

import base64
from typing import Any

from tests.sources.connectors.standin import Asked, Reply, as_json

CREDENTIALS = {"api_key": "ap-key", "password": "ap-password", "account_number": "1234567890"}
BAD_CREDENTIALS = {"api_key": "ap-key", "password": "wrong", "account_number": "1234567890"}
NUMBERS = {
    "delivered": "7XX1000634011427",
    "in_transit": "7XX1000634011438",
    "exception": "7XX1000634011449",
    "not_found": "7XX1000634011450",
    "rate_limited": "7XX1000634011461",
    "malformed": "7XX1000634011472",
}


def _event(date: str, description: str, location: str) -> dict[str, str]:
    return {"location": location, "description": description, "date": date}


JOURNEYS = {
    "delivered": (
        "Delivered",
        [
            _event("2026-11-20T13:45:05+11:00", "Delivered", "ALEXANDRIA NSW"),
            _event("2026-11-20T07:15:00+11:00", "Onboard for delivery", "ALEXANDRIA NSW"),
            _event("2026-11-19T21:02:00+11:00", "Processed through Australia Post facility", "SYDNEY NSW"),
            _event("2026-11-18T16:40:00+11:00", "Received by Australia Post", "MELBOURNE VIC"),
            _event("2026-11-17T10:11:00+11:00", "Shipping information approved by Australia Post", ""),
        ],
    ),
    "in_transit": (
        "In transit",
        [
            _event("2026-11-19T21:02:00+11:00", "Processed through Australia Post facility", "SYDNEY NSW"),
            _event("2026-11-18T16:40:00+11:00", "Received by Australia Post", "MELBOURNE VIC"),
        ],
    ),
    "exception": (
        "Possible delay",
        [
            _event("2026-11-20T09:00:00+11:00", "Possible delay - severe weather", "SYDNEY NSW"),
            _event("2026-11-18T16:40:00+11:00", "Received by Australia Post", "MELBOURNE VIC"),
        ],
    ),
}


def respond(asked: Asked) -> Reply:
    expected = base64.b64encode(f"{CREDENTIALS['api_key']}:{CREDENTIALS['password']}".encode()).decode()
    if asked.header("Authorization") != f"Basic {expected}":
        return as_json(
            401,
            {
                "errors": [
                    {
                        "code": "API_001",
                        "name": "Unauthorized",
                        "message": "The supplied credentials are not valid.",
                    }
                ]
            },
        )
    if asked.path != "/shipping/v1/track":
        return as_json(404, {"errors": [{"code": "404", "name": "Not Found"}]})
    numbers = asked.query.get("tracking_ids", [""])[0].split(",")
    if NUMBERS["rate_limited"] in numbers:
        return as_json(
            429,
            {
                "errors": [
                    {
                        "code": "API_002",
                        "name": "Too many requests",
                        "message": "Rate limit of 10 requests per minute exceeded.",
                    }
                ]
            },
        )
    if NUMBERS["malformed"] in numbers:
        return Reply(200, '{"tracking_results": [{"tracking_id": ', "application/json")
    results: list[dict[str, Any]] = []
    for number in numbers:
        scenario = next((s for s, n in NUMBERS.items() if n == number and s in JOURNEYS), None)
        if scenario is None:
            results.append(
                {"tracking_id": number, "errors": [{"code": "ESB-10001", "name": "Invalid tracking ID"}]}
            )
            continue
        status, events = JOURNEYS[scenario]
        results.append(
            {
                "tracking_id": number,
                "status": status,
                "trackable_items": [
                    {"article_id": number, "product_type": "Parcel Post", "events": events, "status": status}
                ],
            }
        )
    return as_json(200, {"tracking_results": results})


EXPECTED: dict[str, dict[str, Any]] = {
    "delivered": {
        "sub_status": "Delivered_Other",
        "events": 5,
        "latest_time_iso": "2026-11-20T13:45:05+11:00",
        "latest_timezone": "+11:00",
        "sub_statuses": [
            "InfoReceived",
            "InTransit_PickedUp",
            "InTransit_Other",
            "OutForDelivery_Other",
            "Delivered_Other",
        ],
        "codes": [None, None, None, None, None],
    },
    "in_transit": {"sub_status": "InTransit_Other"},
    "exception": {"sub_status": "Exception_Delayed"},
}
