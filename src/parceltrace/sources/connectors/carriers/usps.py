"""USPS: the connector's catalog entry and its status table (with its sources)."""

from __future__ import annotations

from parceltrace.sources.connectors.carrier import Carrier, ConnectorSpec, Pace, S, StatusTable

SPEC = ConnectorSpec(
    "usps",
    "USPS",
    (21051,),
    "developer.usps.com: an app with the Tracking 3.0 API (consumer key and secret)",
    "America/New_York",
    Pace(60, 3600),
    "developer.usps.com: 60 calls per hour by default (raise on request)",
)

# developer.usps.com Tracking 3.0: trackingEvents[].eventCode.
STATUSES = StatusTable(
    source=(
        "a recorded answer's codes; the others from an earlier reading of USPS's documentation, not verified"
    ),
    codes={
        "GX": S.INFO_RECEIVED,
        "MA": S.INFO_RECEIVED,
        "03": S.IN_TRANSIT_PICKED_UP,
        "OA": S.IN_TRANSIT_PICKED_UP,
        # samples/karrio_tracking.json: 10 "Arrived at USPS Regional Origin Facility", T1
        # "Departed USPS Regional Facility", TL "In Transit to Next Facility"
        "10": S.IN_TRANSIT_ARRIVAL,
        "T1": S.IN_TRANSIT_DEPARTURE,
        "TL": S.IN_TRANSIT_OTHER,
        "NT": S.IN_TRANSIT_OTHER,
        "A1": S.IN_TRANSIT_ARRIVAL,
        "07": S.IN_TRANSIT_ARRIVAL,
        "L1": S.IN_TRANSIT_DEPARTURE,
        "SF": S.IN_TRANSIT_DEPARTURE,
        "OF": S.OUT_FOR_DELIVERY_OTHER,
        "01": S.DELIVERED_OTHER,
        "17": S.DELIVERED_OTHER,
        "02": S.DELIVERY_FAILURE_NO_BODY,
        "04": S.DELIVERY_FAILURE_REJECTED,
        "05": S.DELIVERY_FAILURE_INVALID_ADDRESS,
        "21": S.DELIVERY_FAILURE_INVALID_ADDRESS,
        "16": S.AVAILABLE_FOR_PICKUP_OTHER,
        "14": S.AVAILABLE_FOR_PICKUP_OTHER,
        "09": S.EXCEPTION_RETURNING,
        "31": S.EXCEPTION_RETURNING,
    },
)

CARRIER = Carrier(SPEC, STATUSES)
