"""Purolator E-Ship Tracking web service 1.2 (SOAP, TrackPackagesByPin): `POST
/PWS/V1/Tracking/TrackingService.asmx` with HTTP Basic and the soapaction; scans have a type
(`Delivery`, `OnDelivery`, `Undeliverable`, `ProofOfPickUp`, `Other`), a date and a local time."""

from __future__ import annotations

import base64
import re
from typing import Any

from tests.sources.connectors.standin import Asked, Reply

CREDENTIALS = {"username": "puro-key", "password": "puro-password", "account_number": "9999999999"}
BAD_CREDENTIALS = {"username": "puro-key", "password": "wrong", "account_number": "9999999999"}
NUMBERS = {
    "delivered": "329014521622",
    "in_transit": "329014521633",
    "exception": "329014521644",
    "not_found": "329014521655",
    "rate_limited": "329014521666",
    "malformed": "329014521677",
}
SOAP = "text/xml; charset=utf-8"


def _scan(kind: str, date: str, time: str, description: str, depot: str, signature: str = "") -> str:
    details = (
        f"<ScanDetails><DeliverySignature>{signature}</DeliverySignature></ScanDetails>" if signature else ""
    )
    return f"""
            <Scan>
              <ScanType>{kind}</ScanType>
              <PIN><Value>PLACEHOLDER</Value></PIN>
              <Depot><Name>{depot}</Name></Depot>
              <ScanDate>{date}</ScanDate>
              <ScanTime>{time}</ScanTime>
              <Description>{description}</Description>
              <Comment/>
              <SummaryScanIndicator>false</SummaryScanIndicator>{details}
            </Scan>"""


JOURNEYS = {
    "delivered": [
        _scan("Delivery", "2026-11-20", "134500", "Shipment delivered to front door", "OTTAWA", "J SMITH"),
        _scan("OnDelivery", "2026-11-20", "081500", "On vehicle for delivery", "OTTAWA"),
        _scan("Other", "2026-11-19", "043000", "Arrived at sort facility", "OTTAWA"),
        _scan("ProofOfPickUp", "2026-11-18", "160500", "Picked up by Purolator", "TORONTO"),
    ],
    "in_transit": [
        _scan("Other", "2026-11-19", "043000", "Arrived at sort facility", "OTTAWA"),
        _scan("ProofOfPickUp", "2026-11-18", "160500", "Picked up by Purolator", "TORONTO"),
    ],
    "exception": [
        _scan(
            "Undeliverable", "2026-11-20", "114000", "Attempted delivery - receiver not available", "OTTAWA"
        ),
        _scan("ProofOfPickUp", "2026-11-18", "160500", "Picked up by Purolator", "TORONTO"),
    ],
}


def _envelope(body: str) -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/">
  <s:Header>
    <h:ResponseContext xmlns:h="http://purolator.com/pws/datatypes/v1"><h:ResponseReference/></h:ResponseContext>
  </s:Header>
  <s:Body>
    <TrackPackagesByPinResponse xmlns="http://purolator.com/pws/datatypes/v1" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">
{body}
    </TrackPackagesByPinResponse>
  </s:Body>
</s:Envelope>"""


def _information(pin: str, scans: list[str]) -> str:
    return f"""
        <TrackingInformation>
          <PIN><Value>{pin}</Value></PIN>
          <Scans>{"".join(scans).replace("PLACEHOLDER", pin)}
          </Scans>
          <ResponseInformation><Errors/><InformationalMessages i:nil="true"/></ResponseInformation>
        </TrackingInformation>"""


def respond(asked: Asked) -> Reply:
    expected = base64.b64encode(f"{CREDENTIALS['username']}:{CREDENTIALS['password']}".encode()).decode()
    if asked.header("Authorization") != f"Basic {expected}":
        return Reply(
            401,
            "<html><head><title>401 - Unauthorized</title></head><body>Access is denied.</body></html>",
            "text/html",
        )
    if asked.path != "/PWS/V1/Tracking/TrackingService.asmx":
        return Reply(404, "<html><body>404 - File or directory not found.</body></html>", "text/html")
    pins = re.findall(r"<[\w:]*Value>([^<]+)</[\w:]*Value>", asked.body.decode())
    if NUMBERS["rate_limited"] in pins:
        return Reply(429, "<html><body>Too Many Requests</body></html>", "text/html")
    if NUMBERS["malformed"] in pins:
        return Reply(
            200, "<s:Envelope xmlns:s='http://schemas.xmlsoap.org/soap/envelope/'><s:Body><Track", SOAP
        )
    found = [
        _information(pin, JOURNEYS[s])
        for pin in pins
        for s, n in NUMBERS.items()
        if n == pin and s in JOURNEYS
    ]
    errors = "".join(
        f"<Error><Code>3001</Code><Description>No tracking information was found for PIN {pin}</Description>"
        f"<AdditionalInformation>{pin}</AdditionalInformation></Error>"
        for pin in pins
        if not any(n == pin and s in JOURNEYS for s, n in NUMBERS.items())
    )
    body = f"""      <ResponseInformation><Errors>{errors}</Errors><InformationalMessages i:nil="true"/></ResponseInformation>
      <TrackingInformationList>{"".join(found)}
      </TrackingInformationList>"""
    return Reply(200, _envelope(body), SOAP)


EXPECTED: dict[str, dict[str, Any]] = {
    "delivered": {
        "sub_status": "Delivered_Other",
        "events": 4,
        "latest_time_iso": "2026-11-20T13:45:00-05:00",
        "latest_timezone": None,
        "sub_statuses": [
            "InTransit_PickedUp",
            "InTransit_Other",
            "OutForDelivery_Other",
            "Delivered_Other",
        ],
        "codes": ["Delivery", "OnDelivery", "Other", "ProofOfPickUp"],
    },
    "in_transit": {"sub_status": "InTransit_Other"},
    "exception": {"sub_status": "DeliveryFailure_Other"},
}
