"""Sendle: the connector's catalog entry and its status table (with its sources)."""

from __future__ import annotations

from parceltrace.sources.connectors.carrier import Carrier, ConnectorSpec, Pace, S, StatusTable

SPEC = ConnectorSpec(
    "sendle",
    "Sendle",
    (100123,),
    "app.sendle.com: Settings > Integrations (Sendle ID and API key)",
    "Australia/Sydney",
    Pace(5, 1),
    "not published by Sendle (it answers 429 with Retry-After); 5 calls/s is a conservative default",
)

# developers.sendle.com tracking: tracking_events[].event_type; `Info` and `In Transit`
# cover several steps, told apart by the description.
STATUSES = StatusTable(
    source="the event types of a recorded answer, and descriptions",
    codes={
        "INFO": S.IN_TRANSIT_OTHER,
        "PICKUP": S.IN_TRANSIT_PICKED_UP,
        "DROP OFF": S.IN_TRANSIT_PICKED_UP,
        "DROPPED OFF": S.IN_TRANSIT_PICKED_UP,
        "PICKUP ATTEMPTED": S.EXCEPTION_OTHER,
        "IN TRANSIT": S.IN_TRANSIT_OTHER,
        "OUT FOR DELIVERY": S.OUT_FOR_DELIVERY_OTHER,
        "LOCAL DELIVERY": S.OUT_FOR_DELIVERY_OTHER,
        "DELIVERY ATTEMPTED": S.DELIVERY_FAILURE_NO_BODY,
        "CARD LEFT": S.DELIVERY_FAILURE_NO_BODY,
        "LEFT WITH AGENT": S.AVAILABLE_FOR_PICKUP_OTHER,
        "DELIVERED": S.DELIVERED_OTHER,
        "DAMAGED": S.EXCEPTION_DAMAGE,
        "UNABLE TO DELIVER": S.DELIVERY_FAILURE_OTHER,
        "RETURN TO SENDER": S.EXCEPTION_RETURNING,
    },
    phrases=(
        ("booking", S.INFO_RECEIVED),
        ("label", S.INFO_RECEIVED),
        ("between locations", S.IN_TRANSIT_DEPARTURE),
        ("arrived at", S.IN_TRANSIT_ARRIVAL),
        ("departed", S.IN_TRANSIT_DEPARTURE),
    ),
    coarse=frozenset({"INFO", "IN TRANSIT"}),
)

CARRIER = Carrier(SPEC, STATUSES)
