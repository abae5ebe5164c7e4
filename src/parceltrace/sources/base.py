"""The source interface: fetch what a carrier reports for one tracking."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from parceltrace.protocol.failures import ParceltraceError
from parceltrace.tracking.model import SourceResult


@dataclass(frozen=True, slots=True)
class TrackingRef:
    number: str
    carrier: int
    final_carrier: int
    param: str | None
    registered_at: datetime


class SourceError(ParceltraceError):
    """The source could not answer now; the tracking shows `latest_sync_status: Failure` and is retried."""


class Source(Protocol):
    name: str

    async def fetch(self, ref: TrackingRef, now: datetime) -> SourceResult:
        """What the carrier reports at `now`; raises SourceError when it cannot tell."""
        ...


class NoSource:
    """Live mode without a source for a carrier: every fetch fails, visibly and harmlessly,
    with `reason` (what to configure)."""

    name = "none"

    def __init__(self, reason: str = "no tracking source is configured for live mode") -> None:
        self.reason = reason

    async def fetch(self, ref: TrackingRef, now: datetime) -> SourceResult:
        raise SourceError(self.reason)
