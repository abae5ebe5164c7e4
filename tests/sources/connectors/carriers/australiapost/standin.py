"""Australia Post Shipping and Tracking API, Track items (developers.auspost.com.au/apis/
shipping-and-tracking/reference/track-items): `GET /shipping/v1/track?tracking_ids=A,B` (up to
10) with HTTP Basic and `Account-Number`; events have a description and an ISO time with its
offset, and no code. Its
journeys are results of Australia Post's recorded answer (`samples/`); an unknown number is
answered as the recorded ESB-10001 result."""

from __future__ import annotations

import base64
import json
from typing import Any

from tests.sources.connectors.derive import Journey
from tests.sources.connectors.standin import Asked, Reply, as_json

CREDENTIALS = {"api_key": "ap-key", "password": "ap-password", "account_number": "1234567890"}
BAD_CREDENTIALS = {"api_key": "ap-key", "password": "wrong", "account_number": "1234567890"}
DELIVERED, CONSIGNMENT = "00123456789000123400", "ET123456789AU"
"""Two of the results of Australia Post's recorded answer (samples/karrio_tracking.json)."""
NUMBERS = {
    "delivered": DELIVERED,
    "in_transit": CONSIGNMENT,
    "exception": "7XX1000634011449",
    "not_found": "7XX1000634011450",
    "rate_limited": "7XX1000634011461",
    "malformed": "7XX1000634011472",
}
JOURNEYS = {
    "delivered": Journey("australiapost", "karrio_tracking.json", DELIVERED, expect="Delivered_Other"),
    "in_transit": Journey("australiapost", "karrio_tracking.json", CONSIGNMENT, expect="InTransit_Other"),
}
MISSING = {"exception": "no real Australia Post answer of an item in trouble"}


def _result(text: str, number: str) -> Any:
    """The answer's result for `number` (an answer holds one per number asked)."""
    return next(r for r in json.loads(text)["tracking_results"] if r["tracking_id"] == number)


def respond(asked: Asked) -> Reply:
    expected = base64.b64encode(f"{CREDENTIALS['api_key']}:{CREDENTIALS['password']}".encode()).decode()
    if asked.header("Authorization") != f"Basic {expected}":
        return as_json(
            401,
            {
                "errors": [
                    {
                        "code": "API_001",
                        "name": "Unauthorized",
                        "message": "The supplied credentials are not valid.",
                    }
                ]
            },
        )
    if asked.path != "/shipping/v1/track":
        return as_json(404, {"errors": [{"code": "404", "name": "Not Found"}]})
    numbers = asked.query.get("tracking_ids", [""])[0].split(",")
    if NUMBERS["rate_limited"] in numbers:
        return as_json(
            429,
            {
                "errors": [
                    {
                        "code": "API_002",
                        "name": "Too many requests",
                        "message": "Rate limit of 10 requests per minute exceeded.",
                    }
                ]
            },
        )
    if NUMBERS["malformed"] in numbers:
        return Reply(200, '{"tracking_results": [{"tracking_id": ', "application/json")
    results: list[dict[str, Any]] = []
    for number in numbers:
        scenario = next((s for s, n in NUMBERS.items() if n == number and s in JOURNEYS), None)
        if scenario is None:
            results.append(
                {"tracking_id": number, "errors": [{"code": "ESB-10001", "name": "Invalid tracking ID"}]}
            )
            continue
        results.append(_result(JOURNEYS[scenario].body(number), number))
    return as_json(200, {"tracking_results": results})
