from __future__ import annotations

from pathlib import Path

import pytest

from parceltrace.carriers import params
from parceltrace.protocol.errors import ErrorCode


@pytest.mark.parametrize(
    ("carrier", "code"),
    [
        (100005, ErrorCode.PARAM_POSTAL_REQUIRED),  # GLS
        (14041, ErrorCode.PARAM_COUNTRY_POSTAL_REQUIRED),  # PostNL: DestCountry
        (100074, ErrorCode.PARAM_PHONE_REQUIRED),  # J&T Express (ID)
    ],
)
def test_required_params(carrier: int, code: ErrorCode) -> None:
    found = params.missing_param_error(carrier, None)
    assert found is not None and found[0] == code
    assert params.missing_param_error(carrier, "1000") is None


@pytest.mark.parametrize("carrier", [2061, 7041, 100003, 3011])
def test_optional_or_no_params(carrier: int) -> None:
    assert params.missing_param_error(carrier, None) is None


DOC = Path(__file__).resolve().parents[3] / "shared/reference/17track-api/003_27de3945822dd589.txt"
KIND = {"PostalCode": "PostalCode", "PhoneNumber": "PhoneNumber", "DestCountry": "DestCountry"}


def documented_rows() -> set[tuple[int, bool]]:
    text = DOC.read_text(encoding="utf-8")
    table = text[text.index("Carrier Name \tCarrier Code") : text.index("Country and Region Code")]
    rows = set()
    for line in table.splitlines()[1:]:
        cells = line.split("\t")
        if len(cells) >= 5:
            rows.add((int(cells[1].strip()), cells[4].strip() == "TRUE"))
    return rows


@pytest.mark.skipif(not DOC.exists(), reason="shared/ reference is not beside this checkout")
def test_table_has_every_row_of_the_documentation() -> None:
    documented = documented_rows()
    assert len(documented) > 70
    assert {(r.carrier, r.required) for r in params.RULES} == documented


def test_param_type() -> None:
    assert params.param_type(100005, "1000") == "PostalCode"
    assert params.param_type(100074, "8888") == "PhoneLast4Digits"
    assert params.param_type(3011, None) == "None"


@pytest.mark.parametrize(
    ("carrier", "param", "facts"),
    [
        (3011, "518000", {}),
        (7041, "1000 AA", {"destination_postal_code": "1000 AA"}),
        (100074, "8888", {"phone_number_last_4": "8888"}),
        (100003, "2024/1/1", {"ship_date": "2024/1/1"}),
        (14041, "FR", {"destination_country": "FR"}),
        (14041, "fr-75001", {"destination_country": "FR", "destination_postal_code": "75001"}),
        (14041, "1000 AA", {"destination_postal_code": "1000 AA"}),
        (100842, "ID", {"destination_country": "ID"}),
        (7041, None, {}),
        (7041, "", {}),
    ],
)
def test_param_facts(carrier: int, param: str | None, facts: dict[str, str]) -> None:
    assert params.param_facts(carrier, param) == facts
