"""bpost: the connector's catalog entry and its status table (with its sources)."""

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
    "bpost",
    "bpost",
    (2061, 2063),
    "bpost Shipping Manager (bpost.be/portal): account ID and API passphrase",
    "Europe/Brussels",
    Pace(5, 1),
    "not published by bpost; 5 calls/s is a conservative default",
)

# bpost trackedmail itemTracking: stateInfo[].stateCode. bpost publishes no code list; the
# codes here are the ones karrio groups (delivered U.., problems B.., notices N..), and the
# routine steps (L.., R.., T..) are told apart by their descriptions.
STATUSES = StatusTable(
    source=(
        "no published list: the U/B/N groups karrio reads, and descriptions (L00 from a recorded answer)"
    ),
    codes={
        **{f"U0{n}": S.DELIVERED_OTHER for n in range(9)},
        "R13": S.AVAILABLE_FOR_PICKUP_OTHER,
        "N74": S.AVAILABLE_FOR_PICKUP_OTHER,
        "B00": S.IN_TRANSIT_CUSTOMS_PROCESSING,
        "B01": S.IN_TRANSIT_CUSTOMS_PROCESSING,
        "B02": S.IN_TRANSIT_CUSTOMS_PROCESSING,
        "B03": S.DELIVERY_FAILURE_REJECTED,
        "B23": S.DELIVERY_FAILURE_REJECTED,
        "B04": S.DELIVERY_FAILURE_NO_BODY,
        "N01": S.DELIVERY_FAILURE_NO_BODY,
        "N02": S.DELIVERY_FAILURE_NO_BODY,
        "N03": S.DELIVERY_FAILURE_OTHER,
        "B05": S.EXCEPTION_DAMAGE,
        "B08": S.EXCEPTION_DAMAGE,
        "B06": S.DELIVERY_FAILURE_INVALID_ADDRESS,
        "B07": S.DELIVERY_FAILURE_INVALID_ADDRESS,
        "B09": S.DELIVERY_FAILURE_INVALID_ADDRESS,
        "B10": S.DELIVERY_FAILURE_INVALID_ADDRESS,
    },
    phrases=(
        # karrio's recorded answer (samples/karrio_tracking_delivered.xml): L00
        # "BoundToRound - out_for_distribution" is the item on its delivery round
        ("out_for_distribution", S.OUT_FOR_DELIVERY_OTHER),
        ("boundtoround", S.OUT_FOR_DELIVERY_OTHER),
        ("announced", S.INFO_RECEIVED),
        ("handed over to bpost", S.IN_TRANSIT_PICKED_UP),
        ("arrived at", S.IN_TRANSIT_ARRIVAL),
        ("on its way to the addressee", S.OUT_FOR_DELIVERY_OTHER),
        ("pick-up point", S.AVAILABLE_FOR_PICKUP_OTHER),
        ("pickup point", S.AVAILABLE_FOR_PICKUP_OTHER),
        ("sorting centre", S.IN_TRANSIT_OTHER),
        *COMMON_PHRASES,
    ),
)

CARRIER = Carrier(SPEC, STATUSES)
