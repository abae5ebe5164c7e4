"""Canada Post: the connector's catalog entry and its status table (with its sources)."""

from __future__ import annotations

from parceltrace.sources.connectors.carrier import Carrier, ConnectorSpec, Pace, S, StatusTable

SPEC = ConnectorSpec(
    "canadapost",
    "Canada Post",
    (3041,),
    "canadapost.ca/information/app/drc: Developer Program (API username and password)",
    "America/Toronto",
    Pace(5, 1),
    "not published by Canada Post; 5 calls/s is a conservative default",
)

# canadapost.ca VIS Tracking: occurrence/event-identifier.
STATUSES = StatusTable(
    source="karrio's Canada Post `TrackingStatus` and a recorded answer (0100, 20, 1496)",
    codes={
        # karrio's recorded answer (samples/karrio_tracking_detail.xml): 0100 "Item processed at postal
        # facility" is a step in transit; 20 "Signature image recorded for Online viewing"
        # comes with the delivery, in the same second
        "0100": S.IN_TRANSIT_OTHER,
        "20": S.DELIVERED_OTHER,
        "100": S.IN_TRANSIT_PICKED_UP,
        "0174": S.OUT_FOR_DELIVERY_OTHER,
        "174": S.OUT_FOR_DELIVERY_OTHER,
        "0168": S.DELIVERY_FAILURE_NO_BODY,
        "168": S.DELIVERY_FAILURE_NO_BODY,
        "0169": S.AVAILABLE_FOR_PICKUP_OTHER,
        "169": S.AVAILABLE_FOR_PICKUP_OTHER,
        "1300": S.INFO_RECEIVED,
        "1301": S.IN_TRANSIT_OTHER,
        "1408": S.DELIVERED_OTHER,
        "1409": S.DELIVERED_OTHER,
        "1421": S.DELIVERED_OTHER,
        "1496": S.DELIVERED_OTHER,
        "0170": S.EXCEPTION_RETURNING,
        "170": S.EXCEPTION_RETURNING,
        "2300": S.IN_TRANSIT_CUSTOMS_PROCESSING,
    },
)

CARRIER = Carrier(SPEC, STATUSES)
