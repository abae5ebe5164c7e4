"""Event places read back into 003's address parts (the texts are from the real answers in
each carrier's `samples/`, as karrio joins them)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parceltrace.sources.connectors.places import Place, country_code, place_of, places_in, split


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("DE", "DE"),
        ("DEU", "DE"),
        ("Germany", "DE"),
        ("  united states ", "US"),
        ("USA", "US"),
        ("XX", None),
        ("", None),
    ],
)
def test_country_codes_whatever_the_carrier_wrote(text: str, code: str | None) -> None:
    assert country_code(text) == code


@pytest.mark.parametrize(
    ("location", "home", "parts"),
    [
        ("CLOVIS, CA, 93612, US", "US", ("CLOVIS", "CA", "93612", "US")),  # FedEx
        ("HERNANDO, 34442, FL", "US", ("HERNANDO", "FL", "34442", None)),  # USPS
        ("Mechelen (BE)", "NL", ("Mechelen", None, None, "BE")),  # DPD
        ("Hamburg, DEU", "DE", ("Hamburg", None, None, "DE")),  # Hermes
        ("Berlin, 10437, DE", "DE", ("Berlin", None, "10437", "DE")),  # GLS
        ("TEANECK, NJ", "AU", ("TEANECK", "NJ", None, None)),  # Sendle
        ("LOS ANGELES, CA", "AU", ("LOS ANGELES", "CA", None, None)),  # a state, not Canada
        (
            "MONTREAL SORT CTR/CTR TRIE, PQ",
            "CA",
            ("MONTREAL SORT CTR/CTR TRIE", "PQ", None, None),
        ),  # Purolator
        ("Zurich Airport, CH", "US", ("Zurich Airport", None, None, "CH")),  # Asendia
        (
            "JACKSONVILLE FL DISTRIBUTION CENTER",
            "US",
            ("JACKSONVILLE FL DISTRIBUTION CENTER", None, None, None),
        ),
        ("WILMINGTON, 19801, DE", "US", ("WILMINGTON", "DE", "19801", None)),  # Delaware
    ],
)
def test_a_location_split_by_its_shape(location: str, home: str, parts: tuple[str | None, ...]) -> None:
    place = split(location, home)
    assert (place.city, place.state, place.postal_code, place.country) == parts


def test_the_answers_own_place_wins_over_the_shape() -> None:
    """UPS's published example: the record names city, state, postal code and country apart;
    karrio's joined text is matched back to it."""
    raw = {
        "activity": [
            {
                "location": {
                    "address": {
                        "city": "Wayne",
                        "stateProvince": "NJ",
                        "postalCode": "07470",
                        "countryCode": "US",
                    }
                }
            }
        ]
    }
    known = places_in(raw)
    assert known == [Place("Wayne", "NJ", "07470", "US", ("Wayne", "NJ", "07470", "US"))]
    assert place_of("Wayne, NJ, 07470, US", known).city == "Wayne"
    assert place_of("Elsewhere, 12345", known).city == "Elsewhere"
    assert place_of(None, known) == Place()


@given(st.text(max_size=80))
def test_any_location_splits_without_error_into_clean_parts(location: str) -> None:
    place = split(location)
    assert place.country is None or (len(place.country) == 2 and place.country.isupper())
    for part in (place.city, place.state, place.postal_code):
        assert part is None or (part == " ".join(part.split()) and part)
