"""Clean what a source reports before it is stored: statuses within the 30 known ones."""

from __future__ import annotations

import msgspec

from parceltrace.protocol.status import SubStatus
from parceltrace.protocol.structs import Event
from parceltrace.tracking.model import SourceResult
from parceltrace.tracking.status_map import normalize_sub_status, stage_of

_KNOWN = {s.value for s in SubStatus}


def _clean(event: Event) -> bool:
    if event.sub_status not in _KNOWN:
        return False
    stage = stage_of(SubStatus(event.sub_status))
    return event.stage == (stage.value if stage else None)


def normalized(result: SourceResult) -> SourceResult:
    """Unknown sub-statuses land on their main status's `_Other`; stages follow sub-statuses."""
    if all(_clean(e) for p in result.providers for e in p.events):
        return result
    providers = []
    for provider in result.providers:
        events = []
        for event in provider.events:
            sub = normalize_sub_status(event.sub_status)
            stage = stage_of(sub)
            if event.sub_status != sub.value or event.stage != (stage.value if stage else event.stage):
                event = msgspec.structs.replace(
                    event, sub_status=sub.value, stage=stage.value if stage else None
                )
            events.append(event)
        providers.append(msgspec.structs.replace(provider, events=events))
    return msgspec.structs.replace(result, providers=providers)
