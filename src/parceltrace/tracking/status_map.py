"""Statuses as data: which milestone a sub-status marks, and where unknown statuses land."""

from __future__ import annotations

from parceltrace.protocol.status import KeyStage, MainStatus, SubStatus, other_sub_status

STAGE_OF: dict[SubStatus, KeyStage] = {
    SubStatus.INFO_RECEIVED: KeyStage.INFO_RECEIVED,
    SubStatus.IN_TRANSIT_PICKED_UP: KeyStage.PICKED_UP,
    SubStatus.IN_TRANSIT_DEPARTURE: KeyStage.DEPARTURE,
    SubStatus.IN_TRANSIT_ARRIVAL: KeyStage.ARRIVAL,
    SubStatus.AVAILABLE_FOR_PICKUP_OTHER: KeyStage.AVAILABLE_FOR_PICKUP,
    SubStatus.OUT_FOR_DELIVERY_OTHER: KeyStage.OUT_FOR_DELIVERY,
    SubStatus.DELIVERED_OTHER: KeyStage.DELIVERED,
    SubStatus.EXCEPTION_RETURNING: KeyStage.RETURNING,
    SubStatus.EXCEPTION_RETURNED: KeyStage.RETURNED,
}
"""Sub-statuses that mark a milestone; the others mark none."""

_BY_LOWER = {s.value.lower(): s for s in SubStatus}
_MAIN_BY_LOWER = {m.value.lower(): m for m in MainStatus}


def normalize_sub_status(value: str | None) -> SubStatus:
    """A source's status as one of the 30 sub-statuses, never an error.

    Known names (any case) are kept; `Main_Unknown` lands on that main status's `_Other`;
    anything else is an in-transit event we cannot classify.
    """
    if not value:
        return SubStatus.IN_TRANSIT_OTHER
    known = _BY_LOWER.get(value.lower())
    if known is not None:
        return known
    main = _MAIN_BY_LOWER.get(value.split("_", 1)[0].lower())
    return other_sub_status(main) if main is not None else SubStatus.IN_TRANSIT_OTHER


def stage_of(sub_status: SubStatus) -> KeyStage | None:
    return STAGE_OF.get(sub_status)
