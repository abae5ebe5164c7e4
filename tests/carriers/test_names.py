"""Carrier names as shops write them -> 17TRACK codes, from the published list itself."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parceltrace.carriers.names import carrier_named, name_key
from parceltrace.carriers.registry import all_carriers


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("UPS", 100002), ("ups", 100002), ("FedEx", 100003), ("USPS", 21051), ("DHL Express", 100001),
        ("dhl-express", 100001), ("La Poste", 6051), ("Colissimo", 6051), ("LA POSTE (COLISSIMO)", 6051),
        ("Royal Mail", 11031), ("PostNL", 14041), ("China Post", 3011), ("GLS", 100005), ("Evri", 100331),
        ("DHL", 101266),
    ],
)  # fmt: skip
def test_names_shops_write(written: str, code: int) -> None:
    assert carrier_named(written).code == code


@pytest.mark.parametrize("written", ["DPD", "PostNord", "DHL Parcel"])
def test_a_name_several_carriers_share_names_none(written: str) -> None:
    match = carrier_named(written)
    assert match.code is None and len(match.codes) > 1


def test_an_unknown_name_names_none() -> None:
    assert carrier_named("Acme Couriers").codes == frozenset()


@given(st.sampled_from(sorted(all_carriers())))
def test_every_listed_carrier_is_found_by_its_own_name(code: int) -> None:
    assert code in carrier_named(all_carriers()[code].name).codes


@given(st.text(alphabet=st.characters(max_codepoint=0xFF), max_size=20))
def test_the_key_ignores_case_accents_and_punctuation(text: str) -> None:
    assert name_key(text) == name_key(text.upper()) == name_key(f" -{text}. ")
