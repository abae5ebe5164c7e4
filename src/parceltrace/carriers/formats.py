"""Tracking-number formats from the vendored MIT `tracking_number_data` (see formats/LICENSE)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from parceltrace.carriers.checksums import ALGORITHMS

MAX_NUMBER_LENGTH = 64
_PCRE_GROUP = re.compile(r"\(\?<([A-Za-z_][A-Za-z0-9_]*)>")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class NumberFormat:
    format_id: str
    courier: str
    name: str
    pattern: re.Pattern[str]
    checksum: dict[str, Any] | None
    prepend_if: tuple[re.Pattern[str], str] | None
    must_exist: tuple[tuple[str, Lookup], ...]
    lengths: tuple[int, int]
    """Shortest and longest normalized number the pattern can match."""

    @property
    def has_checksum(self) -> bool:
        return self.checksum is not None


@dataclass(frozen=True, slots=True)
class Lookup:
    """The values a group may take: exact ones in a set, patterns compiled once."""

    exact: frozenset[str]
    patterns: tuple[re.Pattern[str], ...]

    def __contains__(self, value: object) -> bool:
        return value in self.exact or any(p.fullmatch(str(value)) for p in self.patterns)


@dataclass(frozen=True, slots=True)
class FormatMatch:
    format: NumberFormat
    checksum_ok: bool
    lookups_ok: bool
    groups: dict[str, str]

    @property
    def valid(self) -> bool:
        return self.checksum_ok and self.lookups_ok


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def _compile(raw: str | list[str]) -> re.Pattern[str]:
    source = "".join(raw) if isinstance(raw, list) else raw
    return re.compile(_PCRE_GROUP.sub(r"(?P<\1>", source))


def _lookups(spec: dict[str, Any], names: list[str]) -> tuple[tuple[str, Lookup], ...]:
    found = []
    for name in names:
        for extra in spec.get("additional", []):
            if extra.get("name") == name:
                items = extra.get("lookup", [])
                lookup = Lookup(
                    frozenset(i["matches"] for i in items if "matches" in i),
                    tuple(re.compile(i["matches_regex"]) for i in items if "matches_regex" in i),
                )
                found.append((extra["regex_group_name"], lookup))
    return tuple(found)


def _lengths(pattern: re.Pattern[str]) -> tuple[int, int]:
    """Width bounds of the pattern on normalized input, where every `\\s*` matches nothing."""
    compact = pattern.pattern.replace(r"\s*", "")
    try:
        low, high = re._parser.parse(compact).getwidth()  # type: ignore[attr-defined]
    except Exception:
        return 0, MAX_NUMBER_LENGTH
    return int(low), int(min(high, MAX_NUMBER_LENGTH))


def _build(courier: str, spec: dict[str, Any]) -> NumberFormat:
    validation = spec.get("validation", {})
    prepend = validation.get("serial_number_format", {}).get("prepend_if")
    exists = validation.get("additional", {}).get("exists", [])
    pattern = _compile(spec["regex"])
    return NumberFormat(
        format_id=spec.get("id") or _slug(spec["name"]),
        courier=courier,
        name=spec["name"],
        pattern=pattern,
        checksum=validation.get("checksum"),
        prepend_if=(re.compile(prepend["matches_regex"]), prepend["content"]) if prepend else None,
        must_exist=_lookups(spec, exists),
        lengths=_lengths(pattern),
    )


@cache
def all_formats() -> tuple[NumberFormat, ...]:
    folder = resources.files(__package__).joinpath("formats")
    found: list[NumberFormat] = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".json"):
            data = json.loads(entry.read_text(encoding="utf-8"))
            found.extend(_build(data["courier_code"], spec) for spec in data["tracking_numbers"])
    return tuple(found)


@cache
def raw_test_numbers() -> dict[str, dict[str, list[str]]]:
    """format_id -> {"valid": [...], "invalid": [...]}, the vendored data's own test cases."""
    folder = resources.files(__package__).joinpath("formats")
    cases: dict[str, dict[str, list[str]]] = {}
    for entry in folder.iterdir():
        if entry.name.endswith(".json"):
            for spec in json.loads(entry.read_text(encoding="utf-8"))["tracking_numbers"]:
                key = spec.get("id") or _slug(spec["name"])
                cases[key] = spec.get("test_numbers", {"valid": [], "invalid": []})
    return cases


def normalize(number: str) -> str:
    """Tracking numbers compare without white space and case."""
    return _SPACE.sub("", number).upper()


def _match(fmt: NumberFormat, number: str) -> FormatMatch | None:
    """`number` is normalized, so its groups hold no white space."""
    found = fmt.pattern.fullmatch(number)
    if found is None:
        return None
    groups = {k: v for k, v in found.groupdict().items() if v is not None}
    checksum_ok = True
    if fmt.checksum is not None:
        serial, check = groups.get("SerialNumber", ""), groups.get("CheckDigit", "")
        if fmt.prepend_if is not None and fmt.prepend_if[0].match(serial):
            serial = fmt.prepend_if[1] + serial
        algorithm = ALGORITHMS.get(fmt.checksum["name"])
        checksum_ok = algorithm is not None and algorithm(serial, check, fmt.checksum)
    lookups_ok = all(groups.get(g, "") in lookup for g, lookup in fmt.must_exist)
    return FormatMatch(fmt, checksum_ok, lookups_ok, groups)


@cache
def formats_of_length(length: int) -> tuple[NumberFormat, ...]:
    """The formats that can match a normalized number of this length (most: one length)."""
    return tuple(f for f in all_formats() if f.lengths[0] <= length <= f.lengths[1])


def match_formats(number: str) -> list[FormatMatch]:
    """Every vendored format whose pattern matches the whole (normalized) number."""
    clean = normalize(number)
    return [m for fmt in formats_of_length(len(clean)) if (m := _match(fmt, clean)) is not None]
