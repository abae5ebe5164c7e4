"""USPS Tracking 3.0 (developer.usps.com/trackingv3): OAuth client credentials at
`POST /oauth2/v3/token`, then `GET /tracking/v3/tracking/{trackingNumber}?expand=DETAIL`. Its
journeys are USPS's recorded answer (`samples/`) or derived from it."""

from __future__ import annotations

from urllib.parse import parse_qs

from tests.sources.connectors.derive import Journey, journey_for
from tests.sources.connectors.standin import Asked, Reply, as_json

CREDENTIALS = {"client_id": "usps-key", "client_secret": "usps-secret"}
BAD_CREDENTIALS = {"client_id": "usps-key", "client_secret": "wrong"}
TOKEN = "usps-access-token"
OWN = "9400109104250532908587"
"""The number of USPS's recorded answer (samples/karrio_tracking.json)."""
NUMBERS = {
    "delivered": OWN,
    "in_transit": "9400109104250532908594",
    "exception": "9400111899223197428513",
    "not_found": "9400111899223197428520",
    "rate_limited": "9400111899223197428537",
    "malformed": "9400111899223197428544",
}
JOURNEYS = {
    "delivered": Journey("usps", "karrio_tracking.json", OWN, expect="Delivered_Other"),
    # the recorded answer as it stood at 2024-11-20 01:12 (before the regional facility)
    "in_transit": Journey("usps", "karrio_tracking.json", OWN, last="202411200112", expect="InTransit_Other"),
}
MISSING = {"exception": "no real USPS answer of a parcel in trouble"}


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
    journey = journey_for(number, NUMBERS, JOURNEYS)
    if journey is not None:
        return Reply(200, journey.body(number), "application/json")
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
