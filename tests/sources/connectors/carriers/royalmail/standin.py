"""Royal Mail Tracking API v2 (developer.royalmail.net): `GET /mailpieces/v2/{mailPieceId}/events`
with `X-IBM-Client-Id`, `X-IBM-Client-Secret` and `X-Accept-RMG-Terms: yes`; errors are
`{httpCode, httpMessage, moreInformation, errors}`."""

from __future__ import annotations

from typing import Any

from tests.sources.connectors.standin import Asked, Reply, as_json

CREDENTIALS = {"client_id": "rm-client", "client_secret": "rm-secret"}
BAD_CREDENTIALS = {"client_id": "rm-client", "client_secret": "wrong"}
NUMBERS = {
    "delivered": "QF123456785GB",
    "in_transit": "QF123456799GB",
    "exception": "QF123456802GB",
    "not_found": "QF123456816GB",
    "rate_limited": "QF123456820GB",
    "malformed": "QF123456833GB",
}


def _event(code: str, name: str, when: str, location: str) -> dict[str, str]:
    return {"eventCode": code, "eventName": name, "eventDateTime": when, "locationName": location}


# EVNMI's name is the one of karrio's recorded answer (samples/karrio_tracking.json);
# the other codes and names are not from a real answer (a stand-in written earlier).
JOURNEYS = {
    "delivered": [
        _event("EVKSP", "Delivered", "2026-11-20T13:45:00+00:00", "Stafford DO"),
        _event("EVODO", "Out for delivery", "2026-11-20T07:05:00+00:00", "Stafford DO"),
        _event("EVDAC", "Item received at delivery office", "2026-11-20T05:40:00+00:00", "Stafford DO"),
        _event("EVNMI", "Forwarded - Mis-sort", "2026-11-18T17:20:00+00:00", "Birmingham Mail Centre"),
        _event("EVPPA", "Sender despatching item", "2026-11-17T10:00:00+00:00", ""),
    ],
    "in_transit": [
        _event("EVDAC", "Item received at delivery office", "2026-11-20T05:40:00+00:00", "Stafford DO"),
        _event("EVNMI", "Forwarded - Mis-sort", "2026-11-18T17:20:00+00:00", "Birmingham Mail Centre"),
    ],
    "exception": [
        _event("RSRXS", "Sorry we missed you", "2026-11-20T12:10:00+00:00", "Stafford DO"),
        _event("EVNMI", "Forwarded - Mis-sort", "2026-11-18T17:20:00+00:00", "Birmingham Mail Centre"),
    ],
}


def _mail_piece(number: str, events: list[dict[str, str]]) -> dict[str, Any]:
    return {
        "mailPieces": {
            "mailPieceId": number,
            "carrierShortName": "RM",
            "carrierFullName": "Royal Mail Group Ltd",
            "summary": {
                "uniqueItemId": "090367574000000FE1E1B",
                "oneDBarcode": number,
                "productId": "SD2",
                "productName": "Royal Mail Tracked 24",
                "productCategory": "NON-INTERNATIONAL",
                "destinationCountryCode": "GBR",
                "originCountryCode": "GBR",
                "lastEventCode": events[0]["eventCode"],
                "lastEventName": events[0]["eventName"],
                "lastEventDateTime": events[0]["eventDateTime"],
                "lastEventLocationName": events[0]["locationName"],
                "statusCategory": "IN TRANSIT",
            },
            "estimatedDelivery": {
                "date": "2026-11-20",
                "startOfEstimatedWindow": "08:00:00+00:00",
                "endOfEstimatedWindow": "17:00:00+00:00",
            },
            "events": events,
        }
    }


def _error(status: int, message: str, information: str, errors: list[dict[str, str]] | None = None) -> Reply:
    return as_json(
        status,
        {"httpCode": status, "httpMessage": message, "moreInformation": information, "errors": errors or []},
    )


def respond(asked: Asked) -> Reply:
    if (asked.header("X-IBM-Client-Id"), asked.header("X-IBM-Client-Secret")) != (
        CREDENTIALS["client_id"],
        CREDENTIALS["client_secret"],
    ):
        return _error(401, "Unauthorized", "Client id not registered or the secret does not match.")
    parts = asked.path.strip("/").split("/")
    if parts[:2] != ["mailpieces", "v2"] or len(parts) != 4 or parts[3] != "events":
        return _error(404, "Not Found", "No resources match the requested URI")
    number = parts[2]
    if number == NUMBERS["rate_limited"]:
        return _error(429, "Too Many Requests", "Rate Limit exceeded")
    if number == NUMBERS["malformed"]:
        return Reply(200, '{"mailPieces": {"mailPieceId": ', "application/json")
    for scenario, events in JOURNEYS.items():
        if number == NUMBERS[scenario]:
            return as_json(200, _mail_piece(number, events))
    return _error(
        404,
        "Not Found",
        "Mailpiece not found",
        [
            {
                "errorCode": "E1142",
                "errorDescription": "Tracking number not recognised",
                "errorCause": "",
                "errorResolution": "",
            }
        ],
    )


EXPECTED: dict[str, dict[str, Any]] = {
    "delivered": {
        "sub_status": "Delivered_Other",
        "events": 5,
        "latest_time_iso": "2026-11-20T13:45:00+00:00",
        "latest_timezone": "+00:00",
        "sub_statuses": [
            "InfoReceived",
            "InTransit_Other",
            "InTransit_Arrival",
            "OutForDelivery_Other",
            "Delivered_Other",
        ],
        "codes": ["EVKSP", "EVODO", "EVDAC", "EVNMI", "EVPPA"],
    },
    "in_transit": {"sub_status": "InTransit_Arrival"},
    "exception": {"sub_status": "DeliveryFailure_NoBody"},
}
