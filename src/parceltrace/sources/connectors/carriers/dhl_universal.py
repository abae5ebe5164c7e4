"""DHL (Shipment Tracking - Unified): the catalog entry and the status table, with its sources."""

from __future__ import annotations

from parceltrace.sources.connectors.carrier import (
    COMMON_PHRASES,
    Carrier,
    ConnectorSpec,
    Pace,
    S,
    StatusTable,
)

SPEC = ConnectorSpec(
    "dhl_universal",
    "DHL (Shipment Tracking - Unified)",
    (100001, 7041, 7047, 7048, 101266, 100047, 100152, 100226, 100245, 100392, 100765, 100766),
    "developer.dhl.com: create an app with the 'Shipment Tracking - Unified' API (API key and secret)",
    "Europe/Berlin",
    Pace(1, 5),
    "developer.dhl.com: the initial service level allows 1 call every 5 seconds (raise on request)",
)

# developer.dhl.com Shipment Tracking - Unified: statusCode is one of five coarse values;
# the description says more.
STATUSES = StatusTable(
    source=(
        "statusCode (developer.dhl.com) and descriptions from DHL's status list (karrio "
        "`mydhl/vendors/status_1.csv`)"
    ),
    codes={
        "PRE-TRANSIT": S.INFO_RECEIVED,
        "TRANSIT": S.IN_TRANSIT_OTHER,
        "DELIVERED": S.DELIVERED_OTHER,
        "FAILURE": S.DELIVERY_FAILURE_OTHER,
    },
    coarse=frozenset({"PRE-TRANSIT", "TRANSIT"}),
    phrases=(
        # DHL's published status list (karrio modules/connectors/mydhl/vendors/status_1.csv,
        # rows ecommerce 235 "SHIPMENT LABEL CREATED", 238 "LABEL CREATED"): karrio reads
        # their statusCode "unknown" as a delay
        ("label created", S.INFO_RECEIVED),
        ("shipment information received", S.INFO_RECEIVED),
        ("electronically announced", S.INFO_RECEIVED),
        ("awaiting collection", S.AVAILABLE_FOR_PICKUP_OTHER),
        ("ready for pickup", S.AVAILABLE_FOR_PICKUP_OTHER),
        ("available for pick-up", S.AVAILABLE_FOR_PICKUP_OTHER),
        ("customs", S.IN_TRANSIT_CUSTOMS_PROCESSING),
        *COMMON_PHRASES,
    ),
)

CARRIER = Carrier(SPEC, STATUSES)
