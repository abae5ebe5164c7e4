"""CSV and pasted lists -> registration items (validation is the API's, not this module's)."""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parceltrace.protocol.csv_items import csv_items, pasted_items


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
        ("A1;B2\tC3", [{"number": "A1", "carrier": "B2"}]),
        ("\n \n", []),
        ("X 12ab", [{"number": "X", "carrier": "12ab"}]),
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
        assert item["number"] and not any(c.isspace() for c in item["number"])
        assert set(item) <= {"number", "carrier"}


@given(st.text())
def test_any_csv_text_gives_items_or_nothing_never_a_crash(text: str) -> None:
    for item in csv_items(io.StringIO(text, newline="")):
        assert item["number"]


def test_carrier_cells_that_only_look_numeric_stay_text() -> None:
    assert pasted_items("RR123456789CN ²") == [{"number": "RR123456789CN", "carrier": "²"}]
