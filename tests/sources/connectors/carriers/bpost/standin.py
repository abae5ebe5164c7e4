"""bpost Shipping Manager tracking (api.parcel.bpost.cloud, `trackedmail`): `GET
/services/trackedmail/item/{itemCode}/trackingInfo` with HTTP Basic auth (account ID and
passphrase), one item a call, at a fixed address karrio does not let settings change (so the
test's `--base-url` reaches it through parceltrace's transport).

The answer is an `itemTracking` document: the item code, sender and addressee with their
countries, the item's weight in grams and its `stateInfo` list, newest first, each with a time
carrying its offset, a state code and a description. Errors are `businessException` documents
(an integer code, as bpost's schema has it, and a message) with the HTTP status: 401 for refused
credentials, 404 for an unknown item. Its journeys are
bpost's recorded answer (`samples/`) or derived from it; its errors follow bpost's schema."""

from __future__ import annotations

import base64
from xml.sax.saxutils import escape

from tests.sources.connectors.derive import Journey, journey_for
from tests.sources.connectors.standin import Asked, Reply

CREDENTIALS = {"account_id": "107423", "passphrase": "bpost-passphrase"}
BAD_CREDENTIALS = {"account_id": "107423", "passphrase": "expired"}
TRACKING = "/services/trackedmail/item/"
XML = "application/xml"
OWN = "323212345659900040669030"
"""The item of bpost's recorded answer (samples/karrio_tracking_delivered.xml)."""
NUMBERS = {
    "delivered": OWN,
    "in_transit": "323299901059912015013042",
    "exception": "323299901059912015013053",
    "not_found": "323299901059912015013064",
    "rate_limited": "323299901059912015013075",
    "malformed": "323299901059912015013086",
}
SAMPLE = "karrio_tracking_delivered.xml"
JOURNEYS = {
    "delivered": Journey("bpost", SAMPLE, OWN, expect="Delivered_Other"),
    # as it stood at the end of 2012-11-22: sorted
    "in_transit": Journey(
        "bpost", SAMPLE, OWN, last="20121122", element="stateInfo", expect="InTransit_Other"
    ),
}
MISSING = {"exception": "no real bpost answer of an item in trouble"}


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
        return Reply(200, JOURNEYS["delivered"].body(number)[:400], XML)
    journey = journey_for(number, NUMBERS, JOURNEYS)
    if journey is None:
        return _exception("404", "404", "The item could not be found.")
    return Reply(200, journey.body(number), XML)
