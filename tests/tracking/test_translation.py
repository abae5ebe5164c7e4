from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from parceltrace.protocol.structs import (
    Address,
    DescriptionTranslation,
    Event,
    ProviderInfo,
    ProviderTrack,
    TimeRaw,
)
from parceltrace.tracking import translation
from parceltrace.tracking.model import SourceResult


def result(descriptions: list[str | None]) -> SourceResult:
    events = [Event(None, None, TimeRaw(), d, None, None, None, Address()) for d in descriptions]
    provider = ProviderTrack(ProviderInfo(1, None, None, None, None, None), None, None, None, 0, events)
    return SourceResult(providers=[provider])


texts = st.lists(st.one_of(st.none(), st.text(max_size=20)), max_size=12)


@given(texts, st.dictionaries(st.text(max_size=20), st.text(min_size=1, max_size=20)))
def test_translated_fills_exactly_the_known_texts(
    descriptions: list[str | None], known: dict[str, str]
) -> None:
    done = translation.translated(result(descriptions), "de", known)
    events = done.providers[0].events
    assert [e.description for e in events] == descriptions
    for event in events:
        expected = known.get(event.description) if event.description else None
        assert event.description_translation == (DescriptionTranslation("de", expected) if expected else None)
    assert translation.known_translations(done, "de") == {
        d: known[d] for d in descriptions if d and d in known
    }
    assert translation.known_translations(done, "fr") == {}


@given(texts, st.dictionaries(st.text(max_size=20), st.text(min_size=1, max_size=20)))
def test_untranslated_is_what_is_left_once_each(
    descriptions: list[str | None], known: dict[str, str]
) -> None:
    left = translation.untranslated(result(descriptions), known)
    assert len(left) == len(set(left))
    assert set(left) == {d for d in descriptions if d and d not in known}


def test_has_translation_and_strip() -> None:
    done = translation.translated(result(["a", "b"]), "ja", {"a": "あ"})
    assert translation.has_translation(done)
    assert not translation.has_translation(translation.translated(done, "ja", {}))
    assert not translation.has_translation(None)
