"""Building events for derivation tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from parceltrace.protocol.structs import Address, Event, ProviderInfo, ProviderTrack, TimeRaw
from parceltrace.tracking.model import SourceResult
from parceltrace.tracking.status_map import normalize_sub_status, stage_of

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def event(day: float, sub_status: str, text: str = "") -> Event:
    moment = T0 + timedelta(days=day)
    stage = stage_of(normalize_sub_status(sub_status))
    return Event(
        time_iso=moment.isoformat(),
        time_utc=moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
        time_raw=TimeRaw(moment.strftime("%Y-%m-%d"), moment.strftime("%H:%M:%S"), "+00:00"),
        description=text or sub_status,
        location=None,
        stage=stage.value if stage else None,
        sub_status=sub_status,
        address=Address(),
    )


def result(*events: Event, key: int = 3011) -> SourceResult:
    newest_first = sorted(events, key=lambda e: e.time_utc or "", reverse=True)
    provider = ProviderTrack(
        provider=ProviderInfo(key, "China Post", "China Post", None, None, "CN"),
        service_type=None,
        latest_sync_status="Success",
        latest_sync_time="2026-03-20T00:00:00Z",
        events_hash=0,
        events=newest_first,
    )
    return SourceResult(providers=[provider])


def day(n: float) -> datetime:
    return T0 + timedelta(days=n)
