"""When a carrier event happened, as 003 writes it (pure).

karrio gives each event its carrier-local date and time but drops the UTC offset the carrier
sent. 003's rule: the carrier's own offset wins; otherwise the carrier's headquarters zone is
used and `time_raw.timezone` stays null. So the offsets are read back from the carrier's answer
(`offset_hints`): every timestamp written with an offset (`2019-03-28T16:13:02+01:00`), and the
records that carry the offset beside a local time (UPS/USPS `gmtOffset`, Canada Post's
`event-time-zone`), and the records that give one moment both in local time and in UTC (Sendle's
`local_scan_time` and `scan_time`): the difference is the offset."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from parceltrace.protocol.structs import TimeRaw
from parceltrace.sources.connectors import dates

ISO_WITH_OFFSET = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})[T ](?P<time>\d{2}:\d{2})(?::(?P<sec>\d{2}))?(?:\.\d+)?"
    r"\s*(?P<offset>Z|[+-]\d{2}:?\d{2})\b"
)
LOCAL_DATE = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})")
LOCAL_TIME = re.compile(r"(?:^|T|\s)(\d{2}):?(\d{2})(?::?(\d{2}))?")
OFFSET = re.compile(r"^[+-]\d{2}:?\d{2}$")
ZONE_ABBREVIATIONS = {
    "UTC": "+00:00",
    "GMT": "+00:00",
    "NST": "-03:30",
    "NDT": "-02:30",
    "AST": "-04:00",
    "ADT": "-03:00",
    "EST": "-05:00",
    "EDT": "-04:00",
    "CST": "-06:00",
    "CDT": "-05:00",
    "MST": "-07:00",
    "MDT": "-06:00",
    "PST": "-08:00",
    "PDT": "-07:00",
    "AKST": "-09:00",
    "AKDT": "-08:00",
    "HST": "-10:00",
}
"""North American zone names, as Canada Post writes them beside local times."""
LOCAL_ISO = re.compile(r"^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::(\d{2}))?$")
UTC_ISO = re.compile(r"^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::(\d{2}))?(?:\.\d+)?Z$")
LONGEST_OFFSET = timedelta(hours=14)
UTC_KEYS = re.compile(r"gmt|utc", re.I)
OFFSET_KEYS = re.compile(r"^(gmt.?offset|event-time-zone|time.?zone|timezone|utc.?offset)$", re.I)


@dataclass(frozen=True, slots=True)
class Hint:
    offset: str
    """`+02:00`, `-05:00` or `+00:00`."""
    clock: str | None
    """The local time with seconds, `HH:MM:SS`; None when the answer has records of that
    minute with different seconds (which of them an event is, its minute cannot say)."""


Hints = dict[str, Hint]
"""Local minute (`YYYY-MM-DDTHH:MM`) -> the offset the carrier gave for it."""

Clocks = dict[tuple[str, str], str]
"""(local minute, a text of the record, lower case) -> that record's `HH:MM:SS`: an event's own
seconds when karrio keeps only its minute and another record shares the minute (GLS)."""


@dataclass(frozen=True, slots=True)
class EventTime:
    time_iso: str | None
    time_utc: str | None
    time_raw: TimeRaw


def normalized_offset(text: str) -> str | None:
    text = text.strip().upper()
    if text == "Z":
        return "+00:00"
    if text in ZONE_ABBREVIATIONS:
        return ZONE_ABBREVIATIONS[text]
    if OFFSET.match(text):
        digits = text.replace(":", "")
        return f"{digits[:3]}:{digits[3:]}"
    return None


def offset_hints(raw: Any, walked: list[dict[str, Any]] | None = None) -> Hints:
    """Every local minute the carrier's answer gives an offset for; a minute given two
    different offsets (two zones in one answer) is left out rather than guessed. `walked`:
    the answer's `records`, when the caller has them already."""
    found: Hints = {}
    clashes: set[str] = set()
    for key, hint in _hints_in(records(raw) if walked is None else walked):
        if key in found and found[key].offset != hint.offset:
            clashes.add(key)
        elif key in found and found[key].clock != hint.clock:
            found[key] = Hint(hint.offset, None)  # never another record's seconds
        found.setdefault(key, hint)
    for key in clashes:
        del found[key]
    return found


