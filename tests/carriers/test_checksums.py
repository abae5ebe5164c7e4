from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from parceltrace.carriers import checksums

digits = st.text(alphabet="0123456789", min_size=8, max_size=8)


def s10_digit(serial: str) -> str:
    for candidate in "0123456789":
        if checksums.s10(serial, candidate, {}):
            return candidate
    raise AssertionError("no check digit fits")


@given(digits)
def test_s10_exactly_one_check_digit_fits(serial: str) -> None:
    fits = [c for c in "0123456789" if checksums.s10(serial, c, {})]
    assert len(fits) == 1


def remainder(serial: str) -> int:
    return sum(int(c) * w for c, w in zip(serial, (8, 6, 4, 2, 3, 5, 9, 7), strict=True)) % 11


@given(digits, st.integers(min_value=0, max_value=7), st.integers(min_value=1, max_value=9))
def test_s10_misses_a_single_digit_change_only_where_the_standard_folds(
    serial: str, position: int, delta: int
) -> None:
    """S10 writes remainders 0 and 6 both as check digit 5; every other change is caught."""
    check = s10_digit(serial)
    changed = serial[:position] + str((int(serial[position]) + delta) % 10) + serial[position + 1 :]
    if checksums.s10(changed, check, {}):
        assert {remainder(serial), remainder(changed)} == {0, 6}


@given(st.text(alphabet="0123456789", min_size=1, max_size=20))
def test_luhn_exactly_one_check_digit_fits(sequence: str) -> None:
    assert sum(checksums.luhn(sequence, c, {}) for c in "0123456789") == 1


def test_known_values() -> None:
    assert checksums.s10("12345678", "5", {})
    assert not checksums.s10("12345678", "9", {})
    assert checksums.mod7("331881002", "5", {})
    spec = {"odds_multiplier": 2, "evens_multiplier": 1}
    assert checksums.mod10("999AA1012345678", "4", spec)
