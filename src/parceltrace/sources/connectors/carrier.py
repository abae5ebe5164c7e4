"""What parceltrace knows of one carrier beside karrio (pure data): its catalog entry (which
17TRACK codes it serves, where credentials come from, its headquarters' zone, how many numbers
a call takes, the rate its API allows), its status table, and any change to karrio's answers
or module it needs. Each carrier is one module of `carriers/`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from parceltrace.protocol.status import SubStatus

S = SubStatus


@dataclass(frozen=True, slots=True)
class Pace:
    """At most `calls` tracking calls every `seconds` (the carrier's documented limit)."""

    calls: int
    seconds: int

    @property
    def per_second(self) -> float:
        return self.calls / self.seconds

    def __str__(self) -> str:
        return f"{self.calls}/{self.seconds}s"


@dataclass(frozen=True, slots=True)
class ConnectorSpec:
    name: str
    """karrio's carrier name (`karrio.gateway[name]`)."""
    label: str
    carriers: tuple[int, ...]
    """17TRACK carrier codes this connector tracks, the main one first."""
    credentials_from: str
    """Where a user gets the credentials."""
    zone: str
    """The carrier's headquarters time zone (IANA)."""
    pace: Pace
    pace_source: str
    """Where the rate limit comes from (or why this default was chosen)."""
    batch: int = 1
    """Numbers per karrio call: carriers whose API takes several numbers at once get batches."""
    needs: tuple[str, ...] = ()
    """Credential fields tracking needs that karrio marks optional (it serves other APIs too)."""
    invalid_number_codes: frozenset[str] = frozenset()
    """The carrier's message codes for "this number is not valid" (17TRACK's
    NotFound_InvalidCode), each seen in a real answer (tests/sources/connectors/real)."""
    undated_are_plans: bool = False
    """The carrier lists the steps still to come, without a date (DPD's life cycle): an
    undated event is not an event."""


@dataclass(frozen=True, slots=True)
class StatusTable:
    codes: dict[str, SubStatus] = field(default_factory=dict)
    """Carrier event code (upper case) -> sub-status."""
    phrases: tuple[tuple[str, SubStatus], ...] = ()
    """Lower-case text found in the description -> sub-status, first match wins."""
    coarse: frozenset[str] = frozenset()
    """Codes that say little (DHL's `TRANSIT`): the phrases may tell more."""
    source: str = ""
    """Where the codes and phrases come from (the README's carrier table shows it)."""
    event_status_is_karrios: bool = True
    """False where karrio gives every event the shipment's status (Australia Post): then an
    unknown event is in transit, not whatever the shipment is now."""


COMMON_PHRASES: tuple[tuple[str, SubStatus], ...] = (
    ("not delivered", S.DELIVERY_FAILURE_OTHER),
    ("could not be delivered", S.DELIVERY_FAILURE_OTHER),
    ("delivery failed", S.DELIVERY_FAILURE_OTHER),
    ("delivery attempt", S.DELIVERY_FAILURE_NO_BODY),
    ("returned to sender", S.EXCEPTION_RETURNED),
    ("returned to shipper", S.EXCEPTION_RETURNED),
    ("return to sender", S.EXCEPTION_RETURNING),
    ("being returned", S.EXCEPTION_RETURNING),
    ("out for delivery", S.OUT_FOR_DELIVERY_OTHER),
    ("with delivery courier", S.OUT_FOR_DELIVERY_OTHER),
    ("delivered", S.DELIVERED_OTHER),
    ("picked up", S.IN_TRANSIT_PICKED_UP),
    ("customs clearance", S.IN_TRANSIT_CUSTOMS_PROCESSING),
    ("departed", S.IN_TRANSIT_DEPARTURE),
    ("arrived", S.IN_TRANSIT_ARRIVAL),
)


@dataclass(frozen=True, slots=True)
class Carrier:
    spec: ConnectorSpec
    statuses: StatusTable
    adapt_answer: Callable[[Any], Any] | None = None
    """Changes a decoded answer before karrio's parser reads it, for a shape the parser misses
    (tested on the carrier's real answers)."""
    adapt_karrio: Callable[[], None] | None = None
    """Changes karrio's module for this carrier, once per process (`calls.prepare_karrio`)."""
