"""TNT ExpressConnect Tracking 3.1 (FedEx's ectrack service): `POST /ectrack/track` with HTTP
Basic auth and a form field `xml_in` holding a `TrackRequest` (consignment numbers, several a
call), at a fixed address karrio does not let settings change (the test's `--base-url` reaches
it through parceltrace's transport).

The answer is a `TrackResponse` with one `Consignment` per number: its `SummaryCode` (INT in
transit, DEL delivered, EXC exception, CNF consignment not found, as TNT's schema enumerates
them), the signatory, the origin and destination countries, and `StatusData` newest first:
a status code, a description, the local date (`YYYYMMDD`) and time (`HHMM`) without an offset,
and the depot. parceltrace maps TNT's events by their descriptions; the codes below are kept
raw beside each event."""

from __future__ import annotations

import base64
import re
from typing import Any
from urllib.parse import parse_qs
from xml.sax.saxutils import escape

from tests.sources.connectors.standin import Asked, Reply

CREDENTIALS = {"username": "tnt-shop", "password": "tnt-password"}
BAD_CREDENTIALS = {"username": "tnt-shop", "password": "expired"}
TRACKING = "/ectrack/track"
XML = "text/xml; charset=UTF-8"
NUMBERS = {
    "delivered": "123456782",
    "in_transit": "123456793",
    "exception": "123456804",
    "not_found": "123456815",
    "rate_limited": "123456826",
    "malformed": "123456837",
}

Status = tuple[str, str, str, str, str, str]
"""(code, description, YYYYMMDD, HHMM, depot, depot name)."""

COLLECTED: Status = ("PU", "Shipment collected from customer", "20261117", "1602", "LGG", "Liege")
AT_HUB: Status = ("IH", "Shipment received at the TNT hub", "20261118", "2340", "LGG", "Liege Hub")
LEFT_HUB: Status = ("DH", "Shipment departed from the TNT hub", "20261119", "0215", "LGG", "Liege Hub")
ARRIVED: Status = ("AR", "Shipment arrived at TNT location", "20261120", "0605", "AMS", "Amsterdam")
JOURNEYS: dict[str, tuple[str, list[Status], str]] = {
    "delivered": (
        "DEL",
        [
            ("OK", "Shipment delivered in good condition", "20261120", "1345", "AMS", "Amsterdam"),
            ("OD", "Out for delivery", "20261120", "0750", "AMS", "Amsterdam"),
            ARRIVED,
            LEFT_HUB,
            AT_HUB,
            COLLECTED,
        ],
        "J VAN DIJK",
    ),
    "in_transit": ("INT", [ARRIVED, LEFT_HUB, AT_HUB, COLLECTED], ""),
    "exception": (
        "EXC",
        [
            ("CA", "Consignee not available - card left", "20261120", "1110", "AMS", "Amsterdam"),
            ARRIVED,
            COLLECTED,
        ],
        "",
    ),
}


def _status(code: str, description: str, day: str, clock: str, depot: str, depot_name: str) -> str:
    return (
        f"<StatusData><StatusCode>{code}</StatusCode><StatusDescription>{escape(description)}</StatusDescription>"
        f'<LocalEventDate format="YYYYMMDD">{day}</LocalEventDate>'
        f'<LocalEventTime format="HHMM">{clock}</LocalEventTime>'
        f"<Depot>{depot}</Depot><DepotName>{escape(depot_name)}</DepotName></StatusData>"
    )


def _country(tag: str, code: str, name: str) -> str:
    return f"<{tag}><CountryCode>{code}</CountryCode><CountryName>{name}</CountryName></{tag}>"


def _consignment(number: str) -> str:
    scenario = next((s for s, n in NUMBERS.items() if n == number and s in JOURNEYS), None)
    if scenario is None:
        return (
            f'<Consignment access="public"><ConsignmentNumber>{number}</ConsignmentNumber>'
            "<SummaryCode>CNF</SummaryCode></Consignment>"
        )
    summary, statuses, signatory = JOURNEYS[scenario]
    return (
        f'<Consignment access="full"><ConsignmentNumber>{number}</ConsignmentNumber>'
        "<OriginDepot>LGG</OriginDepot><OriginDepotName>Liege</OriginDepotName>"
        '<CollectionDate format="YYYYMMDD">20261117</CollectionDate>'
        + (f"<Signatory>{signatory}</Signatory>" if signatory else "")
        + f"<SummaryCode>{summary}</SummaryCode>"
        + _country("DestinationCountry", "NL", "Netherlands")
        + _country("OriginCountry", "BE", "Belgium")
        + "".join(_status(*status) for status in statuses)
        + "</Consignment>"
    )


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


EXPECTED: dict[str, dict[str, Any]] = {
    "delivered": {
        "sub_status": "Delivered_Other",
        "events": 6,
        "latest_time_iso": "2026-11-20T13:45:00+01:00",
        "latest_timezone": None,
        "sub_statuses": [
            "InTransit_PickedUp",
            "InTransit_Arrival",
            "InTransit_Departure",
            "InTransit_Arrival",
            "OutForDelivery_Other",
            "Delivered_Other",
        ],
        "codes": ["OK", "OD", "AR", "DH", "IH", "PU"],
    },
    "in_transit": {"sub_status": "InTransit_Arrival"},
    "exception": {"sub_status": "DeliveryFailure_NoBody"},
}
