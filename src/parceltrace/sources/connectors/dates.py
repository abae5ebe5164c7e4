"""karrio's date parsing, with the same answers at a fraction of the cost.

karrio reads each carrier time by trying a list of formats with `strptime`: several calls per
event, most of them failing. Every call takes one process-wide lock (`_strptime`'s cache lock,
held around a locale query), so a connector's threads queued on it: under the FedEx benchmark
it held a third of all samples (py-spy). Two shortcuts, each giving exactly what `strptime`
gives (a property test holds them to it):
- a text in one of the ISO 8601 formats carriers use is read by `datetime.fromisoformat` (C,
  no lock) once a strict pattern has matched it;
- a format whose `strptime` pattern cannot match the text is skipped without asking.

One answer differs, on purpose: a format with a 24-hour `%H` and an AM/PM `%p` (karrio's DPD
reads `11/20/2026 01:45:00 PM` so) gets `strptime`'s hour, which ignores `%p` beside `%H`,
moved to the afternoon for PM (and 12 AM to 0): `01:45:00 PM` is 13:45, not 01:45, and a
24-hour `13:45:00 PM` stays 13:45."""

from __future__ import annotations

import _strptime  # type: ignore[import-not-found]  # the module behind datetime.strptime
import functools
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

_DATE = r"\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])"
_TIME = r"(?:[01]\d|2[0-3]):[0-5]\d:(?:[0-5]\d|6[01])"
_OFFSET = r"(?:Z|[+-](?:[01]\d|2[0-3]):?[0-5]\d)"
ISO_FORMATS: dict[str, tuple[re.Pattern[str], Callable[[str], str]]] = {
    "%Y-%m-%d": (re.compile(_DATE), str),
    "%Y-%m-%dT%H:%M:%S": (re.compile(f"{_DATE}T{_TIME}"), str),
    "%Y-%m-%d %H:%M:%S": (re.compile(f"{_DATE} {_TIME}"), str),
    "%Y-%m-%dT%H:%M:%SZ": (re.compile(f"{_DATE}T{_TIME}Z"), lambda text: text[:-1]),
    "%Y-%m-%dT%H:%M:%S%z": (re.compile(f"{_DATE}T{_TIME}{_OFFSET}"), str),
}
"""Format -> (a pattern only texts `fromisoformat` reads as `strptime` does can match, and the
part of the text to give it). Seconds 60 and 61 match here but `fromisoformat` refuses them,
so they go to `strptime`, as does anything else."""

_compiled: dict[str, re.Pattern[str] | None] = {}


@functools.cache
def _time_patterns() -> Any:
    """`strptime`'s own patterns, built on first use (reading the locale), not at import."""
    return _strptime.TimeRE()


def _could_match(text: str, form: Any) -> bool:
    """False only when `strptime(text, form)` is sure to fail: its pattern does not cover the
    text from start to end (what `strptime` itself checks first)."""
    if not isinstance(form, str):
        return True
    if form not in _compiled:
        try:
            _compiled[form] = _time_patterns().compile(form)
        except Exception:  # strptime will say what is wrong with the format
            _compiled[form] = None
    pattern = _compiled[form]
    if pattern is None:
        return True
    found = pattern.match(text)
    return found is not None and found.end() == len(text)


def _iso(text: str, form: Any) -> datetime | None:
    known = ISO_FORMATS.get(form) if isinstance(form, str) else None
    if known is None or not known[0].fullmatch(text):
        return None
    try:
        return datetime.fromisoformat(known[1](text))
    except ValueError:
        return None


def read(text: str, form: Any) -> datetime | None:
    """`strptime(text, form)`, or None where it raises ValueError."""
    fast = _iso(text, form)
    if fast is not None:
        return fast
    if not _could_match(text, form):
        return None
    try:
        return _half_day(datetime.strptime(text, form), text, form)
    except ValueError:
        return None


def _half_day(found: datetime, text: str, form: Any) -> datetime:
    """The hour `%p` says, where `%H` made `strptime` ignore it (see the module's note)."""
    if not (isinstance(form, str) and "%H" in form and "%p" in form):
        return found
    half = _HALF_DAY.search(text)
    if half is None:
        return found
    if half[1].upper() == "P" and found.hour < 12:
        return found.replace(hour=found.hour + 12)
    if half[1].upper() == "A" and found.hour == 12:
        return found.replace(hour=0)
    return found


_HALF_DAY = re.compile(r"\b([AaPp])\.?[Mm]\.?(?:\b|$)")


def faster(date: Callable[..., Any]) -> Callable[..., Any]:
    """karrio's `DATEFORMAT.date(value, current_format, try_formats)` on `read`: the formats
    tried in karrio's order, then `current_format`, whose failure raises as karrio's does."""

    @functools.wraps(date)
    def parse(
        date_value: Any = None, current_format: str = "%Y-%m-%d", try_formats: list[Any] | None = None
    ) -> Any:
        if not isinstance(date_value, str) or not any(date_value.split(" ")):
            return date(date_value, current_format=current_format, try_formats=try_formats)
        for form in try_formats if try_formats and any(try_formats) else []:
            found = read(date_value, form)
            if found is not None:
                return found
        found = read(date_value, current_format)
        if found is not None:
            return found
        return _half_day(datetime.strptime(date_value, current_format), date_value, current_format)

    return parse
