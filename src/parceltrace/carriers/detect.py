"""Carrier detection: which 17TRACK carrier a number belongs to, and how sure we are.

`origin` follows 003: 1 = confident (auto-detected, or the caller's carrier corrected),
2 = the caller's carrier, judged right, 3 = a guess that may be wrong.
"""

from __future__ import annotations

from dataclasses import dataclass

from parceltrace.carriers import registry
from parceltrace.carriers.checksums import is_sscc
from parceltrace.carriers.formats import FormatMatch, match_formats
from parceltrace.carriers.sandbox import SANDBOX_CARRIER, parse_sandbox_number

COURIER_CARRIERS: dict[str, int] = {
    "ups": 100002,
    "fedex": 100003,
    "usps": 21051,
    "dhl": 100001,
    "dpd": 100007,
    "amazon": 100308,
    "canada_post": 3041,
    "canpar": 100146,
    "lasership": 100052,
    "landmark": 100021,
    "old_dominion": 100783,
    "ontrac": 100049,
    "purolator": 100042,
    "speedee": 100447,
    "yodel": 100017,
    "yunexpress": 190008,
    "gofo": 100996,
}
FORMAT_CARRIERS: dict[str, int] = {"dhl_ecommerce": 7047, "dhl_ecommerce_14": 7047}

ORIGIN_CONFIDENT = 1
ORIGIN_GIVEN = 2
ORIGIN_GUESS = 3


@dataclass(frozen=True, slots=True)
class Detection:
    candidates: tuple[int, ...]
    """Carrier codes the number may belong to, most likely first."""

    @property
    def carrier(self) -> int | None:
        return self.candidates[0] if self.candidates else None

    @property
    def confident(self) -> bool:
        return len(self.candidates) == 1


def carrier_of(found: FormatMatch) -> int | None:
    fmt = found.format
    if fmt.courier == "s10":
        post = registry.national_post_by_iso().get(found.groups.get("CountryCode", ""))
        return post.code if post else None
    return FORMAT_CARRIERS.get(fmt.format_id, COURIER_CARRIERS.get(fmt.courier))


def _rank(found: FormatMatch, number: str) -> int:
    """Lower is better; 9 means the match proves nothing.

    Checksum-proven formats first; then the distinctive S10 shape with a known country but a
    bad check digit (lowered confidence, still detected); then checksum-less formats, but only
    when the number has letters: a bare run of digits without a checksum fits too many carriers.
    """
    if found.valid and found.format.has_checksum:
        return 0
    if found.format.courier == "s10" and found.lookups_ok:
        return 1
    if found.valid and any(c.isalpha() for c in number):
        return 2
    return 9


def detect(number: str, matches: list[FormatMatch] | None = None) -> Detection:
    """Rank the formats `number` fits (`matches`, when the caller has them already)."""
    if parse_sandbox_number(number) is not None:
        return Detection((SANDBOX_CARRIER.code,))
    ranked = sorted(
        (rank, index, found)
        for index, found in enumerate(match_formats(number) if matches is None else matches)
        if (rank := _rank(found, number)) < 9
    )
    seen: list[int] = []
    for _rank_value, _index, found in ranked:
        code = carrier_of(found)
        if code is not None and code not in seen:
            seen.append(code)
    return Detection(tuple(seen))


CARRIERS_WITH_FORMATS = frozenset(COURIER_CARRIERS.values()) | frozenset(FORMAT_CARRIERS.values())
"""Carriers whose every number follows a format we know: a number that fits none of them
cannot be theirs. Any other carrier (every post, regional couriers) may use numbers we cannot
recognise, so the caller's choice stands."""


def rules_out(carrier: int, number: str, matches: list[FormatMatch]) -> bool:
    """Whether `number` cannot belong to `carrier` (it fits none of that carrier's formats)."""
    if carrier not in CARRIERS_WITH_FORMATS:
        return False
    return all(carrier_of(found) != carrier for found in matches)


def resolve(
    number: str, given: int | None, matches: list[FormatMatch] | None = None
) -> tuple[int, int] | None:
    """(carrier, origin) for a registration, or None when no carrier can be found. A given
    carrier is kept unless the number cannot be that carrier's and is proven another's."""
    matches = match_formats(number) if matches is None else matches
    found = detect(number, matches)
    if given:
        if given in found.candidates or not found.confident or found.carrier is None:
            return given, ORIGIN_GIVEN
        if is_sscc(number):  # a shipper's container code: any carrier may carry it
            return given, ORIGIN_GIVEN
        if not rules_out(given, number, matches):
            return given, ORIGIN_GIVEN
        return found.carrier, ORIGIN_CONFIDENT
    if found.carrier is None:
        return None
    return found.carrier, ORIGIN_CONFIDENT if found.confident else ORIGIN_GUESS
