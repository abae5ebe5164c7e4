"""Canada Post Tracking web service (canadapost.ca/info/mc/business/productsservices/developers/
services/tracking): `GET /vis/track/pin/{pin}/detail` with HTTP Basic, XML in the track-v2
namespace; each occurrence gives a local date and time and the zone name beside them. Its journeys and
"not found" are Canada Post's recorded answers (`samples/`), or derived from them."""

from __future__ import annotations

import base64

from tests.sources.connectors.corpus import BY_CARRIER_FILE
from tests.sources.connectors.derive import Journey, journey_for
from tests.sources.connectors.standin import Asked, Reply

CREDENTIALS = {"username": "cp-user", "password": "cp-password"}
BAD_CREDENTIALS = {"username": "cp-user", "password": "wrong"}
OWN = "7023210039414604"
"""The PIN of Canada Post's recorded answer (samples/karrio_tracking_detail.xml)."""
NUMBERS = {
    "delivered": OWN,
    "in_transit": "1371134583769934",
    "exception": "1371134583769945",
    "not_found": "1371134583769956",
    "rate_limited": "1371134583769967",
    "malformed": "1371134583769978",
}
SAMPLE = "karrio_tracking_detail.xml"
JOURNEYS = {
    "delivered": Journey("canadapost", SAMPLE, OWN, expect="Delivered_Other"),
    # as it stood at 2011-02-02 14:45 (processed at a postal facility after an addressing error)
    "in_transit": Journey(
        "canadapost", SAMPLE, OWN, last="201102021445", element="occurrence", expect="InTransit_Other"
    ),
}
MISSING = {"exception": "no real Canada Post answer whose latest event is a problem"}
NOT_FOUND = BY_CARRIER_FILE["canadapost", "karrio_no_pin_history.xml"].local.read_text()
"""Canada Post's recorded answer for a PIN it has no history of (004)."""
XML = "application/vnd.cpc.track-v2+xml"


def _messages(code: str, description: str) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<messages xmlns="http://www.canadapost.ca/ws/messages">
  <message><code>{code}</code><description>{description}</description></message>
</messages>"""


def respond(asked: Asked) -> Reply:
    expected = base64.b64encode(f"{CREDENTIALS['username']}:{CREDENTIALS['password']}".encode()).decode()
    if asked.header("Authorization") != f"Basic {expected}":
        return Reply(401, _messages("E002", "AA004: Unauthorized"), "application/vnd.cpc.messages+xml")
    parts = asked.path.strip("/").split("/")
    if parts[:3] != ["vis", "track", "pin"] or len(parts) != 5:
        return Reply(404, _messages("9999", "Not found"), "application/vnd.cpc.messages+xml")
    pin = parts[3]
    if pin == NUMBERS["rate_limited"]:
        return Reply(
            429,
            _messages("Server", "Rejected by SLM Monitor: too many requests"),
            "application/vnd.cpc.messages+xml",
        )
    if pin == NUMBERS["malformed"]:
        return Reply(200, "<tracking-detail xmlns='http://www.canadapost.ca/ws/track-v2'><pin>", XML)
    journey = journey_for(pin, NUMBERS, JOURNEYS)
    if journey is not None:
        return Reply(200, journey.body(pin), XML)
    return Reply(404, NOT_FOUND, "application/vnd.cpc.messages+xml")
