"""DHL Shipment Tracking - Unified API (developer.dhl.com/api-reference/shipment-tracking):
`GET /track/shipments?trackingNumber=...` with the `DHL-API-Key` header; problems are
RFC 7807 bodies (`title`, `status`, `detail`). Its journeys are DHL's published example
(`samples/`) or derived from it, its "not found" DHL's recorded answer."""

from __future__ import annotations

from tests.sources.connectors.corpus import BY_CARRIER_FILE
from tests.sources.connectors.derive import Journey, journey_for
from tests.sources.connectors.standin import Asked, Reply, as_json

CREDENTIALS = {"consumer_key": "dhl-key", "consumer_secret": "dhl-secret"}
BAD_CREDENTIALS = {"consumer_key": "revoked-key", "consumer_secret": "dhl-secret"}
OWN = "7777777770"
"""The number of DHL's published example (samples/karrio_tracking.json)."""
NUMBERS = {
    "delivered": "00340434292135100186",
    "in_transit": OWN,
    "exception": "JJD000390007786212",
    "not_found": "00340434292135100999",
    "rate_limited": "7777777777",
    "malformed": "8888888888",
}
SAMPLE = "karrio_tracking.json"
JOURNEYS = {
    "in_transit": Journey("dhl_universal", SAMPLE, OWN, expect="InfoReceived"),
    # the example's statusCode changed to another of the five DHL documents (developer.dhl.com;
    # DHL's status list, karrio mydhl/vendors/status_1.csv: express 101 delivered, 103 failure);
    # its `status` already reads DELIVERED
    "delivered": Journey(
        "dhl_universal",
        SAMPLE,
        OWN,
        expect="Delivered_Other",
        changed=(('"statusCode": "pre-transit"', '"statusCode": "delivered"'),),
    ),
    "exception": Journey(
        "dhl_universal",
        SAMPLE,
        OWN,
        expect="DeliveryFailure_Other",
        changed=(('"statusCode": "pre-transit"', '"statusCode": "failure"'), ('"DELIVERED"', '"FAILURE"')),
    ),
}
MISSING: dict[str, str] = {}
NOT_FOUND = BY_CARRIER_FILE["dhl_universal", "karrio_not_found.json"].local.read_text()
"""DHL's recorded problem answer for a number it has no shipment for (with HTTP 404)."""


def respond(asked: Asked) -> Reply:
    if asked.path != "/track/shipments":
        return as_json(404, {"title": "Not Found", "status": 404, "detail": "Unknown resource."})
    if asked.header("DHL-API-Key") != CREDENTIALS["consumer_key"]:
        return as_json(
            401, {"title": "Unauthorized", "status": 401, "detail": "Unauthorized for given resource."}
        )
    number = asked.query.get("trackingNumber", [""])[0]
    if number == NUMBERS["rate_limited"]:
        return as_json(
            429,
            {"title": "Too many requests", "status": 429, "detail": "Too many requests."},
            **{"Retry-After": "30"},
        )
    if number == NUMBERS["malformed"]:
        return Reply(200, '{"shipments": [{"id": ', "application/json")
    journey = journey_for(number, NUMBERS, JOURNEYS)
    if journey is not None:
        return Reply(200, journey.body(number), "application/json")
    return Reply(404, NOT_FOUND, "application/problem+json")
