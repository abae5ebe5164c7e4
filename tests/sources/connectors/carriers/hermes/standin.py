"""Hermes Germany HSI API: OAuth password grant at
`POST /authorization-facade/oauth2/access_token` (on its own host, authme.myhermes.de), then
`GET /shipmentinfo?shipmentID=...&shipmentID=...` with the bearer token. Each shipment answers
with a `result` (an `e...` code for one Hermes does not know) and its `status` list, oldest
first: a four-digit code, a German description, the scanning unit and a time with offset. Its journeys
and "not found" are Hermes' recorded answers (`samples/`), or derived from them."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs

from tests.sources.connectors.derive import Journey, journey_for
from tests.sources.connectors.standin import Asked, Reply, as_json

CREDENTIALS = {
    "username": "shop-user",
    "password": "shop-password",
    "client_id": "hermes-client",
    "client_secret": "hermes-secret",
}
BAD_CREDENTIALS = {**CREDENTIALS, "password": "forgotten"}
TOKEN = "hermes-access-token"
OWN = "H1234567890123456789"
"""The shipment of Hermes' recorded answers (samples/karrio_tracking.json, karrio_not_found.json)."""
NUMBERS = {
    "delivered": OWN,
    "in_transit": "H1001234567890123467",
    "exception": "H1001234567890123478",
    "not_found": "H1001234567890123489",
    "rate_limited": "H1001234567890123490",
    "malformed": "H1001234567890123501",
}
JOURNEYS = {
    "delivered": Journey("hermes", "karrio_tracking.json", OWN, expect="Delivered_Other"),
    # as it stood at the end of 2024-01-19: at the Hermes distribution center
    "in_transit": Journey("hermes", "karrio_tracking.json", OWN, last="20240119", expect="InTransit_Other"),
}
MISSING = {"exception": "no real Hermes answer of a shipment in trouble"}
UNKNOWN = Journey("hermes", "karrio_not_found.json", OWN)
"""Hermes' recorded answer for a shipment it has no information on (e001)."""


def _shipment(number: str) -> Any:
    journey = journey_for(number, NUMBERS, JOURNEYS) or UNKNOWN
    return json.loads(journey.body(number))["shipmentinfo"][0]


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
