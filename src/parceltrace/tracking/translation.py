"""Event translations (`lang`) on a source result, pure: what needs translating, and the result
with `description_translation` filled in. Translations already made for a tracking are reused,
so a translator only ever sees texts it has not translated for that tracking before."""

from __future__ import annotations

from msgspec import structs

from parceltrace.protocol.structs import DescriptionTranslation, Event, ProviderTrack
from parceltrace.tracking.model import SourceResult


def _events(result: SourceResult) -> list[Event]:
    return [event for provider in result.providers for event in provider.events]


def known_translations(result: SourceResult | None, lang: str) -> dict[str, str]:
    """description -> translation, from a result translated before into `lang`."""
    if result is None:
        return {}
    return {
        event.description: event.description_translation.description
        for event in _events(result)
        if event.description and event.description_translation and event.description_translation.lang == lang
    }


def untranslated(result: SourceResult, known: dict[str, str]) -> list[str]:
    """The distinct descriptions of `result` that `known` has no translation for, in order."""
    return list(
        dict.fromkeys(e.description for e in _events(result) if e.description and e.description not in known)
    )


def translated(result: SourceResult, lang: str, known: dict[str, str]) -> SourceResult:
    """`result` with every event whose description `known` translates carrying that translation
    (the others without one: a translation never outlives a change of `lang`)."""

    def event(e: Event) -> Event:
        text = known.get(e.description) if e.description else None
        translation = DescriptionTranslation(lang=lang, description=text) if text else None
        return structs.replace(e, description_translation=translation)

    def provider(p: ProviderTrack) -> ProviderTrack:
        return structs.replace(p, events=[event(e) for e in p.events])

    return structs.replace(result, providers=[provider(p) for p in result.providers])


def has_translation(result: SourceResult | None) -> bool:
    return result is not None and any(e.description_translation for e in _events(result))
