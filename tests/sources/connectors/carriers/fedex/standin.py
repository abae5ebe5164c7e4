"""FedEx Track API (developer.fedex.com/api/en-us/catalog/track): OAuth client credentials at
`POST /oauth/token`, then `POST /track/v1/trackingnumbers` with up to 30 numbers; a number
FedEx does not know comes back with its own `error` inside `trackResults`. Its journeys and
that error are FedEx's own answers (`samples/`), or derived from them."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs

from tests.sources.connectors.corpus import BY_CARRIER_FILE
from tests.sources.connectors.derive import Journey, journey_for
from tests.sources.connectors.standin import Asked, Reply, as_json

CREDENTIALS = {"track_api_key": "fedex-key", "track_secret_key": "fedex-secret"}
BAD_CREDENTIALS = {"track_api_key": "fedex-key", "track_secret_key": "wrong"}
TOKEN = "fedex-access-token"
GROUND, REDIRECTED = "738488882438", "776094337676"
"""The numbers of two recorded FedEx answers (samples/karrio_ground_delivered.json,
samples/karrio_delivered_after_failed_attempt.json)."""
NUMBERS = {
    "delivered": GROUND,
    "in_transit": "794644790149",
    "exception": REDIRECTED,
    "not_found": "794644790161",
    "rate_limited": "794644790172",
    "malformed": "794644790183",
}
JOURNEYS = {
    "delivered": Journey("fedex", "karrio_ground_delivered.json", GROUND, expect="Delivered_Other"),
    # as it stood at the end of 2024-08-19, arrived at FedEx's Keasbey location
    "in_transit": Journey(
        "fedex", "karrio_ground_delivered.json", GROUND, last="20240819", expect="InTransit_Arrival"
    ),
    # as it stood at 2024-04-25 11:28: FedEx redirected it after no one was there
    "exception": Journey(
        "fedex",
        "karrio_delivered_after_failed_attempt.json",
        REDIRECTED,
        last="202404251128",
        expect="DeliveryFailure_Other",
    ),
}
MISSING: dict[str, str] = {}
UNKNOWN = "39936862321"
"""The number FedEx's published example answers TRACKING.TRACKINGNUMBER.NOTFOUND for."""


def _record(text: str, number: str) -> Any:
    """The answer's record of `number` (an answer holds one per number asked)."""
    records = json.loads(text)["output"]["completeTrackResults"]
    return next(record for record in records if record["trackingNumber"] == number)


def _not_found(number: str) -> Any:
    text = BY_CARRIER_FILE["fedex", "karrio_tracking.json"].local.read_text()
    return json.loads(json.dumps(_record(text, UNKNOWN)).replace(UNKNOWN, number))


def respond(asked: Asked) -> Reply:
    if asked.path == "/oauth/token":
        form = {k: v[0] for k, v in parse_qs(asked.body.decode()).items()}
        if (form.get("client_id"), form.get("client_secret")) != (
            CREDENTIALS["track_api_key"],
            CREDENTIALS["track_secret_key"],
        ):
            return as_json(
                401,
                {
                    "transactionId": "t-1",
                    "errors": [
                        {
                            "code": "NOT.AUTHORIZED.ERROR",
                            "message": "The given client credentials were not valid. Please modify your request and try again.",
                        }
                    ],
                },
            )
        return as_json(
            200, {"access_token": TOKEN, "token_type": "bearer", "expires_in": 3599, "scope": "CXS"}
        )
    if asked.path != "/track/v1/trackingnumbers":
        return as_json(
            404,
            {
                "transactionId": "t-2",
                "errors": [
                    {
                        "code": "NOT.FOUND.ERROR",
                        "message": "The resource you requested is no longer available.",
                    }
                ],
            },
        )
    if asked.header("Authorization") != f"Bearer {TOKEN}":
        return as_json(
            401,
            {
                "transactionId": "t-3",
                "errors": [
                    {
                        "code": "NOT.AUTHORIZED.ERROR",
                        "message": "Access token expired. Please modify your request and try again.",
                    }
                ],
            },
        )
    numbers = [info["trackingNumberInfo"]["trackingNumber"] for info in asked.json()["trackingInfo"]]
    if NUMBERS["rate_limited"] in numbers:
        return as_json(
            429,
            {
                "transactionId": "t-4",
                "errors": [
                    {
                        "code": "RATE.LIMIT.EXCEEDED",
                        "message": "We have received too many requests in a short duration. Please wait a while to try again.",
                    }
                ],
            },
        )
    if NUMBERS["malformed"] in numbers:
        return Reply(200, '{"transactionId": "t-5", "output": {"completeTrackResults": [', "application/json")
    results = []
    for number in numbers:
        journey = journey_for(number, NUMBERS, JOURNEYS)
        results.append(_not_found(number) if journey is None else _record(journey.body(number), number))
    return as_json(200, {"transactionId": "t-6", "output": {"completeTrackResults": results}})
