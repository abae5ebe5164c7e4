from __future__ import annotations

import re

import pytest

from parceltrace.protocol.errors import MESSAGES, ApiError, ErrorCode, message

# Every code of the canonical tables (003 and 004), with its number.
DOCUMENTED = {
    0, -18010001, -18010002, -18010003, -18010004, -18010005, -18010010, -18010011, -18010012,
    -18010013, -18010014, -18010015, -18010016, -18010018, -18010019, -18010020, -18010022,
    -18010201, -18010202, -18010203, -18010204, -18010205, -18010206, -18019901, -18019902,
    -18019903, -18019904, -18019905, -18019906, -18019907, -18019908, -18019909, -18019910,
    -18019911, -18019801, -18019802, -18019803, -18019804, -18019805, -18019806, -18019807,
    -18019808, -18019809, -18019810, -18019811, -18019818, -18019817, -18019816, -18019815,
    -18019912,
}  # fmt: skip


def test_every_documented_code_exists_with_a_message() -> None:
    assert {int(c) for c in ErrorCode} == DOCUMENTED
    assert set(MESSAGES) == set(ErrorCode)


@pytest.mark.parametrize(
    ("code", "args", "expected"),
    [
        (ErrorCode.DATA_FORMAT_INVALID, ("1234",), "The format of the data '1234' is invalid."),
        (
            ErrorCode.ALREADY_REGISTERED,
            ("RR123456789CN",),
            "Tracking number 'RR123456789CN' is already registered.",
        ),
        (ErrorCode.CARRIER_CODE_INCORRECT, (21051,), "Carrier Code '21051' is incorrect."),
        (ErrorCode.FIELD_VALUE_INVALID, ("xx", "lang"), "The value 'xx' of the field 'lang' is invalid."),
        (
            ErrorCode.PARAM_POSTAL_REQUIRED,
            ("1000 AA", "param"),
            "The 'param' field is required for this tracking. "
            "Please provide postal code. Example: '1000 AA'.",
        ),
        (
            ErrorCode.CARRIER_OLD_NOT_REGISTERED,
            (3013, "RR123456789CN"),
            "The tracking number 'RR123456789CN' for the specified carrier '3013' is not registered, "
            "or the existing carrier parameter carrier_old is incorrect.",
        ),
        (ErrorCode.OVER_40_LIMIT, (), "Tracking numbers exceed 40 limit."),
    ],
)
def test_messages_fill_placeholders(code: ErrorCode, args: tuple[object, ...], expected: str) -> None:
    assert message(code, *args) == expected


@pytest.mark.parametrize("code", list(ErrorCode))
def test_no_placeholder_survives_when_filled(code: ErrorCode) -> None:
    assert not re.search(r"\{\d\}", message(code, "a", "b"))


def test_api_error_carries_code_and_message() -> None:
    error = ApiError(ErrorCode.NOT_REGISTERED, "X1")
    assert error.code == ErrorCode.NOT_REGISTERED
    assert error.message == "Tracking number 'X1' is not registered yet. Please register first."
