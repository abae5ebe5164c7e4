"""Carrier names as shops write them (`UPS`, `dhl`, `La Poste`, `Colissimo`) -> 17TRACK codes,
from the published carrier list itself: a carrier is known by its full name, by its name
without the parenthesised part and by that part (`La Poste (Colissimo)`: all three). A name
that several carriers share (`DPD`: 28 of them) names none."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from parceltrace.carriers.registry import all_carriers

_PARENTHESISED = re.compile(r"\(([^)]*)\)")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def name_key(text: str) -> str:
    """`La Poste`, `la-poste`, `LAPOSTE` and `La Pôste` alike."""
    plain = unicodedata.normalize("NFKD", text.casefold()).encode("ascii", "ignore").decode()
    return _NOT_ALNUM.sub("", plain)


@cache
def _by_name() -> tuple[dict[str, frozenset[int]], dict[str, frozenset[int]]]:
    """Full names; and the names without and inside their parentheses."""
    full: dict[str, set[int]] = defaultdict(set)
    parts: dict[str, set[int]] = defaultdict(set)
    for carrier in all_carriers().values():
        full[name_key(carrier.name)].add(carrier.code)
        for name in (_PARENTHESISED.sub(" ", carrier.name), *_PARENTHESISED.findall(carrier.name)):
            if key := name_key(name):
                parts[key].add(carrier.code)
    return _frozen(full), _frozen(parts)


def _frozen(index: dict[str, set[int]]) -> dict[str, frozenset[int]]:
    return {key: frozenset(codes) for key, codes in index.items()}


@dataclass(frozen=True)
class NameMatch:
    codes: frozenset[int]
    """Every carrier the name fits: one when the name is the carrier's, none when unknown."""

    @property
    def code(self) -> int | None:
        return next(iter(self.codes)) if len(self.codes) == 1 else None


def carrier_named(text: str) -> NameMatch:
    """A carrier's own full name wins (`GLS` is 100005, not one of `GLS (NL)`, `GLS (DE)`, …);
    then the names around and inside parentheses."""
    key = name_key(text)
    full, parts = _by_name()
    if len(full.get(key, ())) == 1:
        return NameMatch(full[key])
    return NameMatch(full.get(key, frozenset()) | parts.get(key, frozenset()))
