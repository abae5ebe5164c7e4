"""UPS: the connector's catalog entry and its status table (with its sources)."""

from __future__ import annotations

from parceltrace.sources.connectors.carrier import Carrier, ConnectorSpec, Pace, S, StatusTable

SPEC = ConnectorSpec(
    "ups",
    "UPS",
    (100002, 100398),
    "developer.ups.com: an app with the Tracking API (client ID and secret)",
    "America/New_York",
    Pace(10, 1),
    "not published by UPS; 10 calls/s is a conservative default",
    invalid_number_codes=frozenset({"TV1002"}),  # "Invalid inquiry number"
)

# developer.ups.com Track API: activity status codes (two letters).
STATUSES = StatusTable(
    source="UPS's example answer and karrio's UPS `TrackingStatus` (UPS publishes no code list)",
    codes={
        "MP": S.INFO_RECEIVED,
        "M": S.INFO_RECEIVED,
        "OR": S.IN_TRANSIT_PICKED_UP,
        "PU": S.IN_TRANSIT_PICKED_UP,
        "DP": S.IN_TRANSIT_DEPARTURE,
        "DS": S.IN_TRANSIT_DEPARTURE,
        "AR": S.IN_TRANSIT_ARRIVAL,
        "AF": S.IN_TRANSIT_ARRIVAL,
        "IP": S.IN_TRANSIT_OTHER,
        "OT": S.OUT_FOR_DELIVERY_OTHER,
        "OF": S.OUT_FOR_DELIVERY_OTHER,
        "KB": S.DELIVERED_OTHER,
        "KM": S.DELIVERED_OTHER,
        "FS": S.DELIVERED_OTHER,
        "F4": S.DELIVERED_OTHER,
        "RP": S.AVAILABLE_FOR_PICKUP_OTHER,
        "AC": S.AVAILABLE_FOR_PICKUP_OTHER,
        "RF": S.DELIVERY_FAILURE_REJECTED,
        "NH": S.DELIVERY_FAILURE_NO_BODY,
        "IA": S.DELIVERY_FAILURE_INVALID_ADDRESS,
        "RS": S.EXCEPTION_RETURNING,
        "DY": S.EXCEPTION_DELAYED,
        "CD": S.IN_TRANSIT_CUSTOMS_PROCESSING,
        # UPS's published example (samples/karrio_tracking.json): SR "Your package was
        # released by the customs agency."
        "SR": S.IN_TRANSIT_CUSTOMS_RELEASED,
        "DA": S.EXCEPTION_DAMAGE,
        "VD": S.EXCEPTION_CANCEL,
    },
)

CARRIER = Carrier(SPEC, STATUSES)
