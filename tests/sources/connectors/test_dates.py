"""The faster karrio date parsing gives what karrio's own gives, for every text and format list:
the same datetime with the same offset, or the same exception; except the afternoon hours that
karrio's `%H`-with-`%p` formats (DPD) read as morning ones."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parceltrace.sources.connectors import calls, dates

assert calls.karrio_installed()  # imports karrio quietly (it warns about PyPDF2 at import)
from karrio.core.utils.datetime import DATEFORMAT  # noqa: E402

FORMATS = [
    *dates.ISO_FORMATS,
    "%Y-%m-%dT%H:%M:%S.%f%z",
    "%Y%m%d",
    "%H%M%S",
    "%d/%m/%Y %I:%M %p",
    "%b %d, %Y",
    "%H:%M:%S",
    "",
]


def karrios() -> Any:
    assert hasattr(DATEFORMAT.date, "__wrapped__"), "prepare_karrio put the faster parsing in"
    return DATEFORMAT.date.__wrapped__


def outcome(parse: Any, *args: Any) -> tuple[Any, ...]:
    try:
        value = parse(*args)
    except Exception as exc:
        return ("raised", type(exc))
    if value is None:
        return ("none",)
    return ("read", value, value.tzinfo and value.utcoffset(), value.isoformat())


def two(lower: int, upper: int) -> st.SearchStrategy[str]:
    return st.integers(lower, upper).map(lambda n: f"{n:02d}")


iso_like = st.builds(
    lambda y, mo, d, sep, h, mi, s, tail: f"{y:04d}-{mo}-{d}{sep}{h}:{mi}:{s}{tail}",
    st.integers(1, 9999),
    two(0, 13),
    two(0, 32),
    st.sampled_from(["T", " ", "t", "_"]),
    two(0, 25),
    two(0, 60),
    two(0, 62),
    st.sampled_from(
        ["", "Z", "z", "+01:00", "-05:00", "+0530", "+24:00", "-00:00", ".123", "+01:00:30", "+1"]
    ),
)
texts = st.one_of(
    iso_like,
    iso_like.map(lambda text: text[:10]),
    st.text(alphabet="0123456789-:T +Zz./", max_size=30),
    st.sampled_from(["2026-02-29", "2024-02-29", "2026-11-20T24:00:00", "20261120", "Nov 20, 2026", " "]),
)


@settings(max_examples=3000, deadline=None)
@given(
    text=texts,
    current=st.sampled_from(FORMATS),
    tried=st.one_of(st.none(), st.lists(st.sampled_from(FORMATS), max_size=5)),
)
def test_same_answer_as_karrio(text: str, current: str, tried: list[str] | None) -> None:
    assert outcome(DATEFORMAT.date, text, current, tried) == outcome(karrios(), text, current, tried)


@pytest.mark.parametrize(
    ("text", "tried", "expected"),
    [
        ("2026-11-20T13:45:00-05:00", ["%Y-%m-%dT%H:%M:%S%z"], "2026-11-20T13:45:00-05:00"),
        ("2026-11-20T13:45:00Z", ["%Y-%m-%dT%H:%M:%S%z"], "2026-11-20T13:45:00+00:00"),
        ("2026-11-20T13:45:00Z", ["%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S%z"], "2026-11-20T13:45:00"),
        ("2026-11-20T13:45:00+0100", ["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S%z"], "2026-11-20T13:45:00+01:00"),
        ("2026-11-20", ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"], "2026-11-20T00:00:00"),
    ],
)
def test_carrier_times_read(text: str, tried: list[str], expected: str) -> None:
    """Cases from the carriers' documented answers (DHL, FedEx)."""
    assert DATEFORMAT.date(text, try_formats=tried).isoformat() == expected
    assert karrios()(text, try_formats=tried).isoformat() == expected


DPD = "%m/%d/%Y %H:%M:%S %p"


@pytest.mark.parametrize(
    ("text", "expected", "karrio_read"),
    [
        ("11/20/2026 01:45:00 PM", "2026-11-20T13:45:00", "2026-11-20T01:45:00"),
        ("11/20/2026 1:45:00 PM", "2026-11-20T13:45:00", "2026-11-20T01:45:00"),
        ("11/20/2026 13:45:00 PM", "2026-11-20T13:45:00", "2026-11-20T13:45:00"),
        ("11/20/2026 12:10:00 PM", "2026-11-20T12:10:00", "2026-11-20T12:10:00"),
        ("11/20/2026 12:10:00 AM", "2026-11-20T00:10:00", "2026-11-20T12:10:00"),
        ("11/20/2026 09:05:00 AM", "2026-11-20T09:05:00", "2026-11-20T09:05:00"),
    ],
)
def test_a_24_hour_format_with_am_pm_reads_the_afternoon(text: str, expected: str, karrio_read: str) -> None:
    assert DATEFORMAT.date(text, current_format=DPD).isoformat() == expected
    assert DATEFORMAT.date(text, try_formats=[DPD]).isoformat() == expected
    assert karrios()(text, current_format=DPD).isoformat() == karrio_read


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2090, 1, 1)), st.booleans())
def test_twelve_and_24_hour_clocks_with_am_pm_read_the_same_moment(moment: datetime, twelve: bool) -> None:
    moment = moment.replace(microsecond=0)
    text = moment.strftime("%m/%d/%Y %I:%M:%S %p" if twelve else "%m/%d/%Y %H:%M:%S %p")
    assert DATEFORMAT.date(text, current_format=DPD) == moment


@pytest.mark.parametrize("text", ["20 November", "2026-11-20T13:45:60", "2026-02-29"])
def test_a_time_no_format_reads_raises_as_karrio_does(text: str) -> None:
    with pytest.raises(ValueError):
        DATEFORMAT.date(text, try_formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"])
