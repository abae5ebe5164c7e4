"""What one tracking keeps of a source's answer: a carrier or upstream may send any amount (a
50 MB answer was stored whole), so a tracking keeps at most MAX_PROVIDERS providers, the newest
MAX_EVENTS events of each and MAX_TEXT characters of an event's description and location."""

from __future__ import annotations

import msgspec

from parceltrace.protocol.structs import Event, ProviderTrack
from parceltrace.tracking.model import SourceResult

MAX_PROVIDERS = 10
MAX_EVENTS = 500
"""17TRACK's longest real journeys have a few hundred events; 500 keeps them whole."""
MAX_TEXT = 1000


def bounded(result: SourceResult) -> SourceResult:
    """`result` within the bounds (the same object when it already is)."""
    providers = result.providers[:MAX_PROVIDERS]
    kept = [_provider(p) for p in providers]
    if len(providers) == len(result.providers) and all(a is b for a, b in zip(kept, providers, strict=True)):
        return result
    return msgspec.structs.replace(result, providers=kept)


def _provider(provider: ProviderTrack) -> ProviderTrack:
    events = provider.events
    if len(events) > MAX_EVENTS:
        newest = sorted(range(len(events)), key=lambda i: events[i].time_utc or "", reverse=True)[:MAX_EVENTS]
        events = [events[i] for i in sorted(newest)]  # the newest, in the source's own order
    trimmed = [_event(e) for e in events]
    if events is provider.events and all(a is b for a, b in zip(trimmed, events, strict=True)):
        return provider
    return msgspec.structs.replace(provider, events=trimmed)


def _event(event: Event) -> Event:
    long_description = event.description is not None and len(event.description) > MAX_TEXT
    long_location = event.location is not None and len(event.location) > MAX_TEXT
    if not long_description and not long_location:
        return event
    return msgspec.structs.replace(
        event,
        description=event.description[:MAX_TEXT] if event.description else event.description,
        location=event.location[:MAX_TEXT] if event.location else event.location,
    )