def clocks_by_text(raw: Any) -> Clocks:
    """The seconds of each record with one timestamp, found again by its minute and any of its
    texts (its description); a key two records give different seconds is left out."""
    found: Clocks = {}
    clashes: set[tuple[str, str]] = set()
    for record in records(raw):
        strings = [(k, v) for k, v in record.items() if isinstance(v, str)]
        moments = [m for k, v in strings if not UTC_KEYS.search(k) for m in ISO_WITH_OFFSET.finditer(v)]
        if len(moments) != 1 or not moments[0]["sec"]:
            continue
        moment = moments[0]
        minute, clock = f"{moment['date']}T{moment['time']}", f"{moment['time']}:{moment['sec']}"
        for _, value in strings:
            text = " ".join(value.split()).lower()
            if len(text) < 3 or ISO_WITH_OFFSET.search(value):
                continue
            if found.get((minute, text), clock) != clock:
                clashes.add((minute, text))
            found[minute, text] = clock
    for key in clashes:
        del found[key]
    return found


def _hints_in(walked: Iterable[dict[str, Any]]) -> Iterator[tuple[str, Hint]]:
    for record in walked:
        strings = [(k, v) for k, v in record.items() if isinstance(v, str)]
        paired = _paired(strings)
        if paired is not None:
            yield paired
            continue
        offsets = [normalized_offset(v) for k, v in strings if OFFSET_KEYS.match(k)]
        stated = next((o for o in offsets if o), None)
        if stated is not None:
            yield from _local_pairs(strings, stated)
        for name, value in strings:
            if UTC_KEYS.search(name):
                continue  # the same moment in UTC, not the local time the event is known by
            for match in ISO_WITH_OFFSET.finditer(value):
                if stated is not None and match["offset"] == "Z":
                    continue  # a record that states its offset apart: a trailing Z is not it
                offset = normalized_offset(match["offset"])
                if offset:
                    clock = f"{match['time']}:{match['sec'] or '00'}"
                    yield f"{match['date']}T{match['time']}", Hint(offset, clock)


def _paired(strings: list[tuple[str, str]]) -> tuple[str, Hint] | None:
    """A record with exactly one local time (no offset) and one UTC time (`Z`) a whole quarter
    hour apart, at most 14 hours: one moment written twice, and the difference its offset."""
    dated = [v for _, v in strings if v[:4].isdigit()]
    if len(dated) < 2:
        return None
    utc = [m for v in dated if (m := UTC_ISO.match(v))]
    local = [m for v in dated if (m := LOCAL_ISO.match(v))]
    if len(utc) != 1 or len(local) != 1:
        return None
    [moment], [here] = utc, local
    seconds = here[3] or "00"
    try:
        difference = datetime.fromisoformat(f"{here[1]}T{here[2]}:{seconds}") - datetime.fromisoformat(
            f"{moment[1]}T{moment[2]}:{moment[3] or '00'}"
        )
    except ValueError:
        return None
    if abs(difference) > LONGEST_OFFSET or difference % timedelta(minutes=15):
        return None
    return f"{here[1]}T{here[2]}", Hint(_offset_text(difference), f"{here[2]}:{seconds}")


def _local_pairs(strings: list[tuple[str, str]], offset: str) -> Iterator[tuple[str, Hint]]:
    """The local times of a record that states its offset in a field of its own."""
    dates = [(k, m) for k, v in strings if not UTC_KEYS.search(k) and (m := LOCAL_DATE.match(v.strip()))]
    for key, date_match in dates:
        value = dict(strings)[key]
        rest = value.strip()[date_match.end() :]
        time_match = LOCAL_TIME.match(rest) if rest else None
        if time_match is None:
            time_match = next(
                (
                    t
                    for k, v in strings
                    if k != key and not UTC_KEYS.search(k) and "time" in k.lower()
                    if (t := LOCAL_TIME.match(v.strip()))
                ),
                None,
            )
        if time_match is None:
            continue
        day = f"{date_match[1]}-{date_match[2]}-{date_match[3]}"
        minute = f"{time_match[1]}:{time_match[2]}"
        yield f"{day}T{minute}", Hint(offset, f"{minute}:{time_match[3] or '00'}")


