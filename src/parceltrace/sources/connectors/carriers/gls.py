"""GLS (Track and Trace): the connector's catalog entry and its status table (with its sources)."""

from __future__ import annotations

from parceltrace.sources.connectors.carrier import Carrier, ConnectorSpec, Pace, S, StatusTable

SPEC = ConnectorSpec(
    "gls",
    "GLS (Track and Trace)",
    (100005, 101109, 101070, 101272, 100384, 100207, 100280, 100281, 100282, 100283, 100284),
    "dev-portal.gls-group.net: an app with the Track and Trace API (client ID and secret)",
    "Europe/Amsterdam",
    Pace(500, 86400),
    "GLS's Track and Trace API description (karrio modules/connectors/gls/vendor/ecitrackandtrace.yaml): "
    "500 requests a day by default, more on request",
    batch=10,
)

# GLS Track and Trace API v1: events carry GLS's parcel status codes (the ParcelDTO status
# list: PREADVICE ... FINAL) and an English description, matched where the code says little.
STATUSES = StatusTable(
    source="GLS's ParcelDTO status list (karrio's GLS `TrackingStatus`) and descriptions",
    codes={
        "PREADVICE": S.INFO_RECEIVED,
        # GLS's published examples (samples/openapi_*.json): E48_DATA "provided by the sender
        # for collection by GLS", DELIVD.PARCELSHOP "delivered at the ParcelShop"
        "E48_DATA": S.INFO_RECEIVED,
        "PARCELSHOP": S.AVAILABLE_FOR_PICKUP_OTHER,
        "PLANNEDPICKUP": S.INFO_RECEIVED,
        "INPICKUP": S.INFO_RECEIVED,
        "NOTPICKEDUP": S.EXCEPTION_OTHER,
        "INTRANSIT": S.IN_TRANSIT_OTHER,
        "INWAREHOUSE": S.IN_TRANSIT_ARRIVAL,
        "INDELIVERY": S.OUT_FOR_DELIVERY_OTHER,
        "DELIVERED": S.DELIVERED_OTHER,
        "DELIVEREDPS": S.AVAILABLE_FOR_PICKUP_OTHER,
        "NOTDELIVERED": S.DELIVERY_FAILURE_OTHER,
        "CANCELED": S.EXCEPTION_CANCEL,
        "FINAL": S.DELIVERED_OTHER,
    },
    phrases=(
        ("not yet handed over", S.INFO_RECEIVED),
        ("handed over to gls", S.IN_TRANSIT_PICKED_UP),
        ("left the parcel center", S.IN_TRANSIT_DEPARTURE),
        ("reached the parcel center", S.IN_TRANSIT_ARRIVAL),
        ("not at home", S.DELIVERY_FAILURE_NO_BODY),
        ("could not be delivered", S.DELIVERY_FAILURE_OTHER),
        ("returned to the shipper", S.EXCEPTION_RETURNED),
        ("parcelshop", S.AVAILABLE_FOR_PICKUP_OTHER),
    ),
    coarse=frozenset({"INTRANSIT", "INWAREHOUSE", "NOTDELIVERED"}),
)

CARRIER = Carrier(SPEC, STATUSES)
