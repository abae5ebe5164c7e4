"""Sendle API (developers.sendle.com, "Track a parcel"): `GET /api/tracking/{ref}` with HTTP
Basic auth (Sendle ID and API key), one parcel a call. The answer gives the parcel's `state`,
its scheduling dates and `tracking_events`, oldest first, each with `event_type`, a description,
a location (or origin and destination for a line haul) and its time twice: `scan_time` in UTC
and `local_scan_time` without an offset. Errors are `{"error", "error_description"}` with the
HTTP status: 401 for bad credentials, 404 for an unknown reference, 429 past the rate limit."""

from __future__ import annotations

import base64
from typing import Any

from tests.sources.connectors.standin import Asked, Reply, as_json

CREDENTIALS = {"sendle_id": "sendle-shop", "api_key": "sendle-key"}
BAD_CREDENTIALS = {"sendle_id": "sendle-shop", "api_key": "revoked"}
TRACKING = "/api/tracking/"
NUMBERS = {
    "delivered": "SNDLV1",
    "in_transit": "SNTRN2",
    "exception": "SNEXC3",
    "not_found": "SNNOF4",
    "rate_limited": "SNRAT5",
    "malformed": "SNMAL6",
}


def _event(kind: str, description: str, utc: str, local: str, **where: str) -> dict[str, str]:
    return {
        "event_type": kind,
        "scan_time": utc,
        "local_scan_time": local,
        "description": description,
        **where,
    }


BOOKED = _event("Info", "Booking confirmed", "2026-11-16T22:05:00Z", "2026-11-17T09:05:00")
PICKED_UP = _event(
    "Pickup", "Parcel picked up", "2026-11-17T03:20:00Z", "2026-11-17T14:20:00", location="SYDNEY"
)
LINE_HAUL = _event(
    "Info",
    "In transit between locations",
    "2026-11-17T09:40:00Z",
    "2026-11-17T20:40:00",
    origin_location="Sydney",
    destination_location="Brisbane",
)
ARRIVED = _event(
    "In Transit",
    "Arrived at the depot for processing",
    "2026-11-18T20:15:00Z",
    "2026-11-19T06:15:00",
    location="BRISBANE",
)
JOURNEYS: dict[str, tuple[str, list[dict[str, str]]]] = {
    "delivered": (
        "Delivered",
        [
            BOOKED,
            PICKED_UP,
            LINE_HAUL,
            ARRIVED,
            _event(
                "Out for Delivery",
                "Parcel is out for delivery",
                "2026-11-19T21:30:00Z",
                "2026-11-20T07:30:00",
                location="BRISBANE",
            ),
            _event(
                "Delivered",
                "Parcel delivered",
                "2026-11-20T03:45:00Z",
                "2026-11-20T13:45:00",
                location="BRISBANE",
            ),
        ],
    ),
    "in_transit": ("In Transit", [BOOKED, PICKED_UP, LINE_HAUL, ARRIVED]),
    "exception": (
        "Card Left",
        [
            BOOKED,
            PICKED_UP,
            ARRIVED,
            _event(
                "Card Left",
                "Delivery attempted - nobody was home, a card was left",
                "2026-11-20T01:10:00Z",
                "2026-11-20T11:10:00",
                location="BRISBANE",
            ),
        ],
    ),
}


def _parcel(state: str, events: list[dict[str, str]]) -> dict[str, Any]:
    return {
        "state": state,
        "status": {"description": events[-1]["description"], "last_changed_at": events[-1]["scan_time"]},
        "origin": {"country": "AU"},
        "destination": {"country": "AU"},
        "scheduling": {
            "pickup_date": "2026-11-17",
            "picked_up_on": "2026-11-17",
            "delivered_on": "2026-11-20" if state == "Delivered" else None,
            "estimated_delivery_date_minimum": "2026-11-19",
            "estimated_delivery_date_maximum": "2026-11-21",
        },
        "tracking_events": events,
    }


def _error(status: int, error: str, description: str, **headers: str) -> Reply:
    return as_json(status, {"error": error, "error_description": description}, **headers)


def respond(asked: Asked) -> Reply:
    expected = base64.b64encode(f"{CREDENTIALS['sendle_id']}:{CREDENTIALS['api_key']}".encode()).decode()
    if asked.header("Authorization") != f"Basic {expected}":
        return _error(
            401,
            "unauthorised",
            "The authorisation details are not valid. Either the Sendle ID or API key are incorrect.",
        )
    if not asked.path.startswith(TRACKING):
        return _error(404, "not_found", "The resource you requested was not found.")
    number = asked.path[len(TRACKING) :]
    if number == NUMBERS["rate_limited"]:
        return _error(429, "too_many_requests", "The rate limit has been exceeded.", **{"Retry-After": "60"})
    if number == NUMBERS["malformed"]:
        return Reply(200, '{"state": "Delivered", "tracking_events": [', "application/json")
    for scenario, (state, events) in JOURNEYS.items():
        if number == NUMBERS[scenario]:
            return as_json(200, _parcel(state, events))
    return _error(
        404,
        "not_found",
        "The resource you requested was not found. Please check the URI and try again.",
    )


EXPECTED: dict[str, dict[str, Any]] = {
    "delivered": {
        "sub_status": "Delivered_Other",
        "events": 6,
        "latest_time_iso": "2026-11-20T13:45:00+10:00",
        "latest_timezone": "+10:00",
        "sub_statuses": [
            "InfoReceived",
            "InTransit_PickedUp",
            "InTransit_Departure",
            "InTransit_Arrival",
            "OutForDelivery_Other",
            "Delivered_Other",
        ],
        "codes": ["Delivered", "Out for Delivery", "In Transit", "Info", "Pickup", "Info"],
    },
    "in_transit": {"sub_status": "InTransit_Arrival"},
    "exception": {"sub_status": "DeliveryFailure_NoBody"},
}