def records(raw: Any) -> Iterator[dict[str, Any]]:
    """Every mapping in a decoded JSON answer, or every XML element with children as a mapping
    of child name to text."""
    if isinstance(raw, dict):
        yield raw
        for value in raw.values():
            if not isinstance(value, str):
                yield from records(value)
    elif isinstance(raw, list | tuple):
        for value in raw:
            yield from records(value)
    elif hasattr(raw, "iter") and hasattr(raw, "tag"):
        for element in raw.iter():
            children = list(element)
            if children:
                yield {_local_name(c.tag): (c.text or "") for c in children if not list(c)}
            elif element.text and ISO_WITH_OFFSET.search(element.text):
                yield {_local_name(element.tag): element.text}
    elif isinstance(raw, str):
        yield {"text": raw}


def _local_name(tag: Any) -> str:
    return str(tag).rsplit("}", 1)[-1]


def local_clock(text: str | None) -> str | None:
    """`HH:MM` from karrio's event time (`14:30`, `14:30 PM`, `2:30 PM`, `14:30:05`)."""
    if not text:
        return None
    match = re.match(r"^\s*(\d{1,2}):(\d{2})(?::\d{2})?\s*([AaPp][Mm])?", text)
    if match is None:
        return None
    hour, minute, half = int(match[1]), int(match[2]), (match[3] or "").upper()
    if half == "PM" and hour < 12:
        hour += 12
    elif half == "AM" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}"


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def event_time(
    date: str | None, clock: str | None, hints: Hints, zone: str, seconds_of: str | None = None
) -> EventTime:
    """003's three forms of one event's time. `date` is `YYYY-MM-DD` (carrier-local), `clock`
    `HH:MM` or None; the offset comes from `hints`, else from the headquarters `zone`. The
    seconds are the event's own: `seconds_of` (a local `...THH:MM:SS` text of the same event,
    as karrio's `timestamp`), else the answer's record of that minute when it is the only one."""
    if not date:
        return EventTime(None, None, TimeRaw())
    day = dates.read(date, "%Y-%m-%d")
    if day is None:
        return EventTime(None, None, TimeRaw())
    hint = hints.get(f"{date}T{clock}") if clock else None
    own = _own_seconds(seconds_of, date, clock)
    seconds = own or (hint.clock if hint and hint.clock else (f"{clock}:00" if clock else None))
    if seconds:
        hour, minute, second = (int(part) for part in seconds.split(":"))
        day = day.replace(hour=hour, minute=minute, second=second)
    if hint is not None:
        sign = -1 if hint.offset.startswith("-") else 1
        offset = sign * timedelta(hours=int(hint.offset[1:3]), minutes=int(hint.offset[4:6]))
        utc = day - offset
        text_offset = hint.offset
    else:
        local = day.replace(tzinfo=_zone(zone))
        utc = local.astimezone(UTC).replace(tzinfo=None)
        text_offset = _offset_text(local.utcoffset() or timedelta(0))
    return EventTime(
        time_iso=day.isoformat(timespec="seconds") + text_offset,
        time_utc=utc.isoformat(timespec="seconds") + "Z",
        time_raw=TimeRaw(date=date, time=seconds, timezone=hint.offset if hint else None),
    )


OWN_CLOCK = re.compile(r"^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}):(\d{2})")


def _own_seconds(text: str | None, date: str, clock: str | None) -> str | None:
    """`HH:MM:SS` from the event's own local timestamp, when it is the same date and minute."""
    found = OWN_CLOCK.match(text or "")
    if found is None or clock is None or found[1] != date or found[2] != clock:
        return None
    return f"{clock}:{found[3]}"


def _offset_text(delta: timedelta) -> str:
    minutes = int(delta.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
