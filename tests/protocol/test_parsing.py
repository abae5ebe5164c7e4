from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parceltrace.protocol.errors import ApiError, ErrorCode
from parceltrace.protocol.parsing import parse_items, parse_object
from parceltrace.protocol.structs import NumberItem, RegisterItem, Rejected, TrackListQuery


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"", ErrorCode.SUBMITTED_DATA_INVALID),
        (b"{bad", ErrorCode.SUBMITTED_DATA_INVALID),
        (b'{"number": "RR123456789CN"}', ErrorCode.SUBMITTED_DATA_INVALID),
        (b"[]", ErrorCode.DATA_REQUIRED),
        (json.dumps([{"number": f"N{i:08d}"} for i in range(41)]).encode(), ErrorCode.OVER_40_LIMIT),
        (b"\xff\xfe", ErrorCode.SUBMITTED_DATA_INVALID),
    ],
)
def test_whole_request_failures(body: bytes, code: ErrorCode) -> None:
    with pytest.raises(ApiError) as caught:
        parse_items(body, RegisterItem)
    assert caught.value.code == code


def test_forty_items_are_fine() -> None:
    body = json.dumps([{"number": f"N{i:08d}"} for i in range(40)]).encode()
    assert len(parse_items(body, NumberItem)) == 40


@pytest.mark.parametrize(
    ("item", "code"),
    [
        ({}, ErrorCode.DATA_REQUIRED),
        ({"number": ""}, ErrorCode.DATA_REQUIRED),
        ({"number": 12345}, ErrorCode.DATA_VALUE_INVALID),
        ({"number": "RR123456789CN", "carrier": "abc"}, ErrorCode.DATA_VALUE_INVALID),
        ({"number": "RR123456789CN", "carrier": -1}, ErrorCode.DATA_VALUE_INVALID),
        ({"number": "RR123456789CN", "carrier": 10**30}, ErrorCode.DATA_VALUE_INVALID),
        ({"number": "RR123456789CN", "auto_detection": "maybe"}, ErrorCode.DATA_VALUE_INVALID),
        (7, ErrorCode.SUBMITTED_DATA_INVALID),
    ],
)
def test_bad_items_are_rejected_alone(item: Any, code: ErrorCode) -> None:
    good = {"number": "RR123456789CN"}
    parsed = parse_items(json.dumps([item, good]).encode(), RegisterItem)
    assert isinstance(parsed[0], Rejected)
    assert parsed[0].error.code == code
    assert isinstance(parsed[1], RegisterItem)


def test_numeric_strings_are_accepted_as_carrier_codes() -> None:
    parsed = parse_items(b'[{"number": "RR123456789CN", "carrier": "3011"}]', RegisterItem)
    assert isinstance(parsed[0], RegisterItem) and parsed[0].carrier == 3011


def test_invalid_field_names_the_field() -> None:
    parsed = parse_items(b'[{"number": "RR123456789CN", "carrier": "x"}]', RegisterItem)
    assert isinstance(parsed[0], Rejected)
    assert parsed[0].error.message == "The value of data 'carrier' is invalid."


def test_track_list_query_empty_body_means_no_filter() -> None:
    assert parse_object(b"", TrackListQuery).page_no == 1


def test_track_list_query_wrong_type_names_field() -> None:
    with pytest.raises(ApiError) as caught:
        parse_object(b'{"page_no": "x"}', TrackListQuery)
    assert caught.value.code == ErrorCode.FIELD_VALUE_INVALID


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=8), children, max_size=5)
    ),
    max_leaves=20,
)


@given(json_values)
def test_any_json_parses_or_fails_with_a_documented_code(value: Any) -> None:
    body = json.dumps(value).encode()
    for item_type in (RegisterItem, NumberItem):
        try:
            parse_items(body, item_type)
        except ApiError as exc:
            assert exc.code in ErrorCode


@given(st.binary(max_size=200))
def test_any_bytes_parse_or_fail_with_a_documented_code(body: bytes) -> None:
    try:
        parse_items(body, RegisterItem)
        parse_object(body, TrackListQuery)
    except ApiError as exc:
        assert exc.code in ErrorCode


def test_deep_nesting_is_invalid_data_not_a_crash() -> None:
    with pytest.raises(ApiError) as caught:
        parse_items(b"[" * 100_000 + b"]" * 100_000, RegisterItem)
    assert caught.value.code == ErrorCode.SUBMITTED_DATA_INVALID


def test_invalid_utf8_inside_a_string_is_invalid_data() -> None:
    with pytest.raises(ApiError) as caught:
        parse_items(b'[{"number":"RR123456789CN","tag":"\xff\xfe"}]', RegisterItem)
    assert caught.value.code == ErrorCode.SUBMITTED_DATA_INVALID


@given(st.binary(min_size=1, max_size=8))
def test_any_bytes_inside_a_string_value(raw: bytes) -> None:
    body = b'[{"number":"RR123456789CN","tag":"' + raw.replace(b'"', b"").replace(b"\\", b"") + b'"}]'
    try:
        parse_items(body, RegisterItem)
    except ApiError as exc:
        assert exc.code == ErrorCode.SUBMITTED_DATA_INVALID
