"""Every test number shipped with the vendored tracking_number_data is a case here."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parceltrace.carriers.formats import all_formats, match_formats, raw_test_numbers

CASES = raw_test_numbers()
VALID = [(fid, n) for fid, cases in sorted(CASES.items()) for n in cases.get("valid", [])]
INVALID = [(fid, n) for fid, cases in sorted(CASES.items()) for n in cases.get("invalid", [])]


def valid_formats(number: str) -> set[str]:
    return {m.format.format_id for m in match_formats(number) if m.valid}


def test_every_format_loads_and_has_cases() -> None:
    ids = [f.format_id for f in all_formats()]
    assert len(ids) == len(set(ids)) == len(CASES)
    assert len(VALID) > 100 and len(INVALID) > 30


@pytest.mark.parametrize(("format_id", "number"), VALID)
def test_vendored_valid_numbers_validate(format_id: str, number: str) -> None:
    assert format_id in valid_formats(number)


@pytest.mark.parametrize(("format_id", "number"), INVALID)
def test_vendored_invalid_numbers_do_not_validate(format_id: str, number: str) -> None:
    assert format_id not in valid_formats(number)


def test_license_is_shipped_beside_the_data() -> None:
    from importlib import resources

    folder = resources.files("parceltrace.carriers").joinpath("formats")
    assert "MIT" in folder.joinpath("LICENSE").read_text(encoding="utf-8")


def test_length_index_never_hides_a_format() -> None:
    """Every format that matches a test number is among those indexed for its length."""
    from parceltrace.carriers.formats import formats_of_length, normalize

    for _fid, number in VALID + INVALID:
        clean = normalize(number)
        full = {f.format_id for f in all_formats() if f.pattern.fullmatch(clean)}
        indexed = {f.format_id for f in formats_of_length(len(clean))}
        assert full <= indexed, number


@given(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=5, max_size=50))
def test_length_index_agrees_with_a_full_scan(number: str) -> None:
    full = {f.format_id for f in all_formats() if f.pattern.fullmatch(number)}
    assert {m.format.format_id for m in match_formats(number)} == full


@given(
    st.sampled_from([n for _f, n in VALID]),
    st.integers(min_value=0, max_value=40),
    st.sampled_from("0123456789ABCXZ"),
)
def test_length_index_agrees_near_real_numbers(number: str, position: int, char: str) -> None:
    from parceltrace.carriers.formats import normalize

    clean = normalize(number)
    mutated = clean[:position] + char + clean[position + 1 :]
    full = {f.format_id for f in all_formats() if f.pattern.fullmatch(mutated)}
    assert {m.format.format_id for m in match_formats(mutated)} == full
