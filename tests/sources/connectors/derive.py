"""Samples derived from a real answer, for a stand-in's journeys: the answer as it stood
earlier (the events after a moment removed, nothing else changed) and for another number (the
answer's own number replaced). Each derivation is named where it is used, so what was changed
is in the code; nothing is written from scratch."""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from typing import Any

from tests.sources.connectors.corpus import BY_CARRIER_FILE

DIGITS = re.compile(r"\d")
DATED = re.compile(r"\d{4}-?\d{2}-?\d{2}")


US_TIME = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4}) (\d{1,2}):(\d{2}):(\d{2}) ([AP]M)")
"""DPD's `8/17/2021 7:11:26 PM`."""


def _moment(text: str) -> str:
    """A date-time as its digits (`2024-08-20T12:41:57-04:00` -> `20240820124157`)."""
    us = US_TIME.search(text)
    if us is not None:
        month, day, year, hour, minute, second, half = us.groups()
        hour24 = int(hour) % 12 + (12 if half == "PM" else 0)
        return f"{year}{int(month):02d}{int(day):02d}{hour24:02d}{minute}{second}"
    found = DATED.search(text)
    if found is None:
        return ""
    rest = text[found.start() :]
    digits = "".join(DIGITS.findall(rest[:19]))
    return digits[:14]


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _when(record: dict[str, Any]) -> str | None:
    """The moment of a JSON record: its first own value that is an ISO date (a number of digits
    is not one)."""
    for value in record.values():
        if isinstance(value, str) and ISO_DATE.match(value.strip()):
            return _moment(value)
    return None


def _cut(value: Any, last: str) -> Any:
    if isinstance(value, dict):
        return {key: _cut(item, last) for key, item in value.items()}
    if isinstance(value, list):
        dated = [item for item in value if isinstance(item, dict) and _when(item) is not None]
        if dated and len(dated) == len(value):
            value = [item for item in value if (_when(item) or "")[: len(last)] <= last]
        return [_cut(item, last) for item in value]
    return value


def cut_json(text: str, last: str) -> str:
    """The JSON answer as it stood at `last` (digits, `20240819` or `202408191200`): every list
    of dated records loses the records after it."""
    return json.dumps(_cut(json.loads(text), last), indent=2)


def cut_xml(text: str, element: str, last: str) -> str:
    """The XML answer as it stood at `last`: each `<element>` whose first date is after it is
    removed."""
    pattern = re.compile(rf"\s*<{element}\b.*?</{element}>", re.S)

    def keep(found: re.Match[str]) -> str:
        moment = _moment(found.group(0))
        return found.group(0) if moment[: len(last)] <= last else ""

    return pattern.sub(keep, text)


@functools.cache
def _recorded(carrier: str, sample: str) -> str:
    """A sample's text, read once per process (a stand-in answers it for every call)."""
    return BY_CARRIER_FILE[carrier, sample].local.read_text()


@dataclass(frozen=True, slots=True)
class Journey:
    """A stand-in's answer for one scenario: a real sample, cut back to `last` (digits of the
    moment, None: as recorded), its own `number` replaced by the one asked."""

    carrier: str
    sample: str
    number: str
    last: str | None = None
    element: str | None = None
    """For XML: the repeated element that is one event."""
    expect: str = ""
    """The latest sub-status 17TRACK shows for it."""
    changed: tuple[tuple[str, str], ...] = ()
    """Texts replaced (old, new), each a value the carrier documents (said where used)."""

    def body(self, asked: str) -> str:
        text = _recorded(self.carrier, self.sample)
        if self.last is not None:
            text = cut_xml(text, self.element, self.last) if self.element else cut_json(text, self.last)
        for old, new in self.changed:
            if old not in text:
                raise AssertionError(f"{self.sample} has no {old!r} to change")
            text = text.replace(old, new)
        if self.sample.endswith(".json"):  # a number written as a JSON number becomes a string
            bare = rf"(?<=[:\[,\s]){re.escape(self.number)}(?=\s*[,}}\]])"
            text = re.sub(bare, json.dumps(asked), text)
        return text.replace(self.number, asked)


def journey_for(number: str, numbers: dict[str, str], journeys: dict[str, Journey]) -> Journey | None:
    """The stand-in's journey for the number asked (None: a number it has no real answer for)."""
    return next((journeys[s] for s, n in numbers.items() if n == number and s in journeys), None)
