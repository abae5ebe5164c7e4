"""TNT (ExpressConnect): the connector's catalog entry and its status table (with its sources)."""

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
    "tnt",
    "TNT (ExpressConnect)",
    (100004, 100241),
    "TNT / FedEx customer service: ExpressConnect tracking access (user and password)",
    "Europe/Amsterdam",
    Pace(5, 1),
    "not published by TNT; 5 calls/s is a conservative default",
    batch=10,
)

# TNT ExpressConnect Tracking 3.1: StatusData[].StatusCode is not a published list, so
# TNT's events are told apart by their descriptions (StatusDescription).
STATUSES = StatusTable(
    source="descriptions only (TNT publishes no code list)",
    phrases=(
        ("not available", S.DELIVERY_FAILURE_NO_BODY),
        ("card left", S.DELIVERY_FAILURE_NO_BODY),
        ("refused", S.DELIVERY_FAILURE_REJECTED),
        ("incorrect address", S.DELIVERY_FAILURE_INVALID_ADDRESS),
        ("collected from customer", S.IN_TRANSIT_PICKED_UP),
        ("received at", S.IN_TRANSIT_ARRIVAL),
        ("arrived at", S.IN_TRANSIT_ARRIVAL),
        ("departed", S.IN_TRANSIT_DEPARTURE),
        ("customs", S.IN_TRANSIT_CUSTOMS_PROCESSING),
        ("damaged", S.EXCEPTION_DAMAGE),
        *COMMON_PHRASES,
    ),
)

CARRIER = Carrier(SPEC, STATUSES)
