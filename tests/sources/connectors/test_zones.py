"""An event's zone from its place (geonames' cities): a country with one zone, the state's or
province's main zone, the city's own."""

from __future__ import annotations

import pytest

from parceltrace.sources.connectors.places import Place
from parceltrace.sources.connectors.zones import zone_of


@pytest.mark.parametrize(
    ("place", "home", "zone"),
    [
        (Place("Hamburg", country="DE"), None, "Europe/Berlin"),  # one zone in the country
        (Place("Mechelen", country="BE"), "NL", "Europe/Brussels"),  # its own country, not home
        (Place("CEDAR RAPIDS", "IA", country="US"), None, "America/Chicago"),
        (Place("KEASBEY", "NJ", "08832", "US"), None, "America/New_York"),  # a town too small for geonames
        (Place("CLOVIS", "CA", country="US"), None, "America/Los_Angeles"),
        (Place("HERNANDO", "FL"), "US", "America/New_York"),  # USPS: no country, the carrier's own
        (Place("MONTREAL SORT CTR/CTR TRIE", "PQ"), "CA", "America/Toronto"),  # Quebec's old code
        (Place("Calgary", "AB", country="CA"), None, "America/Edmonton"),
        (Place("Perth", "WA", country="AU"), None, "Australia/Perth"),
        (Place("Adelaide", country="AU"), None, "Australia/Adelaide"),  # the city's own zone
        (Place("Somewhere"), None, None),  # the place says nothing: 003's headquarters rule
        (Place("Atlantis", country="US"), None, None),
    ],
)
def test_the_zone_of_a_place(place: Place, home: str | None, zone: str | None) -> None:
    assert zone_of(place, home) == zone
