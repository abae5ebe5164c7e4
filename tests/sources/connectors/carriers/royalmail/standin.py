"""Royal Mail Tracking API v2 (developer.royalmail.net): `GET /mailpieces/v2/{mailPieceId}/events`
with `X-IBM-Client-Id`, `X-IBM-Client-Secret` and `X-Accept-RMG-Terms: yes`; errors are
`{httpCode, httpMessage, moreInformation, errors}`. Its journey is
Royal Mail's recorded answer (`samples/`); karrio no longer develops its Royal Mail module."""

from __future__ import annotations

from tests.sources.connectors.derive import Journey, journey_for
from tests.sources.connectors.standin import Asked, Reply, as_json

CREDENTIALS = {"client_id": "rm-client", "client_secret": "rm-secret"}
BAD_CREDENTIALS = {"client_id": "rm-client", "client_secret": "wrong"}
OWN = "FQ087430672GB"
"""The barcode of Royal Mail's recorded answer (samples/karrio_tracking.json)."""
NUMBERS = {
    "delivered": "QF123456785GB",
    "in_transit": OWN,
    "exception": "QF123456802GB",
    "not_found": "QF123456816GB",
    "rate_limited": "QF123456820GB",
    "malformed": "QF123456833GB",
}
JOURNEYS = {"in_transit": Journey("royalmail", "karrio_tracking.json", OWN, expect="InTransit_Other")}
MISSING = {
    "delivered": "no real Royal Mail answer of a delivered item",
    "exception": "no real Royal Mail answer of an item in trouble",
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
    journey = journey_for(number, NUMBERS, JOURNEYS)
    if journey is not None:
        return Reply(200, journey.body(number), "application/json")
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
