"""GLS Track and Trace API v1 (dev-portal.gls-group.net): OAuth client credentials at
`POST /oauth2/v2/token` (HTTP Basic), then `GET /track-and-trace-v1/tracking/simple/trackids/{ids}`
with the bearer token, up to 10 comma-separated parcel numbers or TrackIDs. The answer lists one
parcel per number asked: its status, events (code, English description, place, time with
offset), or an `errorCode` for a number GLS does not know. Its journeys, "not
found" and rate limit answers are GLS's published examples and recorded answers (`samples/`)."""

from __future__ import annotations

import base64
import json
from typing import Any

from tests.sources.connectors.corpus import BY_CARRIER_FILE
from tests.sources.connectors.derive import Journey, journey_for
from tests.sources.connectors.standin import Asked, Reply, as_json

CREDENTIALS = {"client_id": "gls-client", "client_secret": "gls-secret"}
BAD_CREDENTIALS = {"client_id": "gls-client", "client_secret": "revoked"}
TOKEN = "gls-access-token"
TRACKING = "/track-and-trace-v1/tracking/simple/trackids/"
SHOP, HANDED = "42249028960", "36301917596"
"""GLS's published examples: a parcel delivered at a ParcelShop (samples/
openapi_delivered_to_parcelshop.json) and one handed over (samples/karrio_tracking.json)."""
NUMBERS = {
    "delivered": SHOP,
    "in_transit": HANDED,
    "exception": "50812345693",
    "not_found": "50812345704",
    "rate_limited": "50812345715",
    "malformed": "50812345726",
}
JOURNEYS = {
    "delivered": Journey(
        "gls", "openapi_delivered_to_parcelshop.json", SHOP, expect="AvailableForPickup_Other"
    ),
    "in_transit": Journey("gls", "karrio_tracking.json", HANDED, expect="InTransit_PickedUp"),
}
MISSING = {"exception": "no real GLS answer of a parcel in trouble"}
UNKNOWN = Journey("gls", "karrio_not_found.json", HANDED)
"""GLS's recorded answer for a parcel it does not know (E_404_01)."""
RATE_LIMITED = BY_CARRIER_FILE["gls", "openapi_rate_limited.json"].local.read_text()
"""GLS's published 429 example."""


def _parcel(number: str) -> Any:
    journey = journey_for(number, NUMBERS, JOURNEYS) or UNKNOWN
    return json.loads(journey.body(number))["parcels"][0]


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
        return Reply(429, RATE_LIMITED, "application/json", {"Retry-After": "30"})
    if NUMBERS["malformed"] in numbers:
        return Reply(200, '{"parcels": [{"requested": ', "application/json")
    return as_json(200, {"parcels": [_parcel(number) for number in numbers]})
