"""Carrier event codes as 17TRACK sub-statuses, one table per carrier (pure data).

A carrier's event is looked up by its code; carriers whose answers carry no usable code (or a
coarse one, such as DHL's `transit`) are also matched on phrases of the description, first
phrase first. What no table knows lands on the `_Other` sub-status of the main status karrio
gave the event (003: unknown statuses never crash), and the raw code is kept beside the event.
"""

from __future__ import annotations

from dataclasses import dataclass

from parceltrace.protocol.status import MainStatus, SubStatus, other_sub_status
from parceltrace.sources.connectors.carrier import StatusTable
from parceltrace.sources.connectors.carriers import ALL

KARRIO_MAIN: dict[str, MainStatus] = {
    "pending": MainStatus.INFO_RECEIVED,
    "picked_up": MainStatus.IN_TRANSIT,
    "in_transit": MainStatus.IN_TRANSIT,
    "on_hold": MainStatus.EXCEPTION,
    "cancelled": MainStatus.EXCEPTION,
    "delivered": MainStatus.DELIVERED,
    "delivery_failed": MainStatus.DELIVERY_FAILURE,
    "delivery_delayed": MainStatus.EXCEPTION,
    "out_for_delivery": MainStatus.OUT_FOR_DELIVERY,
    "ready_for_pickup": MainStatus.AVAILABLE_FOR_PICKUP,
    "return_to_sender": MainStatus.EXCEPTION,
    "unknown": MainStatus.IN_TRANSIT,
}
"""karrio's normalised event status -> the main status whose `_Other` an unknown code gets."""

TABLES: dict[str, StatusTable] = {carrier.spec.name: carrier.statuses for carrier in ALL}
"""Each carrier's table, from its module in `carriers/` (which says where its codes come from)."""


@dataclass(frozen=True, slots=True)
class Mapped:
    sub_status: SubStatus
    known: bool
    """Whether the carrier's table knew the event (False: it landed on an `_Other`)."""


def sub_status_for(
    carrier: str, code: str | None, description: str | None, karrio_status: str | None
) -> Mapped:
    table = TABLES.get(carrier, StatusTable())
    key = (code or "").strip().upper()
    if key not in table.codes and "." in key:
        key = key.rsplit(".", 1)[1]  # GLS writes `INTIAL.PREADVICE` (samples/karrio_tracking.json)
    known = table.codes.get(key)
    if known is not None and key not in table.coarse:
        return Mapped(known, True)
    text = (description or "").lower()
    for phrase, sub in table.phrases:
        if phrase in text:
            return Mapped(sub, True)
    if known is not None:
        return Mapped(known, True)
    status = (karrio_status or "") if table.event_status_is_karrios else ""
    main = KARRIO_MAIN.get(status, MainStatus.IN_TRANSIT)
    return Mapped(other_sub_status(main), False)
