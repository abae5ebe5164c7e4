"""Purolator: the connector's catalog entry and its status table (with its sources)."""

from __future__ import annotations

from parceltrace.sources.connectors.carrier import Carrier, ConnectorSpec, Pace, S, StatusTable

SPEC = ConnectorSpec(
    "purolator",
    "Purolator",
    (100042,),
    "purolator.com/en/shipping/tools/e-ship-web-services: E-Ship web services (key, password, account)",
    "America/Toronto",
    Pace(5, 1),
    "not published by Purolator; 5 calls/s is a conservative default",
    batch=10,
)

# purolator.com E-Ship Tracking service: ScanDetail/ScanType.
STATUSES = StatusTable(
    source="ScanType values (a recorded answer has `Other` only); the others not verified",
    codes={
        "PICKUP": S.IN_TRANSIT_PICKED_UP,
        "PROOFOFPICKUP": S.IN_TRANSIT_PICKED_UP,
        "ONDELIVERY": S.OUT_FOR_DELIVERY_OTHER,
        "DELIVERY": S.DELIVERED_OTHER,
        "UNDELIVERABLE": S.DELIVERY_FAILURE_OTHER,
        "OTHER": S.IN_TRANSIT_OTHER,
    },
)

CARRIER = Carrier(SPEC, STATUSES)
