"""Canada Post Tracking web service (canadapost.ca/info/mc/business/productsservices/developers/
services/tracking): `GET /vis/track/pin/{pin}/detail` with HTTP Basic, XML in the track-v2
namespace; each occurrence gives a local date and time and the zone name beside them."""

from __future__ import annotations

import base64
from typing import Any

from tests.sources.connectors.standin import Asked, Reply

CREDENTIALS = {"username": "cp-user", "password": "cp-password"}
BAD_CREDENTIALS = {"username": "cp-user", "password": "wrong"}
NUMBERS = {
    "delivered": "1371134583769923",
    "in_transit": "1371134583769934",
    "exception": "1371134583769945",
    "not_found": "1371134583769956",
    "rate_limited": "1371134583769967",
    "malformed": "1371134583769978",
}
XML = "application/vnd.cpc.track-v2+xml"


def _occurrence(
    code: str, date: str, time: str, zone: str, description: str, site: str, signatory: str = ""
) -> str:
    return f"""
    <occurrence>
      <event-identifier>{code}</event-identifier>
      <event-date>{date}</event-date>
      <event-time>{time}</event-time>
      <event-time-zone>{zone}</event-time-zone>
      <event-description>{description}</event-description>
      <signatory-name>{signatory}</signatory-name>
      <event-site>{site}</event-site>
      <event-province>ON</event-province>
      <event-retail-location-id/>
      <event-retail-name/>
    </occurrence>"""


def _detail(pin: str, occurrences: list[str]) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<tracking-detail xmlns="http://www.canadapost.ca/ws/track-v2">
  <pin>{pin}</pin>
  <active-exists>1</active-exists>
  <archive-exists/>
  <changed-expected-date/>
  <destination-postal-id>K1A0B1</destination-postal-id>
  <expected-delivery-date>2026-11-20</expected-delivery-date>
  <changed-expected-delivery-reason/>
  <mailed-by-customer-number>0001234567</mailed-by-customer-number>
  <mailed-on-behalf-of-customer-number>0001234567</mailed-on-behalf-of-customer-number>
  <original-pin/>
  <service-name>Expedited Parcels</service-name>
  <service-name-2>Colis acceleres</service-name-2>
  <customer-ref-1/>
  <customer-ref-2/>
  <return-pin/>
  <signature-image-exists>true</signature-image-exists>
  <suppress-signature>false</suppress-signature>
  <delivery-options/>
  <significant-events>{"".join(occurrences)}
  </significant-events>
</tracking-detail>"""


def _messages(code: str, description: str) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<messages xmlns="http://www.canadapost.ca/ws/messages">
  <message><code>{code}</code><description>{description}</description></message>
</messages>"""


JOURNEYS = {
    "delivered": [
        _occurrence(
            "1496", "2026-11-20", "13:45:00", "EST", "Item successfully delivered", "OTTAWA", "J SMITH"
        ),
        _occurrence("0174", "2026-11-20", "08:05:00", "EST", "Item out for delivery", "OTTAWA"),
        _occurrence("1301", "2026-11-19", "04:30:00", "EST", "Item processed", "OTTAWA"),
        _occurrence("0100", "2026-11-18", "15:20:00", "EST", "Item processed at postal facility", "TORONTO"),
        _occurrence(
            "1300", "2026-11-17", "10:00:00", "EST", "Electronic information submitted by shipper", "TORONTO"
        ),
    ],
    "in_transit": [
        _occurrence("1301", "2026-11-19", "04:30:00", "EST", "Item processed", "OTTAWA"),
        _occurrence("0100", "2026-11-18", "15:20:00", "EST", "Item processed at postal facility", "TORONTO"),
    ],
    "exception": [
        _occurrence(
            "0168", "2026-11-20", "14:10:00", "EST", "Attempted delivery; notice card left", "OTTAWA"
        ),
        _occurrence("0100", "2026-11-18", "15:20:00", "EST", "Item processed at postal facility", "TORONTO"),
    ],
}


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
    for scenario, occurrences in JOURNEYS.items():
        if pin == NUMBERS[scenario]:
            return Reply(200, _detail(pin, occurrences), XML)
    return Reply(404, _messages("004", "No Pin History"), "application/vnd.cpc.messages+xml")


EXPECTED: dict[str, dict[str, Any]] = {
    "delivered": {
        "sub_status": "Delivered_Other",
        "events": 5,
        "latest_time_iso": "2026-11-20T13:45:00-05:00",
        "latest_timezone": "-05:00",
        "sub_statuses": [
            "InfoReceived",
            "InTransit_Other",
            "InTransit_Other",
            "OutForDelivery_Other",
            "Delivered_Other",
        ],
        "codes": ["1496", "0174", "1301", "0100", "1300"],
        "signed_by": "J SMITH",
    },
    "in_transit": {"sub_status": "InTransit_Other"},
    "exception": {"sub_status": "DeliveryFailure_NoBody"},
}
