"""Sendle API (developers.sendle.com, "Track a parcel"): `GET /api/tracking/{ref}` with HTTP
Basic auth (Sendle ID and API key), one parcel a call. The answer gives the parcel's `state`,
its scheduling dates and `tracking_events`, oldest first, each with `event_type`, a description,
a location (or origin and destination for a line haul) and its time twice: `scan_time` in UTC
and `local_scan_time` without an offset. Errors are `{"error", "error_description"}` with the
HTTP status: 401 for bad credentials, 404 for an unknown reference, 429 past the rate limit. Its journeys and
"not found" are Sendle's recorded answers (`samples/`), or derived from them."""

from __future__ import annotations

import base64

from tests.sources.connectors.corpus import BY_CARRIER_FILE
from tests.sources.connectors.derive import Journey, journey_for
from tests.sources.connectors.standin import Asked, Reply, as_json

CREDENTIALS = {"sendle_id": "sendle-shop", "api_key": "sendle-key"}
BAD_CREDENTIALS = {"sendle_id": "sendle-shop", "api_key": "revoked"}
TRACKING = "/api/tracking/"
OWN = "S34WER4S"
"""The reference karrio asked its recorded Sendle answer for (samples/karrio_tracking.json; the
answer does not repeat it)."""
NUMBERS = {
    "delivered": OWN,
    "in_transit": "SNTRN2",
    "exception": "SNEXC3",
    "not_found": "SNNOF4",
    "rate_limited": "SNRAT5",
    "malformed": "SNMAL6",
}
SAMPLE = "karrio_tracking.json"
JOURNEYS = {
    "delivered": Journey("sendle", SAMPLE, OWN, expect="Delivered_Other"),
    # as it stood at 2023-04-04 21:00 UTC: in transit from Teaneck, NJ
    "in_transit": Journey("sendle", SAMPLE, OWN, last="202304042100", expect="InTransit_Other"),
    # as it stood at the end of 2023-04-03: the pick-up was attempted, without success
    "exception": Journey("sendle", SAMPLE, OWN, last="20230403", expect="Exception_Other"),
}
MISSING: dict[str, str] = {}
NOT_FOUND = BY_CARRIER_FILE["sendle", "karrio_not_found.json"].local.read_text()
"""Sendle's recorded answer for a reference it does not know."""


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
    journey = journey_for(number, NUMBERS, JOURNEYS)
    if journey is None:
        return Reply(404, NOT_FOUND, "application/json")
    return Reply(200, journey.body(number), "application/json")
