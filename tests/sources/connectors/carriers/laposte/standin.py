"""La Poste Suivi v2 (developer.laposte.fr/products/suivi/latest): `GET /idships/{ids}?lang=`
with `X-Okapi-Key`, up to 10 comma-separated identifiers (an array answers several, an object
one); each shipment carries `returnCode`, events have a code, a label and a time with offset. Its journeys are
La Poste's recorded answer (`samples/`) or derived from it; its "unknown number" (104) follows
La Poste's documentation."""

from __future__ import annotations

import json
from typing import Any

from tests.sources.connectors.derive import Journey
from tests.sources.connectors.standin import Asked, Reply, as_json

CREDENTIALS = {"api_key": "okapi-key"}
BAD_CREDENTIALS = {"api_key": "revoked"}
OWN = "EW112720413FR"
"""The number of La Poste's recorded answer (samples/karrio_tracking.json, an array of one)."""
NUMBERS = {
    "delivered": OWN,
    "in_transit": "6A12345678912",
    "exception": "6A12345678923",
    "not_found": "6A12345678934",
    "rate_limited": "6A12345678945",
    "malformed": "6A12345678956",
}
JOURNEYS = {
    "delivered": Journey("laposte", "karrio_tracking.json", OWN, expect="Delivered_Other"),
    # as it stood at the end of 2023-02-22: arrived in the addressee's country
    "in_transit": Journey(
        "laposte", "karrio_tracking.json", OWN, last="20230222", expect="InTransit_Arrival"
    ),
}
MISSING = {"exception": "no real La Poste answer of a parcel in trouble"}


def respond(asked: Asked) -> Reply:
    if asked.header("X-Okapi-Key") != CREDENTIALS["api_key"]:
        return as_json(401, {"code": "UNAUTHORIZED", "message": "The request requires user authentication"})
    if not asked.path.startswith("/idships/"):
        return as_json(404, {"code": "RESOURCE_NOT_FOUND", "message": "Resource not found"})
    numbers = asked.path.rsplit("/", 1)[-1].split(",")
    if NUMBERS["rate_limited"] in numbers:
        return as_json(429, {"code": "TOO_MANY_REQUESTS", "message": "Too many requests"})
    if NUMBERS["malformed"] in numbers:
        return Reply(200, '{"lang": "fr_FR", "shipment": {"idShip": ', "application/json")
    answers: list[dict[str, Any]] = []
    for number in numbers:
        scenario = next((s for s, n in NUMBERS.items() if n == number and s in JOURNEYS), None)
        if scenario is None:
            answers.append(
                {
                    "lang": "fr_FR",
                    "scope": "open",
                    "returnCode": 104,
                    "idShip": number,
                    "returnMessage": "Numéro invalide ou inconnu",
                }
            )
        else:
            answers.append(json.loads(JOURNEYS[scenario].body(number))[0])
    if len(answers) == 1:
        return as_json(200 if answers[0]["returnCode"] == 200 else 404, answers[0])
    return as_json(207, answers)
