"""La Poste Suivi v2 (developer.laposte.fr/products/suivi/latest): `GET /idships/{ids}?lang=`
with `X-Okapi-Key`, up to 10 comma-separated identifiers (an array answers several, an object
one); each shipment carries `returnCode`, events have a code, a label and a time with offset."""

from __future__ import annotations

from typing import Any

from tests.sources.connectors.standin import Asked, Reply, as_json

CREDENTIALS = {"api_key": "okapi-key"}
BAD_CREDENTIALS = {"api_key": "revoked"}
NUMBERS = {
    "delivered": "6A12345678901",
    "in_transit": "6A12345678912",
    "exception": "6A12345678923",
    "not_found": "6A12345678934",
    "rate_limited": "6A12345678945",
    "malformed": "6A12345678956",
}


def _event(code: str, label: str, date: str) -> dict[str, str]:
    return {"code": code, "label": label, "date": date}


JOURNEYS = {
    "delivered": (
        True,
        [
            _event("DI1", "Votre colis est livré.", "2026-11-20T13:45:00+01:00"),
            _event("MD2", "Votre colis est en cours de livraison.", "2026-11-20T08:30:00+01:00"),
            _event("ET1", "Votre colis est en cours d'acheminement.", "2026-11-19T02:12:00+01:00"),
            _event("PC1", "Votre colis a été pris en charge par La Poste.", "2026-11-18T17:05:00+01:00"),
            _event(
                "DR1",
                "Votre colis est prêt à être expédié, il va être remis à La Poste.",
                "2026-11-17T10:00:00+01:00",
            ),
        ],
    ),
    "in_transit": (
        False,
        [
            _event("ET1", "Votre colis est en cours d'acheminement.", "2026-11-19T02:12:00+01:00"),
            _event("PC1", "Votre colis a été pris en charge par La Poste.", "2026-11-18T17:05:00+01:00"),
        ],
    ),
    "exception": (
        False,
        [
            _event(
                "ND1",
                "Votre colis ne peut pas être distribué : adresse incomplète.",
                "2026-11-20T11:20:00+01:00",
            ),
            _event("PC1", "Votre colis a été pris en charge par La Poste.", "2026-11-18T17:05:00+01:00"),
        ],
    ),
}


def _found(number: str, final: bool, events: list[dict[str, str]]) -> dict[str, Any]:
    return {
        "lang": "fr_FR",
        "scope": "open",
        "returnCode": 200,
        "shipment": {
            "idShip": number,
            "holder": 4,
            "product": "Colissimo",
            "isFinal": final,
            "entryDate": "2026-11-17T10:00:00+01:00",
            "deliveryDate": events[0]["date"] if final else None,
            "event": events,
            "contextData": {
                "deliveryChoice": {"deliveryChoice": 0},
                "originCountry": "FR",
                "arrivalCountry": "FR",
            },
            "url": f"https://www.laposte.fr/outils/suivre-vos-envois?code={number}",
        },
    }


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
            final, events = JOURNEYS[scenario]
            answers.append(_found(number, final, events))
    if len(answers) == 1:
        return as_json(200 if answers[0]["returnCode"] == 200 else 404, answers[0])
    return as_json(207, answers)


EXPECTED: dict[str, dict[str, Any]] = {
    "delivered": {
        "sub_status": "Delivered_Other",
        "events": 5,
        "latest_time_iso": "2026-11-20T13:45:00+01:00",
        "latest_timezone": "+01:00",
        "sub_statuses": [
            "InfoReceived",
            "InTransit_PickedUp",
            "InTransit_Other",
            "OutForDelivery_Other",
            "Delivered_Other",
        ],
        "codes": ["DI1", "MD2", "ET1", "PC1", "DR1"],
        "countries": ("FR", "FR"),
    },
    "in_transit": {"sub_status": "InTransit_Other"},
    "exception": {"sub_status": "DeliveryFailure_Other"},
}
