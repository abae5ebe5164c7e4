"""Asendia Sync API (asendia-sync.com): `POST /api/authenticate` with the username and password
gives a JWT (`id_token`), then `GET /api/customers/{customerId}/tracking/{trackingNumber}` with
it as a bearer token, one parcel a call.

A tracking answer gives the number and its `trackingEvents`: an event code, the time in UTC
(`...Z`), the carrier's description, the location's name and country. Errors are RFC 7807
problem documents (`type`, `title`, `status`, `detail`) with the HTTP status: 401 for a refused
sign-in or token, 404 for an unknown parcel. parceltrace maps Asendia's events by their
descriptions; the codes are kept raw beside each event."""

from __future__ import annotations

from typing import Any

from tests.sources.connectors.standin import Asked, Reply, as_json

CREDENTIALS = {"username": "shop@example.com", "password": "asendia-password", "customer_id": "C1234"}
BAD_CREDENTIALS = {"username": "shop@example.com", "password": "expired", "customer_id": "C1234"}
TOKEN = "asendia-jwt"
TRACKING = f"/api/customers/{CREDENTIALS['customer_id']}/tracking/"
NUMBERS = {
    "delivered": "RR123456785FR",
    "in_transit": "RR123456799FR",
    "exception": "RR123456802FR",
    "not_found": "RR123456816FR",
    "rate_limited": "RR123456820FR",
    "malformed": "RR123456833FR",
}

Event = tuple[str, str, str, str, str]
"""(code, UTC time, description, location, country)."""

ANNOUNCED: Event = ("CREATED", "2026-11-16T15:02:00Z", "Shipment information received", "Paris", "FR")
ACCEPTED: Event = ("ACCEPTED", "2026-11-17T09:40:00Z", "Parcel received at the Asendia hub", "Roissy", "FR")
DEPARTED: Event = (
    "DEPARTED",
    "2026-11-18T21:15:00Z",
    "Parcel departed from the origin country",
    "Roissy",
    "FR",
)
ARRIVED: Event = (
    "ARRIVED",
    "2026-11-19T06:05:00Z",
    "Parcel arrived in the destination country",
    "Berlin",
    "DE",
)
JOURNEYS: dict[str, list[Event]] = {
    "delivered": [
        ANNOUNCED,
        ACCEPTED,
        DEPARTED,
        ARRIVED,
        ("OUT_FOR_DELIVERY", "2026-11-20T06:50:00Z", "Out for delivery", "Berlin", "DE"),
        ("DELIVERED", "2026-11-20T12:45:00Z", "Delivered", "Berlin", "DE"),
    ],
    "in_transit": [ANNOUNCED, ACCEPTED, DEPARTED, ARRIVED],
    "exception": [
        ANNOUNCED,
        ACCEPTED,
        ARRIVED,
        (
            "DELIVERY_FAILED",
            "2026-11-20T10:10:00Z",
            "Delivery attempt failed, the recipient was not at home",
            "Berlin",
            "DE",
        ),
    ],
}


def _problem(status: int, title: str, detail: str, **headers: str) -> Reply:
    return as_json(
        status,
        {
            "type": "https://www.asendia-sync.com/problem/problem-with-message",
            "title": title,
            "status": status,
            "detail": detail,
        },
        **headers,
    )


def respond(asked: Asked) -> Reply:
    if asked.path == "/api/authenticate":
        given = asked.json() or {}
        if (given.get("username"), given.get("password")) != (
            CREDENTIALS["username"],
            CREDENTIALS["password"],
        ):
            return _problem(401, "Unauthorized", "Bad credentials")
        return as_json(200, {"id_token": TOKEN})
    if asked.header("Authorization") != f"Bearer {TOKEN}":
        return _problem(401, "Unauthorized", "Full authentication is required to access this resource")
    if not asked.path.startswith(TRACKING):
        return _problem(404, "Not Found", "No such resource")
    number = asked.path[len(TRACKING) :]
    if number == NUMBERS["rate_limited"]:
        return _problem(429, "Too Many Requests", "Rate limit exceeded", **{"Retry-After": "60"})
    if number == NUMBERS["malformed"]:
        return Reply(
            200, '{"trackingNumber": "RR123456833FR", "trackingEvents": [{"code": ', "application/json"
        )
    events = next((JOURNEYS[s] for s, n in NUMBERS.items() if n == number and s in JOURNEYS), None)
    if events is None:
        return _problem(404, "Not Found", f"No tracking found for {number}")
    return as_json(
        200,
        {
            "trackingNumber": number,
            "trackingEvents": [
                {
                    "id": index + 1,
                    "code": code,
                    "time": time,
                    "carrierEventDescription": description,
                    "locationName": location,
                    "locationCountry": country,
                }
                for index, (code, time, description, location, country) in enumerate(events)
            ],
        },
    )


EXPECTED: dict[str, dict[str, Any]] = {
    "delivered": {
        "sub_status": "Delivered_Other",
        "events": 6,
        "latest_time_iso": "2026-11-20T12:45:00+00:00",
        "latest_timezone": "+00:00",
        "sub_statuses": [
            "InfoReceived",
            "InTransit_PickedUp",
            "InTransit_Departure",
            "InTransit_Arrival",
            "OutForDelivery_Other",
            "Delivered_Other",
        ],
        "codes": ["DELIVERED", "OUT_FOR_DELIVERY", "ARRIVED", "DEPARTED", "ACCEPTED", "CREATED"],
    },
    "in_transit": {"sub_status": "InTransit_Arrival"},
    "exception": {"sub_status": "DeliveryFailure_NoBody"},
}
