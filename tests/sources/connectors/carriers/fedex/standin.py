"""FedEx Track API (developer.fedex.com/api/en-us/catalog/track): OAuth client credentials at
`POST /oauth/token`, then `POST /track/v1/trackingnumbers` with up to 30 numbers; a number
FedEx does not know comes back with its own `error` inside `trackResults`."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from tests.sources.connectors.standin import Asked, Reply, as_json

CREDENTIALS = {"track_api_key": "fedex-key", "track_secret_key": "fedex-secret"}
BAD_CREDENTIALS = {"track_api_key": "fedex-key", "track_secret_key": "wrong"}
TOKEN = "fedex-access-token"
NUMBERS = {
    "delivered": "794644790138",
    "in_transit": "794644790149",
    "exception": "794644790150",
    "not_found": "794644790161",
    "rate_limited": "794644790172",
    "malformed": "794644790183",
}


def _scan(
    date: str, kind: str, description: str, city: str, state: str, exception: str = ""
) -> dict[str, Any]:
    return {
        "date": date,
        "eventType": kind,
        "eventDescription": description,
        "exceptionCode": "",
        "exceptionDescription": exception,
        "scanLocation": {
            "city": city,
            "stateOrProvinceCode": state,
            "countryCode": "US",
            "postalCode": "38116",
            "residential": False,
        },
        "locationType": "FEDEX_FACILITY",
        "derivedStatusCode": kind,
        "derivedStatus": description,
    }


def _result(number: str, scans: list[dict[str, Any]], code: str, **extra: Any) -> dict[str, Any]:
    return {
        "trackingNumber": number,
        "trackResults": [
            {
                "trackingNumberInfo": {"trackingNumber": number, "carrierCode": "FDXE"},
                "latestStatusDetail": {
                    "code": code,
                    "derivedCode": code,
                    "description": scans[0]["eventDescription"],
                },
                "serviceDetail": {"type": "FEDEX_2_DAY", "description": "FedEx 2Day"},
                "shipmentDetails": {"weight": [{"unit": "KG", "value": "1.5"}]},
                "originLocation": {
                    "locationContactAndAddress": {
                        "address": {"city": "MEMPHIS", "countryCode": "US", "postalCode": "38116"}
                    }
                },
                "destinationLocation": {
                    "locationContactAndAddress": {
                        "address": {"city": "TORONTO", "countryCode": "CA", "postalCode": "M5V 2T6"}
                    }
                },
                "scanEvents": scans,
                **extra,
            }
        ],
    }


JOURNEYS = {
    "delivered": (
        [
            _scan("2026-11-20T13:45:00-05:00", "DL", "Delivered", "TORONTO", "ON"),
            _scan("2026-11-20T08:02:00-05:00", "OD", "On FedEx vehicle for delivery", "TORONTO", "ON"),
            _scan(
                "2026-11-19T17:20:00-05:00",
                "CC",
                "International shipment release - Import",
                "MISSISSAUGA",
                "ON",
            ),
            _scan("2026-11-19T06:40:00-05:00", "AR", "At local FedEx facility", "MISSISSAUGA", "ON"),
            _scan("2026-11-18T22:15:00-06:00", "DP", "Left FedEx origin facility", "MEMPHIS", "TN"),
            _scan("2026-11-18T16:00:00-06:00", "PU", "Picked up", "MEMPHIS", "TN"),
            _scan("2026-11-17T10:30:00-06:00", "OC", "Shipment information sent to FedEx", "", ""),
        ],
        "DL",
        {"deliveryDetails": {"receivedByName": "J.SMITH", "signedByName": "J.SMITH"}},
    ),
    "in_transit": (
        [
            _scan("2026-11-18T22:15:00-06:00", "DP", "Left FedEx origin facility", "MEMPHIS", "TN"),
            _scan("2026-11-18T16:00:00-06:00", "PU", "Picked up", "MEMPHIS", "TN"),
        ],
        "IT",
        {},
    ),
    "exception": (
        [
            _scan(
                "2026-11-20T11:00:00-05:00",
                "DE",
                "Delivery exception",
                "TORONTO",
                "ON",
                "Customer not available or business closed",
            ),
            _scan("2026-11-18T16:00:00-06:00", "PU", "Picked up", "MEMPHIS", "TN"),
        ],
        "DE",
        {},
    ),
}


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
        scenario = next((s for s, n in NUMBERS.items() if n == number and s in JOURNEYS), None)
        if scenario is None:
            results.append(
                {
                    "trackingNumber": number,
                    "trackResults": [
                        {
                            "trackingNumberInfo": {"trackingNumber": number},
                            "error": {
                                "code": "TRACKING.TRACKINGNUMBER.NOTFOUND",
                                "message": "Tracking number cannot be found. Please correct the tracking number and try again.",
                            },
                        }
                    ],
                }
            )
            continue
        scans, code, extra = JOURNEYS[scenario]
        results.append(_result(number, scans, code, **extra))
    return as_json(200, {"transactionId": "t-6", "output": {"completeTrackResults": results}})


EXPECTED: dict[str, dict[str, Any]] = {
    "delivered": {
        "sub_status": "Delivered_Other",
        "events": 7,
        "latest_time_iso": "2026-11-20T13:45:00-05:00",
        "latest_timezone": "-05:00",
        "sub_statuses": [
            "InfoReceived",
            "InTransit_PickedUp",
            "InTransit_Departure",
            "InTransit_Arrival",
            "InTransit_CustomsReleased",
            "OutForDelivery_Other",
            "Delivered_Other",
        ],
        "codes": ["DL", "OD", "CC", "AR", "DP", "PU", "OC"],
        "signed_by": "J.SMITH",
        "weight_kg": "1.5",
        "countries": ("US", "CA"),
    },
    "in_transit": {"sub_status": "InTransit_Departure"},
    "exception": {"sub_status": "DeliveryFailure_NoBody"},
}
