"""TNT ExpressConnect Tracking 3.1 (FedEx's ectrack service): `POST /ectrack/track` with HTTP
Basic auth and a form field `xml_in` holding a `TrackRequest` (consignment numbers, several a
call), at a fixed address karrio does not let settings change (the test's `--base-url` reaches
it through parceltrace's transport).

The answer is a `TrackResponse` with one `Consignment` per number: its `SummaryCode` (INT in
transit, DEL delivered, EXC exception, CNF consignment not found, as TNT's schema enumerates
them), the signatory, the origin and destination countries, and `StatusData` newest first:
a status code, a description, the local date (`YYYYMMDD`) and time (`HHMM`) without an offset,
and the depot. parceltrace maps TNT's events by their descriptions; the codes below are kept
raw beside each event. Its journeys
and "not found" are TNT's recorded answer (`samples/`) or derived from it; karrio no longer
develops its TNT module."""

from __future__ import annotations

import base64
import re
from urllib.parse import parse_qs

from tests.sources.connectors.derive import Journey
from tests.sources.connectors.standin import Asked, Reply

CREDENTIALS = {"username": "tnt-shop", "password": "tnt-password"}
BAD_CREDENTIALS = {"username": "tnt-shop", "password": "expired"}
TRACKING = "/ectrack/track"
XML = "text/xml; charset=UTF-8"
OWN, UNKNOWN = "123456782", "22222222"
"""TNT's recorded answer (samples/karrio_tracking.xml) lists 123456782 twice, a shipment of
2021-02-18 and an older one, and 22222222 not found (CNF)."""
NUMBERS = {
    "delivered": OWN,
    "in_transit": "123456793",
    "exception": "123456804",
    "not_found": "123456815",
    "rate_limited": "123456826",
    "malformed": "123456837",
}
SAMPLE = "karrio_tracking.xml"
JOURNEYS = {
    "delivered": Journey("tnt", SAMPLE, OWN, expect="Delivered_Other"),
    # the older shipment as it stood at the end of 2021-02-03: in transit
    "in_transit": Journey(
        "tnt", SAMPLE, OWN, last="20210203", element="StatusData", expect="InTransit_Other"
    ),
}
MISSING = {"exception": "no real TNT answer of a shipment in trouble"}
SHIPMENT = {"delivered": 0, "in_transit": 1}
"""Which of the answer's consignments of 123456782 a journey is."""
NOT_FOUND = Journey("tnt", SAMPLE, UNKNOWN)


def _consignments(text: str) -> list[str]:
    return re.findall(r"<Consignment access=.*?</Consignment>", text, re.S)


def _consignment(number: str) -> str:
    scenario = next((s for s, n in NUMBERS.items() if n == number and s in JOURNEYS), None)
    if scenario is None:
        return _consignments(NOT_FOUND.body(number))[-1]
    return _consignments(JOURNEYS[scenario].body(number))[SHIPMENT[scenario]]


def respond(asked: Asked) -> Reply:
    expected = base64.b64encode(f"{CREDENTIALS['username']}:{CREDENTIALS['password']}".encode()).decode()
    if asked.header("Authorization") != f"Basic {expected}":
        return Reply(401, "<html><body>401 Unauthorized</body></html>", "text/html")
    if asked.path != TRACKING:
        return Reply(404, "<html><body>404 Not Found</body></html>", "text/html")
    request = parse_qs(asked.body.decode()).get("xml_in", [""])[0]
    numbers = re.findall(r"<ConsignmentNumber>([^<]*)</ConsignmentNumber>", request)
    if not numbers:
        body = "<TrackResponse><Error><Code>102</Code><Message>No search criteria given</Message></Error></TrackResponse>"
        return Reply(200, body, XML)
    if NUMBERS["rate_limited"] in numbers:
        return Reply(
            429, "<html><body>429 Too Many Requests</body></html>", "text/html", {"Retry-After": "60"}
        )
    if NUMBERS["malformed"] in numbers:  # cut short mid-answer
        return Reply(200, f"<TrackResponse>{_consignment(NUMBERS['delivered'])}"[:300], XML)
    body = "<TrackResponse>" + "".join(_consignment(n) for n in numbers) + "</TrackResponse>"
    return Reply(200, body, XML)
