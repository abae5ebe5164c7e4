"""Purolator E-Ship Tracking web service 1.2 (SOAP, TrackPackagesByPin): `POST
/PWS/V1/Tracking/TrackingService.asmx` with HTTP Basic and the soapaction; scans have a type
(`Delivery`, `OnDelivery`, `Undeliverable`, `ProofOfPickUp`, `Other`), a date and a local time. Its journey is
Purolator's recorded answer (`samples/`)."""

from __future__ import annotations

import base64
import re

from tests.sources.connectors.derive import Journey
from tests.sources.connectors.standin import Asked, Reply

CREDENTIALS = {"username": "puro-key", "password": "puro-password", "account_number": "9999999999"}
BAD_CREDENTIALS = {"username": "puro-key", "password": "wrong", "account_number": "9999999999"}
OWN = "M123"
"""The PIN of Purolator's recorded answer (samples/karrio_tracking.xml)."""
NUMBERS = {
    "delivered": "329014521622",
    "in_transit": OWN,
    "exception": "329014521644",
    "not_found": "329014521655",
    "rate_limited": "329014521666",
    "malformed": "329014521677",
}
JOURNEYS = {"in_transit": Journey("purolator", "karrio_tracking.xml", OWN, expect="InTransit_Other")}
MISSING = {
    "delivered": "no real Purolator answer of a delivered package",
    "exception": "no real Purolator answer of a package in trouble",
}
SOAP = "text/xml; charset=utf-8"


def _information(pin: str, journey: Journey) -> str:
    """The recorded answer's `TrackingInformation` for the PIN asked."""
    found = re.search(r"<TrackingInformation>.*?</TrackingInformation>", journey.body(pin), re.S)
    assert found is not None
    return found.group(0)


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
