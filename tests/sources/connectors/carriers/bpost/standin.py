"""bpost Shipping Manager tracking (api.parcel.bpost.cloud, `trackedmail`): `GET
/services/trackedmail/item/{itemCode}/trackingInfo` with HTTP Basic auth (account ID and
passphrase), one item a call, at a fixed address karrio does not let settings change (so the
test's `--base-url` reaches it through parceltrace's transport).

The answer is an `itemTracking` document: the item code, sender and addressee with their
countries, the item's weight in grams and its `stateInfo` list, newest first, each with a time
carrying its offset, a state code and a description. Errors are `businessException` documents
(an integer code, as bpost's schema has it, and a message) with the HTTP status: 401 for refused
credentials, 404 for an unknown item."""

from __future__ import annotations

import base64
from typing import Any
from xml.sax.saxutils import escape

from tests.sources.connectors.standin import Asked, Reply

CREDENTIALS = {"account_id": "107423", "passphrase": "bpost-passphrase"}
BAD_CREDENTIALS = {"account_id": "107423", "passphrase": "expired"}
TRACKING = "/services/trackedmail/item/"
XML = "application/xml"
NUMBERS = {
    "delivered": "323299901059912015013031",
    "in_transit": "323299901059912015013042",
    "exception": "323299901059912015013053",
    "not_found": "323299901059912015013064",
    "rate_limited": "323299901059912015013075",
    "malformed": "323299901059912015013086",
}

State = tuple[str, str, str, str]
"""(time with offset, state code, description, location)."""

ANNOUNCED: State = ("2026-11-17T16:02:00+01:00", "L00", "The item has been announced by the sender.", "")
HANDED_IN: State = (
    "2026-11-18T18:40:00+01:00",
    "R00",
    "The item has been handed over to bpost.",
    "Brussel X",
)
SORTED: State = (
    "2026-11-19T02:15:00+01:00",
    "R01",
    "The item is being processed in the sorting centre.",
    "Brussel X",
)
AT_OFFICE: State = (
    "2026-11-20T06:05:00+01:00",
    "R02",
    "The item has arrived at the distribution office.",
    "Gent",
)
JOURNEYS: dict[str, list[State]] = {
    "delivered": [
        ("2026-11-20T13:45:00+01:00", "U00", "The item has been delivered.", "Gent"),
        ("2026-11-20T07:50:00+01:00", "T00", "The item is on its way to the addressee.", "Gent"),
        AT_OFFICE,
        SORTED,
        HANDED_IN,
        ANNOUNCED,
    ],
    "in_transit": [AT_OFFICE, SORTED, HANDED_IN, ANNOUNCED],
    "exception": [
        (
            "2026-11-20T11:10:00+01:00",
            "B04",
            "The addressee was not at home; a notice has been left.",
            "Gent",
        ),
        AT_OFFICE,
        HANDED_IN,
    ],
}


def _state(time: str, code: str, description: str, location: str) -> str:
    place = f"<location>{escape(location)}</location>" if location else ""
    return (
        f"<stateInfo><time>{time}</time>{place}<stateCode>{code}</stateCode>"
        f"<stateDescription>{escape(description)}</stateDescription></stateInfo>"
    )


def _client(name: str, city: str, postal_code: str, country: str) -> str:
    return (
        f"<name>{name}</name><address><streetName>Rue de la Loi</streetName><houseNumber>1</houseNumber>"
        f"<postalCode>{postal_code}</postalCode><city>{city}</city><countryCode>{country}</countryCode></address>"
    )


def _item(number: str, states: list[State]) -> str:
    delivered = next((time for time, code, *_ in states if code.startswith("U")), None)
    return (
        f"<itemTracking><itemCode>{number}</itemCode>"
        f"<sender>{_client('Webshop BV', 'Brussel', '1000', 'BE')}</sender>"
        f"<addressee>{_client('J. Peeters', 'Gent', '9000', 'BE')}</addressee>"
        + (f"<deliveryTime>{delivered}</deliveryTime>" if delivered else "")
        + "<itemDetail><weightInGrams>1250</weightInGrams></itemDetail>"
        + "".join(_state(*state) for state in states)
        + "</itemTracking>"
    )


def _exception(status: str, code: str, message: str, **headers: str) -> Reply:
    body = f"<businessException><code>{code}</code><message>{escape(message)}</message></businessException>"
    return Reply(status=int(status), body=body, content_type=XML, headers=headers)


def respond(asked: Asked) -> Reply:
    expected = base64.b64encode(f"{CREDENTIALS['account_id']}:{CREDENTIALS['passphrase']}".encode()).decode()
    if asked.header("Authorization") != f"Basic {expected}":
        return _exception("401", "401", "The account ID and passphrase are not valid.")
    if not (asked.path.startswith(TRACKING) and asked.path.endswith("/trackingInfo")):
        return _exception("404", "404", "No such resource.")
    number = asked.path[len(TRACKING) : -len("/trackingInfo")]
    if number == NUMBERS["rate_limited"]:
        return _exception("429", "429", "Too many requests.", **{"Retry-After": "60"})
    if number == NUMBERS["malformed"]:
        return Reply(200, _item(number, JOURNEYS["delivered"])[:400], XML)
    states = next((JOURNEYS[s] for s, n in NUMBERS.items() if n == number and s in JOURNEYS), None)
    if states is None:
        return _exception("404", "404", "The item could not be found.")
    return Reply(200, _item(number, states), XML)


EXPECTED: dict[str, dict[str, Any]] = {
    "delivered": {
        "sub_status": "Delivered_Other",
        "events": 6,
        "latest_time_iso": "2026-11-20T13:45:00+01:00",
        "latest_timezone": "+01:00",
        "sub_statuses": [
            "InfoReceived",
            "InTransit_PickedUp",
            "InTransit_Other",
            "InTransit_Arrival",
            "OutForDelivery_Other",
            "Delivered_Other",
        ],
        "codes": ["U00", "T00", "R02", "R01", "R00", "L00"],
        "weight_kg": "1.25",
        "countries": ("BE", "BE"),
    },
    "in_transit": {"sub_status": "InTransit_Arrival"},
    "exception": {"sub_status": "DeliveryFailure_NoBody"},
}
