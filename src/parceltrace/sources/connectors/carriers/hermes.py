"""Hermes Germany (HSI): the connector's catalog entry and its status table (with its sources)."""

from __future__ import annotations

from parceltrace.sources.connectors.carrier import Carrier, ConnectorSpec, Pace, S, StatusTable

SPEC = ConnectorSpec(
    "hermes",
    "Hermes Germany (HSI)",
    (100031, 100018),
    "Hermes Germany business customers: HSI API access (user, password, client ID and secret)",
    "Europe/Berlin",
    Pace(5, 1),
    "not published by Hermes; 5 calls/s is a conservative default",
    batch=10,
)

# Hermes HSI shipmentinfo: status[].code, four digits by stage (0000 announced ... 7000
# delayed, as Hermes' API groups them).
STATUSES = StatusTable(
    source="Hermes' stage codes as karrio's Hermes `TrackingStatus` groups them",
    codes={
        "0000": S.INFO_RECEIVED,
        "1000": S.IN_TRANSIT_PICKED_UP,
        "2000": S.IN_TRANSIT_OTHER,
        "3000": S.OUT_FOR_DELIVERY_OTHER,
        "3500": S.DELIVERED_OTHER,
        "4000": S.DELIVERY_FAILURE_OTHER,
        "4500": S.DELIVERY_FAILURE_OTHER,
        "5000": S.AVAILABLE_FOR_PICKUP_OTHER,
        "6000": S.EXCEPTION_OTHER,
        "7000": S.EXCEPTION_DELAYED,
    },
    phrases=(
        ("nicht angetroffen", S.DELIVERY_FAILURE_NO_BODY),
        ("not at home", S.DELIVERY_FAILURE_NO_BODY),
    ),
    coarse=frozenset({"4000", "4500"}),
)

CARRIER = Carrier(SPEC, STATUSES)
