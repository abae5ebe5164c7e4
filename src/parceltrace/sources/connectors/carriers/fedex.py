"""FedEx: the connector's catalog entry and its status table (with its sources)."""

from __future__ import annotations

from parceltrace.sources.connectors.carrier import Carrier, ConnectorSpec, Pace, S, StatusTable

SPEC = ConnectorSpec(
    "fedex",
    "FedEx",
    (100003,),
    "developer.fedex.com: a project with the Track API (API key and secret key)",
    "America/Chicago",
    Pace(1400, 10),
    "developer.fedex.com: 1,400 transactions per 10 seconds",
    batch=30,
    needs=("track_api_key", "track_secret_key"),
)

# developer.fedex.com Track API: scanEvents[].eventType.
STATUSES = StatusTable(
    source=(
        "karrio's FedEx `TrackingStatus` (FedEx's tracking status codes); DE by its words, from a "
        "recorded answer"
    ),
    codes={
        "OC": S.INFO_RECEIVED,
        "EP": S.INFO_RECEIVED,
        "PU": S.IN_TRANSIT_PICKED_UP,
        "PX": S.IN_TRANSIT_PICKED_UP,
        "OF": S.IN_TRANSIT_OTHER,
        "DP": S.IN_TRANSIT_DEPARTURE,
        "LO": S.IN_TRANSIT_DEPARTURE,
        "AR": S.IN_TRANSIT_ARRIVAL,
        "AF": S.IN_TRANSIT_ARRIVAL,
        "FD": S.IN_TRANSIT_ARRIVAL,
        "AA": S.IN_TRANSIT_ARRIVAL,
        "IT": S.IN_TRANSIT_OTHER,
        # recorded answers (samples/karrio_*delivered*.json): AO "Shipment arriving On-Time",
        # AE "Shipment arriving early"
        "AO": S.IN_TRANSIT_OTHER,
        "AE": S.IN_TRANSIT_OTHER,
        "IX": S.IN_TRANSIT_OTHER,
        "PF": S.IN_TRANSIT_OTHER,
        "PL": S.IN_TRANSIT_OTHER,
        "TR": S.IN_TRANSIT_OTHER,
        "SF": S.IN_TRANSIT_OTHER,
        "CP": S.IN_TRANSIT_CUSTOMS_PROCESSING,
        "CC": S.IN_TRANSIT_CUSTOMS_RELEASED,
        "CD": S.IN_TRANSIT_CUSTOMS_REQUIRING_INFORMATION,
        "OD": S.OUT_FOR_DELIVERY_OTHER,
        "ED": S.OUT_FOR_DELIVERY_OTHER,
        "AD": S.OUT_FOR_DELIVERY_OTHER,
        "DL": S.DELIVERED_OTHER,
        "DE": S.DELIVERY_FAILURE_OTHER,
        "SE": S.EXCEPTION_OTHER,
        "DY": S.EXCEPTION_DELAYED,
        "DD": S.EXCEPTION_DELAYED,
        "PD": S.EXCEPTION_DELAYED,
        "HL": S.AVAILABLE_FOR_PICKUP_OTHER,
        "HP": S.AVAILABLE_FOR_PICKUP_OTHER,
        "RS": S.EXCEPTION_RETURNING,
        "CA": S.EXCEPTION_CANCEL,
    },
    # a recorded answer (samples/karrio_delivered_after_failed_attempt.json): DE covers
    # "Customer not available or business closed" and "FedEx redirected your package"
    coarse=frozenset({"DE"}),
    phrases=(
        ("customer not available", S.DELIVERY_FAILURE_NO_BODY),
        ("business closed", S.DELIVERY_FAILURE_NO_BODY),
    ),
)


def no_signature_images() -> None:
    """karrio fetches FedEx's signature image for each delivered package while parsing: one
    more call per package, one after the other, for an image parceltrace never shows."""
    try:
        import karrio.providers.fedex.utils as fedex_utils
    except ImportError:
        return
    if hasattr(fedex_utils, "get_proof_of_delivery"):
        fedex_utils.get_proof_of_delivery = lambda *_args, **_kwargs: None


CARRIER = Carrier(SPEC, STATUSES, adapt_karrio=no_signature_images)
