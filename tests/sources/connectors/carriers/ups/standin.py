"""UPS Tracking API (developer.ups.com/api/reference/tracking): OAuth client credentials at
`POST /security/v1/oauth/token` (HTTP Basic), then `GET /api/track/v1/details/{inquiryNumber}`
with the bearer token; errors are `{"response": {"errors": [{"code", "message"}]}}`. Its
journey and its "not found" are UPS's own answers (`samples/`)."""

from __future__ import annotations

import base64

from tests.sources.connectors.corpus import BY_CARRIER_FILE
from tests.sources.connectors.derive import Journey, journey_for
from tests.sources.connectors.standin import Asked, Reply, as_json

CREDENTIALS = {"client_id": "ups-client", "client_secret": "ups-secret"}
BAD_CREDENTIALS = {"client_id": "ups-client", "client_secret": "expired"}
TOKEN = "ups-access-token"
OWN = "1Z023E2X0214323462"
"""The inquiry of UPS's published example (samples/karrio_tracking.json)."""
NUMBERS = {
    "delivered": "1Z999AA10123456784",
    "in_transit": OWN,
    "exception": "1Z999AA10123456806",
    "not_found": "1Z999AA10123456817",
    "rate_limited": "1Z999AA10123456828",
    "malformed": "1Z999AA10123456839",
}
JOURNEYS = {
    "in_transit": Journey("ups", "karrio_tracking.json", OWN, expect="InTransit_CustomsReleased"),
}
MISSING = {
    "delivered": "no real UPS answer of a delivered package",
    "exception": "no real UPS answer of a package in trouble",
}
NOT_FOUND = BY_CARRIER_FILE["ups", "karrio_not_found.json"].local.read_text()
"""UPS's recorded answer for an inquiry it has no record of (TW0001, in a 200 answer)."""


def _error(status: int, code: str, message: str) -> Reply:
    return as_json(status, {"response": {"errors": [{"code": code, "message": message}]}})


def respond(asked: Asked) -> Reply:
    if asked.path == "/security/v1/oauth/token":
        expected = base64.b64encode(
            f"{CREDENTIALS['client_id']}:{CREDENTIALS['client_secret']}".encode()
        ).decode()
        if asked.header("Authorization") != f"Basic {expected}":
            return _error(401, "10401", "ClientId is Invalid")
        return as_json(
            200,
            {
                "token_type": "Bearer",
                "issued_at": "1795000000000",
                "client_id": CREDENTIALS["client_id"],
                "access_token": TOKEN,
                "expires_in": "14399",
                "status": "approved",
            },
        )
    if not asked.path.startswith("/api/track/v1/details/"):
        return _error(404, "404", "Resource not found")
    if asked.header("Authorization") != f"Bearer {TOKEN}":
        return _error(401, "250002", "Invalid Authentication Information.")
    number = asked.path.rsplit("/", 1)[-1]
    if number == NUMBERS["rate_limited"]:
        return _error(429, "429", "Rate Limit Exceeded")
    if number == NUMBERS["malformed"]:
        return Reply(200, "<html><body>Service Unavailable</body></html>", "text/html")
    journey = journey_for(number, NUMBERS, JOURNEYS)
    if journey is not None:
        return Reply(200, journey.body(number), "application/json")
    return Reply(200, NOT_FOUND, "application/json")
