"""Hermes Germany HSI API: OAuth password grant at
`POST /authorization-facade/oauth2/access_token` (on its own host, authme.myhermes.de), then
`GET /shipmentinfo?shipmentID=...&shipmentID=...` with the bearer token. Each shipment answers
with a `result` (an `e...` code for one Hermes does not know) and its `status` list, oldest
first: a four-digit code, a German description, the scanning unit and a time with offset."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from tests.sources.connectors.standin import Asked, Reply, as_json

CREDENTIALS = {
    "username": "shop-user",
    "password": "shop-password",
    "client_id": "hermes-client",
    "client_secret": "hermes-secret",
}
BAD_CREDENTIALS = {**CREDENTIALS, "password": "forgotten"}
TOKEN = "hermes-access-token"
NUMBERS = {
    "delivered": "H1001234567890123456",
    "in_transit": "H1001234567890123467",
    "exception": "H1001234567890123478",
    "not_found": "H1001234567890123489",
    "rate_limited": "H1001234567890123490",
    "malformed": "H1001234567890123501",
}


def _status(when: str, code: str, description: str, city: str) -> dict[str, Any]:
    unit = {"name": f"Hermes {city}", "city": city, "countryCode": "DE"}
    return {"timestamp": when, "code": code, "description": description, "scanningUnit": unit}


ANNOUNCED = _status(
    "2026-11-17T19:10:00+01:00", "0000", "Die Sendung wurde Hermes elektronisch angekündigt.", "Hamburg"
)
HANDED = _status("2026-11-18T15:32:00+01:00", "1000", "Die Sendung wurde an Hermes übergeben.", "Hamburg")
SORTED = _status(
    "2026-11-19T04:47:00+01:00", "2000", "Die Sendung hat das Logistikzentrum verlassen.", "Ketzin"
)
JOURNEYS: dict[str, list[dict[str, Any]]] = {
    "delivered": [
        ANNOUNCED,
        HANDED,
        SORTED,
        _status("2026-11-20T08:05:00+01:00", "3000", "Die Sendung wird heute zugestellt.", "Berlin"),
        _status("2026-11-20T13:45:00+01:00", "3500", "Die Sendung wurde zugestellt.", "Berlin"),
    ],
    "in_transit": [ANNOUNCED, HANDED, SORTED],
    "exception": [
        ANNOUNCED,
        HANDED,
        _status(
            "2026-11-20T11:20:00+01:00",
            "4000",
            "Der Empfänger wurde nicht angetroffen. Zweiter Zustellversuch am nächsten Werktag.",
            "Berlin",
        ),
    ],
}


def _shipment(number: str) -> dict[str, Any]:
    scenario = next((s for s, n in NUMBERS.items() if n == number and s in JOURNEYS), None)
    if scenario is None:
        return {"shipmentID": number, "result": {"code": "e201", "message": "Sendung nicht gefunden"}}
    return {
        "shipmentID": number,
        "partNumber": 1,
        "trackingLink": f"https://www.myhermes.de/empfangen/sendungsverfolgung/sendungsinformation#{number}",
        "result": {"code": "i000", "message": "OK"},
        "receiverAddress": {"city": "Berlin", "zipCode": 10115, "countryCode": "DE"},
        "deliveryForecast": {"fixed": False, "date": "2026-11-20"},
        "status": JOURNEYS[scenario],
    }


def respond(asked: Asked) -> Reply:
    if asked.path == "/authorization-facade/oauth2/access_token":
        form = {key: values[0] for key, values in parse_qs(asked.body.decode()).items()}
        if (
            any(form.get(field) != value for field, value in CREDENTIALS.items())
            or form.get("grant_type") != "password"
        ):
            return as_json(401, {"error": "invalid_grant", "error_description": "Bad credentials"})
        return as_json(200, {"access_token": TOKEN, "token_type": "bearer", "expires_in": 3600})
    if asked.path != "/shipmentinfo":
        return as_json(404, {"listOfResultCodes": [{"code": "e404", "message": "Not found"}]})
    if asked.header("Authorization") != f"Bearer {TOKEN}":
        return as_json(401, {"error": "invalid_token", "error_description": "Access token expired"})
    numbers = asked.query.get("shipmentID", [])
    if NUMBERS["rate_limited"] in numbers:
        return as_json(429, {"listOfResultCodes": [{"code": "e429", "message": "Too many requests"}]})
    if NUMBERS["malformed"] in numbers:
        return Reply(200, '{"shipmentinfo": [{"shipmentID": ', "application/json")
    return as_json(200, {"shipmentinfo": [_shipment(number) for number in numbers]})


EXPECTED: dict[str, dict[str, Any]] = {
    "delivered": {
        "sub_status": "Delivered_Other",
        "events": 5,
        "latest_time_iso": "2026-11-20T13:45:00+01:00",
        "latest_timezone": "+01:00",
        "sub_statuses": [
            "InfoReceived",
            "InTransit_PickedUp",
            "InTransit_Other",
            "OutForDelivery_Other",
            "Delivered_Other",
        ],
        "codes": ["3500", "3000", "2000", "1000", "0000"],
        "countries": (None, "DE"),
    },
    "in_transit": {"sub_status": "InTransit_Other"},
    "exception": {"sub_status": "DeliveryFailure_NoBody"},
}
