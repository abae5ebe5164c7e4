"""CSV and pasted lists -> registration items (validation is the API's, not this module's)."""

from __future__ import annotations

import io
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parceltrace.service.csv_items import CSV_FIELDS, CsvProblem, csv_items, pasted_items


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("RR123456789CN", [{"number": "RR123456789CN"}]),
        (
            "RR123456789CN 3011\n\n  1Z999AA10123456784,100002 ",
            [
                {"number": "RR123456789CN", "carrier": 3011},
                {"number": "1Z999AA10123456784", "carrier": 100002},
            ],
        ),
        ("A1;B2\tC3", [{"number": "A1", "carrier": "B2", "param": "C3"}]),
        ("\u00a0A1", [{"number": "A1"}]),
        (
            ", 12345678901 100005 SW1A 1AA ;",
            [{"number": "12345678901", "carrier": 100005, "param": "SW1A 1AA"}],
        ),
        ("\n \n", []),
        ("X 12ab", [{"number": "X 12ab"}]),  # "X" is no number: the line goes whole to the API
        ("X1 12ab", [{"number": "X1", "carrier": "12ab"}]),
    ],
)
def test_pasted_lists(text: str, items: list[dict[str, object]]) -> None:
    assert pasted_items(text) == items


def test_csv_keeps_known_columns_types_carriers_and_skips_rows_without_a_number() -> None:
    text = "number,carrier,tag,color,final_carrier\nRR123456789CN,3011, gift ,red,\n,3011,x,,\nB1,abc,,,7\n"
    assert list(csv_items(io.StringIO(text))) == [
        {"number": "RR123456789CN", "carrier": 3011, "tag": "gift"},
        {"number": "B1", "carrier": "abc", "final_carrier": 7},
    ]


@given(st.text())
def test_any_pasted_text_gives_items_with_non_empty_numbers(text: str) -> None:
    for item in pasted_items(text):
        words = item["number"].split()
        assert item["number"] and (len(words) == 1 or not any(c.isdigit() for c in words[0]))
        assert set(item) <= {"number", "carrier", "param"}
        if "param" in item:
            assert item["param"] and not re.match(r"^[\s,;]|.*[\s,;]$", item["param"], re.S)


@given(st.text())
def test_any_csv_text_gives_items_or_says_why_not(text: str) -> None:
    try:
        for item in csv_items(io.StringIO(text, newline="")):
            assert item["number"] and set(item) <= set(CSV_FIELDS)
    except CsvProblem as problem:
        assert str(problem).startswith(("The file", "No column"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Number,Carrier\nRR123456789CN,3011\n", [{"number": "RR123456789CN", "carrier": 3011}]),
        ("tracking_number,courier\nRR123456789CN,3011\n", [{"number": "RR123456789CN", "carrier": 3011}]),
        ("Tracking Number;Order No\nRR123456789CN;A-1\n", [{"number": "RR123456789CN", "order_no": "A-1"}]),
        ("AWB\tReference\n1Z999AA10123456784\tgift\n", [{"number": "1Z999AA10123456784", "tag": "gift"}]),
        (
            "RR123456789CN\n00340434161094042557\n",
            [{"number": "RR123456789CN"}, {"number": "00340434161094042557"}],
        ),
        (
            "RR123456789CN;3011\nLX123456785GB;11031\n",
            [{"number": "RR123456789CN", "carrier": 3011}, {"number": "LX123456785GB", "carrier": 11031}],
        ),
    ],
)
def test_headers_aliases_delimiters_and_no_header(text: str, expected: list[dict[str, object]]) -> None:
    assert list(csv_items(io.StringIO(text, newline=""))) == expected


@pytest.mark.parametrize(
    ("text", "says"),
    [("", "empty"), ("\n\n", "empty"), ("id,name\n1,a\n", "'id', 'name'"), ("x\n", "'x'")],
)
def test_files_without_numbers_say_what_was_found(text: str, says: str) -> None:
    with pytest.raises(CsvProblem, match=says):
        list(csv_items(io.StringIO(text, newline="")))


def test_carrier_cells_that_only_look_numeric_stay_text() -> None:
    assert pasted_items("RR123456789CN ²") == [{"number": "RR123456789CN", "carrier": "²"}]


def test_a_pasted_line_whose_second_word_is_no_code_is_one_number() -> None:
    """It was read as number "not", carrier "a"; the API now judges the line as written."""
    assert pasted_items("not a number!!\nRR123456789CN 3011") == [
        {"number": "not a number!!"},
        {"number": "RR123456789CN", "carrier": 3011},
    ]
