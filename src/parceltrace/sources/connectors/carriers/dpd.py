"""DPD Benelux (Web Connect): the connector's catalog entry and its status table (with its sources)."""

from __future__ import annotations

from parceltrace.sources.connectors.carrier import Carrier, ConnectorSpec, Pace, S, StatusTable

SPEC = ConnectorSpec(
    "dpd",
    "DPD Benelux (Web Connect)",
    (100321, 100811),
    "DPD Belgium or Netherlands customer service: Web Connect (DELIS-ID and password)",
    "Europe/Brussels",
    Pace(5, 1),
    "not published by DPD; 5 calls/s is a conservative default",
    undated_are_plans=True,
)

# DPD Web Connect ParcelLifeCycleService 2.0: statusInfo[].status, the step of the parcel's
# life cycle; the description says why a delivery failed.
STATUSES = StatusTable(
    source=(
        "the life-cycle steps of a recorded answer; ACCEPTED, ATSENDINGDEPOT, ONTHEROAD, "
        "ATDELIVERYDEPOT not verified"
    ),
    codes={
        # samples/karrio_tracking.xml
        "PICKEDUP": S.IN_TRANSIT_PICKED_UP,
        "DEPOT": S.IN_TRANSIT_ARRIVAL,
        "BETWEENDEPOTS": S.IN_TRANSIT_OTHER,
        # not seen in a real answer: from the earlier reading of DPD's documentation
        "ACCEPTED": S.INFO_RECEIVED,
        "ATSENDINGDEPOT": S.IN_TRANSIT_PICKED_UP,
        "ONTHEROAD": S.IN_TRANSIT_DEPARTURE,
        "ATDELIVERYDEPOT": S.IN_TRANSIT_ARRIVAL,
        "COURIER": S.OUT_FOR_DELIVERY_OTHER,
        "DELIVERED": S.DELIVERED_OTHER,
        "PARCELSHOP": S.AVAILABLE_FOR_PICKUP_OTHER,
        "PICKUPBYCONSIGNEE": S.DELIVERED_OTHER,
        "DELIVERYFAILURE": S.DELIVERY_FAILURE_OTHER,
        "RETURNINGFROMDELIVERY": S.DELIVERY_FAILURE_OTHER,
    },
    phrases=(
        ("not at home", S.DELIVERY_FAILURE_NO_BODY),
        ("refused", S.DELIVERY_FAILURE_REJECTED),
        ("address", S.DELIVERY_FAILURE_INVALID_ADDRESS),
    ),
    coarse=frozenset({"DELIVERYFAILURE", "RETURNINGFROMDELIVERY"}),
)

CARRIER = Carrier(SPEC, STATUSES)
