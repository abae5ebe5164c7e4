"""Royal Mail: the connector's catalog entry and its status table (with its sources)."""

from __future__ import annotations

from parceltrace.sources.connectors.carrier import Carrier, ConnectorSpec, Pace, S, StatusTable

SPEC = ConnectorSpec(
    "royalmail",
    "Royal Mail",
    (11031,),
    "developer.royalmail.net: an app with the Tracking API (IBM client ID and secret)",
    "Europe/London",
    Pace(5, 1),
    "not published by Royal Mail; 5 calls/s is a conservative default",
)

# developer.royalmail.net Tracking API v2: mailPieces.events[].eventCode / eventName.
STATUSES = StatusTable(
    source="EVNMI from a recorded answer; the other codes not verified (Royal Mail's list is not public)",
    codes={
        "EVPPA": S.INFO_RECEIVED,
        "EVAIP": S.IN_TRANSIT_PICKED_UP,
        # samples/karrio_tracking.json: EVNMI "Forwarded - Mis-sort", the item "being
        # redirected" (statusCategory IN TRANSIT); the stand-in had invented a pick-up
        "EVNMI": S.IN_TRANSIT_OTHER,
        "EVORI": S.IN_TRANSIT_OTHER,
        "EVDAC": S.IN_TRANSIT_ARRIVAL,
        "EVOCO": S.IN_TRANSIT_CUSTOMS_PROCESSING,
        "EVODO": S.OUT_FOR_DELIVERY_OTHER,
        "EVKOP": S.DELIVERED_OTHER,
        "EVKSP": S.DELIVERED_OTHER,
        "EVDAV": S.DELIVERED_OTHER,
        "EVKLS": S.DELIVERED_OTHER,
        "RSRXS": S.DELIVERY_FAILURE_NO_BODY,
        "EVNRR": S.AVAILABLE_FOR_PICKUP_OTHER,
        "EVNRT": S.EXCEPTION_RETURNING,
    },
    phrases=(
        ("sorry we missed you", S.DELIVERY_FAILURE_NO_BODY),
        ("we tried to deliver", S.DELIVERY_FAILURE_NO_BODY),
        ("ready for collection", S.AVAILABLE_FOR_PICKUP_OTHER),
        ("available for collection", S.AVAILABLE_FOR_PICKUP_OTHER),
    ),
)

CARRIER = Carrier(SPEC, STATUSES)
