"""DHL Shipment Tracking - Unified API (developer.dhl.com/api-reference/shipment-tracking):
`GET /track/shipments?trackingNumber=...` with the `DHL-API-Key` header; problems are
RFC 7807 bodies (`title`, `status`, `detail`)."""

from __future__ import annotations

from typing import Any

from tests.sources.connectors.standin import Asked, Reply, as_json

CREDENTIALS = {"consumer_key": "dhl-key", "consumer_secret": "dhl-secret"}
BAD_CREDENTIALS = {"consumer_key": "revoked-key", "consumer_secret": "dhl-secret"}
NUMBERS = {
    "delivered": "00340434292135100186",
    "in_transit": "1234567890",
    "exception": "JJD000390007786212",
    "not_found": "00340434292135100999",
    "rate_limited": "7777777777",
    "malformed": "8888888888",
}


def _event(timestamp: str, code: str, status: str, description: str, city: str) -> dict[str, Any]:
    return {
        "timestamp": timestamp,
        "location": {"address": {"addressLocality": city}},
        "statusCode": code,
        "status": status,
        "description": description,
    }


def _shipment(number: str, events: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {
        "shipments": [
            {
                "id": number,
                "service": "parcel-de",
                "origin": {
                    "address": {"countryCode": "DE", "postalCode": "53113", "addressLocality": "Bonn"}
                },
                "destination": {
                    "address": {"countryCode": "AT", "postalCode": "1010", "addressLocality": "Wien"}
                },
                "status": events[0],
                "details": {
                    "product": {"productName": "DHL PAKET International"},
                    "weight": {"value": 2.4, "unitText": "kg"},
                    **extra.pop("details", {}),
                },
                "events": events,
                **extra,
            }
        ]
    }


JOURNEYS = {
    "delivered": [
        _event(
            "2026-11-20T14:05:00+01:00", "delivered", "DELIVERED", "The shipment has been delivered.", "Wien"
        ),
        _event(
            "2026-11-20T08:12:00+01:00",
            "transit",
            "OUT FOR DELIVERY",
            "The shipment is out for delivery.",
            "Wien",
        ),
        _event(
            "2026-11-18T22:40:00+01:00", "transit", "IN TRANSIT", "Departed from the parcel center.", "Bonn"
        ),
        _event(
            "2026-11-18T16:01:00+01:00", "transit", "PICKED UP", "The shipment has been picked up.", "Bonn"
        ),
        _event(
            "2026-11-17T09:30:00+01:00",
            "pre-transit",
            "PRE-TRANSIT",
            "The shipment information was electronically announced.",
            "Bonn",
        ),
    ],
    "in_transit": [
        _event(
            "2026-11-19T06:30:00+01:00",
            "transit",
            "ARRIVED",
            "Arrived at the delivery parcel center.",
            "Wien",
        ),
        _event("2026-11-18T16:01:00", "transit", "PICKED UP", "The shipment has been picked up.", "Bonn"),
    ],
    "exception": [
        _event(
            "2026-11-21T11:00:00+01:00",
            "failure",
            "NOT DELIVERED",
            "The shipment could not be delivered: the recipient was not present.",
            "Wien",
        ),
        _event(
            "2026-11-18T16:01:00+01:00", "transit", "PICKED UP", "The shipment has been picked up.", "Bonn"
        ),
    ],
}


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
    for scenario, events in JOURNEYS.items():
        if number == NUMBERS[scenario]:
            extra: dict[str, Any] = {}
            if scenario == "delivered":
                extra = {
                    "details": {"proofOfDelivery": {"signed": {"name": "M. Muster"}}},
                    "estimatedTimeOfDelivery": "2026-11-20T18:00:00+01:00",
                }
            return as_json(200, _shipment(number, events, **extra))
    return as_json(
        404,
        {
            "title": "No result found",
            "status": 404,
            "detail": "No shipment with given tracking number found.",
        },
    )


EXPECTED: dict[str, dict[str, Any]] = {
    "delivered": {
        "sub_status": "Delivered_Other",
        "events": 5,
        "latest_time_iso": "2026-11-20T14:05:00+01:00",
        "latest_timezone": "+01:00",
        "sub_statuses": [
            "InfoReceived",
            "InTransit_PickedUp",
            "InTransit_Departure",
            "OutForDelivery_Other",
            "Delivered_Other",
        ],
        "codes": ["delivered", "transit", "transit", "transit", "pre-transit"],
        "signed_by": "M. Muster",
        "weight_kg": "2.4",
        "countries": ("DE", "AT"),
    },
    "in_transit": {"sub_status": "InTransit_Arrival"},
    "exception": {"sub_status": "DeliveryFailure_Other"},
}
