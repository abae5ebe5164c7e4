"""La Poste / Colissimo: the connector's catalog entry and its status table (with its sources)."""

from __future__ import annotations

from parceltrace.sources.connectors.carrier import Carrier, ConnectorSpec, Pace, S, StatusTable

SPEC = ConnectorSpec(
    "laposte",
    "La Poste / Colissimo",
    (6051,),
    "developer.laposte.fr: subscribe to the 'Suivi v2' API (X-Okapi-Key)",
    "Europe/Paris",
    Pace(10, 1),
    "not published by La Poste; 10 calls/s is a conservative default",
    batch=10,
    invalid_number_codes=frozenset({"400"}),  # "Le numéro ... n'est pas valide"
)

# developer.laposte.fr Suivi v2: shipment.event[].code.
STATUSES = StatusTable(
    source="a recorded answer (DR1, PC1, ET1-ET3, MD2, DI1); the other codes not verified",
    codes={
        "DR1": S.INFO_RECEIVED,
        "PC1": S.IN_TRANSIT_PICKED_UP,
        "PC2": S.IN_TRANSIT_PICKED_UP,
        "ET1": S.IN_TRANSIT_OTHER,
        "ET2": S.IN_TRANSIT_DEPARTURE,
        "ET3": S.IN_TRANSIT_ARRIVAL,
        "ET4": S.IN_TRANSIT_OTHER,
        "EP1": S.IN_TRANSIT_OTHER,
        "DO1": S.IN_TRANSIT_CUSTOMS_PROCESSING,
        "DO2": S.IN_TRANSIT_CUSTOMS_RELEASED,
        "DO3": S.IN_TRANSIT_CUSTOMS_REQUIRING_INFORMATION,
        "PB1": S.EXCEPTION_OTHER,
        "PB2": S.IN_TRANSIT_OTHER,
        "MD2": S.OUT_FOR_DELIVERY_OTHER,
        "ND1": S.DELIVERY_FAILURE_OTHER,
        "AG1": S.AVAILABLE_FOR_PICKUP_OTHER,
        "RE1": S.EXCEPTION_RETURNING,
        "DI1": S.DELIVERED_OTHER,
        "DI2": S.EXCEPTION_RETURNED,
    },
)

CARRIER = Carrier(SPEC, STATUSES)
