"""UPS Tracking API (developer.ups.com/api/reference/tracking): OAuth client credentials at
`POST /security/v1/oauth/token` (HTTP Basic), then `GET /api/track/v1/details/{inquiryNumber}`
with the bearer token; errors are `{"response": {"errors": [{"code", "message"}]}}`."""

from __future__ import annotations

import base64
from typing import Any

from tests.sources.connectors.standin import Asked, Reply, as_json

CREDENTIALS = {"client_id": "ups-client", "client_secret": "ups-secret"}
BAD_CREDENTIALS = {"client_id": "ups-client", "client_secret": "expired"}
TOKEN = "ups-access-token"
NUMBERS = {
    "delivered": "1Z999AA10123456784",
    "in_transit": "1Z999AA10123456795",
    "exception": "1Z999AA10123456806",
    "not_found": "1Z999AA10123456817",
    "rate_limited": "1Z999AA10123456828",
    "malformed": "1Z999AA10123456839",
}


def _activity(
    date: str, time: str, offset: str, kind: str, code: str, description: str, city: str, state: str
) -> dict[str, Any]:
    return {
        "location": {"address": {"city": city, "stateProvince": state, "countryCode": "US", "country": "US"}},
        "status": {"type": kind, "description": description, "code": code, "statusCode": "000"},
        "date": date,
        "time": time,
        "gmtDate": date,
        "gmtOffset": offset,
        "gmtTime": "00:00:00",
    }


def _shipment(
    number: str, activity: list[dict[str, Any]], delivery_dates: list[dict[str, str]], **package: Any
) -> dict[str, Any]:
    return {
        "trackResponse": {
            "shipment": [
                {
                    "inquiryNumber": number,
                    "package": [
                        {
                            "trackingNumber": number,
                            "deliveryDate": delivery_dates,
                            "activity": activity,
                            "currentStatus": {
                                "description": activity[0]["status"]["description"],
                                "code": "000",
                            },
                            "packageAddress": [
                                {
                                    "type": "ORIGIN",
                                    "name": "ACME",
                                    "address": {
                                        "city": "ATLANTA",
                                        "stateProvince": "GA",
                                        "countryCode": "US",
                                        "country": "US",
                                        "postalCode": "30301",
                                    },
                                },
                                {
                                    "type": "DESTINATION",
                                    "name": "J DOE",
                                    "attentionName": "J DOE",
                                    "address": {
                                        "city": "NEW YORK",
                                        "stateProvince": "NY",
                                        "countryCode": "US",
                                        "country": "US",
                                        "postalCode": "10001",
                                    },
                                },
                            ],
                            "weight": {"unitOfMeasurement": "LBS", "weight": "5.00"},
                            "service": {"code": "003", "description": "UPS Ground"},
                            **package,
                        }
                    ],
                }
            ]
        }
    }


JOURNEYS = {
    "delivered": (
        [
            _activity("20261120", "134500", "-05:00", "D", "KB", "DELIVERED", "NEW YORK", "NY"),
            _activity("20261120", "081000", "-05:00", "I", "OT", "Out For Delivery Today", "NEW YORK", "NY"),
            _activity("20261119", "051500", "-05:00", "I", "AR", "Arrived at Facility", "SECAUCUS", "NJ"),
            _activity("20261118", "221200", "-05:00", "I", "DP", "Departed from Facility", "ATLANTA", "GA"),
            _activity("20261118", "170300", "-05:00", "I", "OR", "Origin Scan", "ATLANTA", "GA"),
            _activity(
                "20261117",
                "094500",
                "-05:00",
                "M",
                "MP",
                "Shipper created a label, UPS has not received the package yet.",
                "",
                "",
            ),
        ],
        [{"type": "DEL", "date": "20261120"}],
        {"deliveryInformation": {"receivedBy": "DOE"}},
    ),
    "in_transit": (
        [
            _activity("20261119", "051500", "-05:00", "I", "AR", "Arrived at Facility", "SECAUCUS", "NJ"),
            _activity("20261118", "170300", "-05:00", "I", "OR", "Origin Scan", "ATLANTA", "GA"),
        ],
        [{"type": "SDD", "date": "20261121"}],
        {},
    ),
    "exception": (
        [
            _activity(
                "20261120",
                "143000",
                "-05:00",
                "X",
                "NH",
                "The receiver was not available for delivery. We'll make a second attempt the next business day.",
                "NEW YORK",
                "NY",
            ),
            _activity("20261118", "170300", "-05:00", "I", "OR", "Origin Scan", "ATLANTA", "GA"),
        ],
        [{"type": "SDD", "date": "20261123"}],
        {},
    ),
}


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
    for scenario, (activity, dates, package) in JOURNEYS.items():
        if number == NUMBERS[scenario]:
            return as_json(200, _shipment(number, activity, dates, **package))
    return _error(404, "TW0001", "Tracking Information Not Found")


EXPECTED: dict[str, dict[str, Any]] = {
    "delivered": {
        "sub_status": "Delivered_Other",
        "events": 6,
        "latest_time_iso": "2026-11-20T13:45:00-05:00",
        "latest_timezone": "-05:00",
        "sub_statuses": [
            "InfoReceived",
            "InTransit_PickedUp",
            "InTransit_Departure",
            "InTransit_Arrival",
            "OutForDelivery_Other",
            "Delivered_Other",
        ],
        "codes": ["KB", "OT", "AR", "DP", "OR", "MP"],
        "signed_by": "DOE",
        "weight_kg": "2.268",
        "countries": ("US", "US"),
    },
    "in_transit": {"sub_status": "InTransit_Arrival"},
    "exception": {"sub_status": "DeliveryFailure_NoBody"},
}
