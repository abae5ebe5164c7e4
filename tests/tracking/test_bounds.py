"""A tracking keeps a bounded part of any answer: the newest MAX_EVENTS events of at most
MAX_PROVIDERS providers, texts cut at MAX_TEXT; an answer within the bounds is kept as it is."""

from __future__ import annotations

import msgspec
from hypothesis import given
from hypothesis import strategies as st

from parceltrace.tracking.bounds import MAX_EVENTS, MAX_PROVIDERS, MAX_TEXT, bounded
from tests.tracking.events import event, result


def test_an_answer_within_the_bounds_is_the_same_object() -> None:
    answer = result(event(0, "InfoReceived"), event(1, "InTransit_PickedUp"))
    assert bounded(answer) is answer


@given(
    st.integers(min_value=0, max_value=MAX_EVENTS * 3), st.integers(min_value=1, max_value=MAX_PROVIDERS + 3)
)
def test_the_newest_events_of_the_first_providers_are_kept(count: int, providers: int) -> None:
    one = result(*(event(n / 24, "InTransit_Other", f"scan {n}") for n in range(count)))
    answer = msgspec.structs.replace(one, providers=one.providers * providers)
    kept = bounded(answer)
    assert len(kept.providers) == min(providers, MAX_PROVIDERS)
    for provider in kept.providers:
        assert len(provider.events) == min(count, MAX_EVENTS)
        assert [e.description for e in provider.events] == [f"scan {n}" for n in reversed(range(count))][
            :MAX_EVENTS
        ]


def test_long_texts_are_cut() -> None:
    long = msgspec.structs.replace(event(0, "InTransit_Other", "x" * 50_000), location="y" * 50_000)
    [kept] = bounded(result(long)).providers[0].events
    assert kept.description == "x" * MAX_TEXT and kept.location == "y" * MAX_TEXT
