"""DPD Web Connect (DPD Benelux shipper web services, SOAP): `LoginService/V2_1` `getAuth`
(DELIS-ID and password) gives an auth token, then `ParcelLifeCycleService/V2_0`
`getTrackingData` with the token in the SOAP header, one parcel label number a call.

A tracking result lists the parcel's whole life cycle as `statusInfo` elements: each step's
status, label, description lines, location and date (`MM/DD/YYYY hh:mm:ss AM`, local time, no
offset); the steps not reached yet come too, with `statusHasBeenReached` false and empty
description, location and date. An
unknown parcel gets a response without a `trackingresult`. Faults (a refused sign-in: LOGIN_5)
come as SOAP faults with HTTP 500."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any
from xml.sax.saxutils import escape

from tests.sources.connectors.standin import Asked, Reply

CREDENTIALS = {"delis_id": "dpdshop01", "password": "dpd-password"}
BAD_CREDENTIALS = {"delis_id": "dpdshop01", "password": "expired"}
TOKEN = "dpd-auth-token-7f3a"
LOGIN = "/soap/services/LoginService/V2_1"
TRACKING = "/soap/services/ParcelLifeCycleService/V2_0"
NUMBERS = {
    "delivered": "05302030000001",
    "in_transit": "05302030000002",
    "exception": "05302030000003",
    "not_found": "05302030000004",
    "rate_limited": "05302030000005",
    "malformed": "05302030000006",
}
ENVELOPE = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>{}</soap:Body>'
    "</soap:Envelope>"
)
STEPS = ("Accepted", "AtSendingDepot", "OnTheRoad", "AtDeliveryDepot", "Courier", "Delivered")
LABELS = {
    "Accepted": "Order information has been transmitted to DPD.",
    "AtSendingDepot": "In transit.",
    "OnTheRoad": "In transit.",
    "AtDeliveryDepot": "At parcel delivery centre.",
    "Courier": "Out for delivery.",
    "Delivered": "Delivered.",
    "DeliveryFailure": "Unfortunately we have not been able to deliver your parcel.",
}


Step = tuple[str, str, str, str]
"""(status, description, location, date) of a step reached."""

ACCEPTED: Step = (
    "Accepted",
    "Order information has been transmitted to DPD.",
    "Mechelen (BE)",
    "11/17/2026 04:02:00 PM",
)
AT_SENDING_DEPOT: Step = (
    "AtSendingDepot",
    "The parcel is at the parcel dispatch centre.",
    "Mechelen (BE)",
    "11/18/2026 07:40:00 PM",
)
ON_THE_ROAD: Step = (
    "OnTheRoad",
    "The parcel has left the parcel centre.",
    "Mechelen (BE)",
    "11/18/2026 11:15:00 PM",
)
AT_DELIVERY_DEPOT: Step = (
    "AtDeliveryDepot",
    "The parcel has arrived at the delivery depot.",
    "Gent (BE)",
    "11/20/2026 06:05:00 AM",
)
JOURNEYS: dict[str, list[Step]] = {
    "delivered": [
        ACCEPTED,
        AT_SENDING_DEPOT,
        ON_THE_ROAD,
        AT_DELIVERY_DEPOT,
        ("Courier", "The parcel is out for delivery.", "Gent (BE)", "11/20/2026 07:50:00 AM"),
        ("Delivered", "The parcel has been delivered.", "Gent (BE)", "11/20/2026 01:45:00 PM"),
    ],
    "in_transit": [ACCEPTED, AT_SENDING_DEPOT, ON_THE_ROAD],
    "exception": [
        ACCEPTED,
        AT_DELIVERY_DEPOT,
        (
            "DeliveryFailure",
            "Unfortunately we have not been able to deliver your parcel. The consignee was not at home.",
            "Gent (BE)",
            "11/20/2026 11:10:00 AM",
        ),
    ],
}


def _line(text: str) -> str:
    return f"<content>{escape(text)}</content><bold>false</bold><paragraph>false</paragraph>"


def _status(
    status: str, reached: bool, current: bool, description: str = "", where: str = "", when: str = ""
) -> str:
    """One step; a step not reached has its description, location and date empty."""
    parts = [
        f"<status>{status}</status>",
        f"<label>{_line(LABELS.get(status, status))}</label>",
        f"<description><content>{_line(description)}</content></description>",
        f"<statusHasBeenReached>{str(reached).lower()}</statusHasBeenReached>",
        f"<isCurrentStatus>{str(current).lower()}</isCurrentStatus>",
        "<showContactInfo>false</showContactInfo>",
        f"<location>{_line(where)}</location>",
        f"<date>{_line(when)}</date>",
    ]
    return f"<statusInfo>{''.join(parts)}</statusInfo>"


def _result(number: str, steps: list[Step]) -> str:
    reached = [
        _status(status, True, index == len(steps) - 1, description, where, when)
        for index, (status, description, where, when) in enumerate(steps)
    ]
    done = {status for status, *_ in steps}
    ahead = [] if "DeliveryFailure" in done else [_status(s, False, False) for s in STEPS if s not in done]
    shipment = (
        f"<shipmentInfo><parcelLabelNumber>{number}</parcelLabelNumber>"
        f"<serviceDescription><content>{_line('DPD Classic')}</content></serviceDescription></shipmentInfo>"
    )
    return (
        '<ns2:getTrackingDataResponse xmlns:ns2="http://dpd.com/common/service/types/ParcelLifeCycleService/2.0">'
        f"<trackingresult>{shipment}{''.join(reached + ahead)}</trackingresult>"
        "</ns2:getTrackingDataResponse>"
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
        return Reply(
            200, ENVELOPE.format(_result(number, JOURNEYS["delivered"]))[:700], "text/xml;charset=UTF-8"
        )
    steps = next((JOURNEYS[s] for s, n in NUMBERS.items() if n == number and s in JOURNEYS), None)
    if steps is None:
        empty = '<ns2:getTrackingDataResponse xmlns:ns2="http://dpd.com/common/service/types/ParcelLifeCycleService/2.0"/>'
        return Reply(200, ENVELOPE.format(empty), "text/xml;charset=UTF-8")
    return Reply(200, ENVELOPE.format(_result(number, steps)), "text/xml;charset=UTF-8")


EXPECTED: dict[str, dict[str, Any]] = {
    "delivered": {
        "sub_status": "Delivered_Other",
        "events": 6,
        "latest_time_iso": "2026-11-20T13:45:00+01:00",
        "latest_timezone": None,
        "sub_statuses": [
            "InfoReceived",
            "InTransit_PickedUp",
            "InTransit_Departure",
            "InTransit_Arrival",
            "OutForDelivery_Other",
            "Delivered_Other",
        ],
        "codes": ["Delivered", "Courier", "AtDeliveryDepot", "OnTheRoad", "AtSendingDepot", "Accepted"],
    },
    "in_transit": {"sub_status": "InTransit_Departure", "events": 3},
    "exception": {"sub_status": "DeliveryFailure_NoBody"},
}
