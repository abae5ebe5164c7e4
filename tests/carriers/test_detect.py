from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parceltrace.carriers.checksums import is_sscc
from parceltrace.carriers.detect import ORIGIN_CONFIDENT, ORIGIN_GIVEN, ORIGIN_GUESS, detect, resolve
from parceltrace.carriers.formats import raw_test_numbers


@pytest.mark.parametrize(
    ("number", "carrier"),
    [
        ("RR123456789CN", 3011),  # the documentation's example (its check digit is wrong)
        ("RB123456785GB", 11031),
        ("RB123456785US", 21051),
        ("RB123456785DE", 7041),
        ("RB123456785NL", 14041),
        ("EE123456785FR", 6051),
        ("1Z999AA10123456784", 100002),
        ("1Z5R89390357567127", 100002),
        ("986578788855", 100003),
        ("3318810025", 100001),
        ("GM2951173225174494", 7047),
    ],
)
def test_detects_carrier(number: str, carrier: int) -> None:
    assert detect(number).carrier == carrier


def test_doc_example_without_carrier_is_undetectable() -> None:
    assert resolve("21213123123230", None) is None


def test_s10_with_unknown_country_is_not_detected() -> None:
    assert resolve("RB123456785XX", None) is None


def test_bad_s10_check_digit_still_detects_but_loses_to_a_proven_format() -> None:
    assert resolve("RR123456789CN", None) == (3011, ORIGIN_CONFIDENT)
    lowered = detect("LX123456789DE")
    assert lowered.candidates[0] == 7041
    assert not lowered.confident


def test_given_carrier_that_does_not_fit_is_corrected() -> None:
    assert resolve("1Z999AA10123456784", 100003) == (100002, ORIGIN_CONFIDENT)


def test_given_carrier_that_fits_is_kept() -> None:
    assert resolve("1Z999AA10123456784", 100002) == (100002, ORIGIN_GIVEN)


def test_given_carrier_for_unknown_format_is_trusted() -> None:
    assert resolve("21213123123230", 21051) == (21051, ORIGIN_GIVEN)


def test_ambiguous_detection_is_a_guess() -> None:
    assert resolve("LX123456789DE", None) == (7041, ORIGIN_GUESS)


@pytest.mark.parametrize(
    "number",
    [n for cases in raw_test_numbers().values() for n in cases.get("valid", []) if " " not in n],
)
def test_vendored_valid_numbers_resolve_without_error(number: str) -> None:
    found = resolve(number, None)
    assert found is None or found[1] in (ORIGIN_CONFIDENT, ORIGIN_GUESS)


@pytest.mark.parametrize(
    ("number", "given"),
    [
        ("00340434292135100186", 7041),  # an SSCC that also fits USPS's 20 digits: DHL Paket stays
        ("RR123456789CN", 6051),  # a post may carry any post's S10 number
        ("9400111899223197428490", 3041),  # Canada Post has no format data to rule it out
    ],
)
def test_an_ambiguous_number_keeps_the_carrier_given(number: str, given: int) -> None:
    assert resolve(number, given) == (given, ORIGIN_GIVEN)


@pytest.mark.parametrize(
    ("number", "given", "proven"),
    [
        ("1Z999AA10123456784", 100003, 100002),  # a UPS number given as FedEx
        ("RR123456785CN", 100002, 3011),  # a valid S10 given as UPS
    ],
)
def test_a_number_that_cannot_be_the_given_carriers_is_corrected(
    number: str, given: int, proven: int
) -> None:
    assert resolve(number, given) == (proven, ORIGIN_CONFIDENT)


@pytest.mark.parametrize("given", [7047, 100001])
def test_a_given_carrier_keeps_its_sscc(given: int) -> None:
    """DHL's own example number 00340434292135100186 (a GS1 SSCC) registered with DHL eCommerce
    US or DHL Express stays with it: it was switched to USPS, whose 20-digit format it also
    fits. Without a carrier it is still detected as before."""
    assert resolve("00340434292135100186", given) == (given, ORIGIN_GIVEN)
    assert resolve("00340434292135100186", None) is not None


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_an_sscc_check_digit_is_gs1s(body: str) -> None:
    weights = [3 if index % 2 == 0 else 1 for index in range(17)][::-1]
    check = (10 - sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 10) % 10
    assert is_sscc(f"00{body}{check}")
    assert not is_sscc(f"00{body}{(check + 1) % 10}")
    assert not is_sscc(f"01{body}{check}")
