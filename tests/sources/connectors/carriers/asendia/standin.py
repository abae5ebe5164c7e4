"""Asendia Sync API (asendia-sync.com): `POST /api/authenticate` with the username and password
gives a JWT (`id_token`), then `GET /api/customers/{customerId}/tracking/{trackingNumber}` with
it as a bearer token, one parcel a call.

A tracking answer gives the number and its `trackingEvents`: an event code, the time in UTC
(`...Z`), the carrier's description, the location's name and country. Errors are RFC 7807
problem documents (`type`, `title`, `status`, `detail`) with the HTTP status: 401 for a refused
sign-in or token, 404 for an unknown parcel. parceltrace maps Asendia's events by their
descriptions; the codes are kept raw beside each event. Its journeys
and "not found" are Asendia's recorded answers (`samples/`), or derived from them."""

from __future__ import annotations

from tests.sources.connectors.corpus import BY_CARRIER_FILE
from tests.sources.connectors.derive import Journey, journey_for
from tests.sources.connectors.standin import Asked, Reply, as_json

CREDENTIALS = {"username": "shop@example.com", "password": "asendia-password", "customer_id": "C1234"}
BAD_CREDENTIALS = {"username": "shop@example.com", "password": "expired", "customer_id": "C1234"}
TOKEN = "asendia-jwt"
TRACKING = f"/api/customers/{CREDENTIALS['customer_id']}/tracking/"
OWN = "ASENDIA123456789"
"""The number of Asendia's recorded answer (samples/karrio_tracking.json)."""
NUMBERS = {
    "delivered": OWN,
    "in_transit": "RR123456799FR",
    "exception": "RR123456802FR",
    "not_found": "RR123456816FR",
    "rate_limited": "RR123456820FR",
    "malformed": "RR123456833FR",
}
JOURNEYS = {
    "delivered": Journey("asendia", "karrio_tracking.json", OWN, expect="Delivered_Other"),
    # as it stood at the end of 2024-04-13: in transit from Zurich Airport
    "in_transit": Journey("asendia", "karrio_tracking.json", OWN, last="20240413", expect="InTransit_Other"),
}
MISSING = {"exception": "no real Asendia answer of a parcel in trouble"}
NOT_FOUND = BY_CARRIER_FILE["asendia", "karrio_not_found.json"].local.read_text()
"""Asendia's recorded problem answer for an unknown parcel (HTTP 404)."""


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
    journey = journey_for(number, NUMBERS, JOURNEYS)
    if journey is None:
        return Reply(404, NOT_FOUND, "application/problem+json")
    return Reply(200, journey.body(number), "application/json")
