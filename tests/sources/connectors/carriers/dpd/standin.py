"""DPD Web Connect (DPD Benelux shipper web services, SOAP): `LoginService/V2_1` `getAuth`
(DELIS-ID and password) gives an auth token, then `ParcelLifeCycleService/V2_0`
`getTrackingData` with the token in the SOAP header, one parcel label number a call.

A tracking result lists the parcel's whole life cycle as `statusInfo` elements: each step's
status, label, description lines, location and date (`MM/DD/YYYY hh:mm:ss AM`, local time, no
offset); the steps not reached yet come too, with `statusHasBeenReached` false and empty
description, location and date. An
unknown parcel gets a response without a `trackingresult`. Faults (a refused sign-in: LOGIN_5)
come as SOAP faults with HTTP 500. Its journeys are DPD's recorded answer (`samples/`) or derived from
it; its faults and "not found" follow DPD's documentation."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from xml.sax.saxutils import escape

from tests.sources.connectors.derive import Journey, journey_for
from tests.sources.connectors.standin import Asked, Reply

CREDENTIALS = {"delis_id": "dpdshop01", "password": "dpd-password"}
BAD_CREDENTIALS = {"delis_id": "dpdshop01", "password": "expired"}
TOKEN = "dpd-auth-token-7f3a"
LOGIN = "/soap/services/LoginService/V2_1"
TRACKING = "/soap/services/ParcelLifeCycleService/V2_0"
OWN = "05308801410058"
"""The parcel karrio asked its recorded DPD answer for (samples/karrio_tracking.xml; the answer
does not repeat it)."""
NUMBERS = {
    "delivered": "05302030000001",
    "in_transit": "05302030000002",
    "exception": OWN,
    "not_found": "05302030000004",
    "rate_limited": "05302030000005",
    "malformed": "05302030000006",
}
SAMPLE = "karrio_tracking.xml"
JOURNEYS = {
    # back at the depot after a failed delivery, as recorded
    "exception": Journey("dpd", SAMPLE, OWN, expect="DeliveryFailure_Other"),
    # as it stood at the end of 2021-08-17: at the parcel dispatch centre
    "in_transit": Journey(
        "dpd", SAMPLE, OWN, last="20210817", element="statusInfo", expect="InTransit_Other"
    ),
}
MISSING = {"delivered": "no real DPD answer of a delivered parcel"}


ENVELOPE = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>{}</soap:Body>'
    "</soap:Envelope>"
)


def _fault(code: str, message: str, kind: str = "authenticationFault") -> Reply:
    body = (
        "<soap:Fault><faultcode>soap:Server</faultcode><faultstring>Fault occured</faultstring><detail>"
        f'<ns1:{kind} xmlns:ns1="http://dpd.com/common/service/types/Authentication/2.0">'
        f"<errorCode>{code}</errorCode><errorMessage>{escape(message)}</errorMessage></ns1:{kind}>"
        "</detail></soap:Fault>"
    )
    return Reply(500, ENVELOPE.format(body), "text/xml;charset=UTF-8")


def _text(body: bytes, element: str) -> str:
    found = re.search(rf"<(?:\w+:)?{element}>([^<]*)</(?:\w+:)?{element}>", body.decode())
    return found[1] if found else ""


def _signed_in() -> str:
    expires = (datetime.now() + timedelta(hours=24)).strftime("%Y-%m-%dT%H:%M:%S.000")
    return ENVELOPE.format(
        '<ns2:getAuthResponse xmlns:ns2="http://dpd.com/common/service/types/LoginService/2.1"><return>'
        f"<delisId>{CREDENTIALS['delis_id']}</delisId><customerUid>{CREDENTIALS['delis_id']}</customerUid>"
        f"<authToken>{TOKEN}</authToken><depot>0530</depot><authTokenExpires>{expires}</authTokenExpires>"
        "</return></ns2:getAuthResponse>"
    )


def respond(asked: Asked) -> Reply:
    if asked.path == LOGIN:
        if (_text(asked.body, "delisId"), _text(asked.body, "password")) != (
            CREDENTIALS["delis_id"],
            CREDENTIALS["password"],
        ):
            return _fault("LOGIN_5", "The given DELIS-ID and password do not match.")
        return Reply(200, _signed_in(), "text/xml;charset=UTF-8")
    if asked.path != TRACKING:
        return Reply(404, "<html><body>Not Found</body></html>", "text/html")
    if _text(asked.body, "authToken") != TOKEN:
        return _fault("LOGIN_6", "The auth token is not valid or has expired.")
    number = _text(asked.body, "parcelLabelNumber")
    if number == NUMBERS["rate_limited"]:
        return Reply(429, "<html><body>Too Many Requests</body></html>", "text/html", {"Retry-After": "60"})
    if number == NUMBERS["malformed"]:
        return Reply(200, JOURNEYS["exception"].body(number)[:700], "text/xml;charset=UTF-8")
    journey = journey_for(number, NUMBERS, JOURNEYS)
    if journey is None:
        empty = '<ns2:getTrackingDataResponse xmlns:ns2="http://dpd.com/common/service/types/ParcelLifeCycleService/2.0"/>'
        return Reply(200, ENVELOPE.format(empty), "text/xml;charset=UTF-8")
    return Reply(200, journey.body(number), "text/xml;charset=UTF-8")
