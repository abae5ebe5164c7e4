from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parceltrace.protocol import validation
from parceltrace.protocol.errors import ApiError, ErrorCode


@pytest.mark.parametrize("number", ["RR123456789CN", "12345", "a" * 50, "ABC-123-xyz", "1Z999AA10123456784"])
def test_valid_numbers(number: str) -> None:
    assert validation.number(number) == number.upper()


@pytest.mark.parametrize("number", ["1234", "a" * 51, "RR 123456789CN", "RR_12345", "Ö12345", ""])
def test_invalid_numbers(number: str) -> None:
    with pytest.raises(ApiError) as caught:
        validation.number(number)
    assert caught.value.code == ErrorCode.DATA_FORMAT_INVALID


@given(
    st.text(
        alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-", min_size=5, max_size=50
    )
)
def test_every_number_of_the_documented_alphabet_is_valid(number: str) -> None:
    assert validation.number(number) == number.upper()


@given(st.text(max_size=60))
def test_number_check_never_fails_otherwise(text: str) -> None:
    try:
        validation.number(text)
    except ApiError as exc:
        assert exc.code == ErrorCode.DATA_FORMAT_INVALID


@pytest.mark.parametrize(
    ("field", "value", "ok"),
    [
        ("tag", "x" * 100, True),
        ("tag", "x" * 101, False),
        ("remark", "x" * 1000, True),
        ("remark", "x" * 1001, False),
        ("email", "a@b.co", True),
        ("email", "not-an-email", False),
        ("email", "a" * 245 + "@b.com", False),
        ("tag", "\ud800", False),
        ("tag", "nul\x00", False),
    ],
)
def test_text_limits(field: str, value: str, ok: bool) -> None:
    if ok:
        assert validation.optional_text(value, field) == value
    else:
        with pytest.raises(ApiError) as caught:
            validation.optional_text(value, field)
        assert caught.value.code == ErrorCode.FIELD_VALUE_INVALID


def test_empty_text_is_absent() -> None:
    assert validation.optional_text("", "tag") is None


@pytest.mark.parametrize("value", ["1000 AA", "518000", "2024-01-01", "2024/1/1", "x" * 12])
def test_valid_params(value: str) -> None:
    assert validation.param(value) == value


@pytest.mark.parametrize("value", ["x" * 13, "a@b", "1000;DROP"])
def test_invalid_params(value: str) -> None:
    with pytest.raises(ApiError):
        validation.param(value)


@pytest.mark.parametrize("lang", ["en", "ja", "fr", "da", "th", "de", "es", "zh-hans", "ZH-HANS"])
def test_documented_languages(lang: str) -> None:
    assert validation.lang(lang) == lang.lower()


def test_undocumented_language_is_refused() -> None:
    with pytest.raises(ApiError):
        validation.lang("pt")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023/1/1", datetime(2023, 1, 1, tzinfo=UTC)),
        ("2019-01-01", datetime(2019, 1, 1, tzinfo=UTC)),
        ("2022-04-25T22:22:47+05:00", datetime(2022, 4, 25, 17, 22, 47, tzinfo=UTC)),
        ("2022-03-14T07:45:38Z", datetime(2022, 3, 14, 7, 45, 38, tzinfo=UTC)),
        ("yesterday", None),
    ],
)
def test_parse_time(text: str, expected: datetime | None) -> None:
    parsed = validation.parse_time(text)
    assert parsed == expected


def test_date_only_upper_bound_includes_the_whole_day() -> None:
    low, high = validation.time_range("2019-01-01", "2019-02-01", "register_time")
    assert low == datetime(2019, 1, 1, tzinfo=UTC)
    assert high == datetime(2019, 2, 2, tzinfo=UTC)


def test_bad_time_range_names_the_field() -> None:
    with pytest.raises(ApiError) as caught:
        validation.time_range(None, "soon", "push_time")
    assert "push_time_to" in caught.value.message


@pytest.mark.parametrize("value", ["12345", "ABC-12345", "x" * 50])
def test_order_no(value: str) -> None:
    assert validation.order_no(value) == value


@pytest.mark.parametrize("value", ["1234", "x" * 51, "no spaces"])
def test_bad_order_no(value: str) -> None:
    with pytest.raises(ApiError):
        validation.order_no(value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0", 0),
        ("3011", 3011),
        ("²", None),
        ("١٢", None),
        ("", None),
        ("-1", None),
        ("1 ", None),
        ("9" * 19, None),
    ],
)
def test_plain_int_takes_only_ascii_digits(text: str, value: int | None) -> None:
    assert validation.plain_int(text) == value


@given(st.text(max_size=25))
def test_plain_int_never_raises_and_round_trips(text: str) -> None:
    value = validation.plain_int(text)
    assert value is None or str(value) == text.lstrip("0").rjust(1, "0")
