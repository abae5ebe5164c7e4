"""Asendia (Sync API): the connector's catalog entry and its status table (with its sources)."""

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
    "asendia",
    "Asendia (Sync API)",
    (100029, 101265),
    "Asendia customer service: Asendia Sync API access (username, password, customer ID)",
    "Europe/Paris",
    Pace(5, 1),
    "not published by Asendia; 5 calls/s is a conservative default",
    needs=("customer_id",),
)

# Asendia Sync API tracking: trackingEvents[].code is not a published list, so Asendia's
# events are told apart by their descriptions (carrierEventDescription).
STATUSES = StatusTable(
    source="descriptions only (Asendia publishes no code list)",
    phrases=(
        ("information received", S.INFO_RECEIVED),
        ("not at home", S.DELIVERY_FAILURE_NO_BODY),
        ("refused", S.DELIVERY_FAILURE_REJECTED),
        ("received at", S.IN_TRANSIT_PICKED_UP),
        ("departed", S.IN_TRANSIT_DEPARTURE),
        ("arrived", S.IN_TRANSIT_ARRIVAL),
        ("customs", S.IN_TRANSIT_CUSTOMS_PROCESSING),
        ("pick-up point", S.AVAILABLE_FOR_PICKUP_OTHER),
        ("pickup point", S.AVAILABLE_FOR_PICKUP_OTHER),
        *COMMON_PHRASES,
    ),
)

CARRIER = Carrier(SPEC, STATUSES)
