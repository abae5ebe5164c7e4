from __future__ import annotations

import json
from pathlib import Path

import pytest

from parceltrace.carriers import registry

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "17track" / "apicarrier.all.json"


def test_all_3037_carriers_are_known() -> None:
    assert len(registry.all_carriers()) == 3037


@pytest.mark.parametrize(
    ("code", "name", "iso"),
    [
        (3011, "China Post", "CN"),
        (11031, "Royal Mail", "GB"),
        (21051, "USPS", "US"),
        (7041, "DHL Paket", "DE"),
        (14041, "PostNL", "NL"),
        (100001, "DHL Express", "DE"),
        (100002, "UPS", "US"),
        (100003, "FedEx", "US"),
        (100005, "GLS", "GB"),
    ],
)
def test_canonical_codes(code: int, name: str, iso: str) -> None:
    carrier = registry.get(code)
    assert carrier is not None and carrier.name == name and carrier.country_iso == iso


@pytest.mark.parametrize(
    ("iso", "code"), [("CN", 3011), ("GB", 11031), ("US", 21051), ("DE", 7041), ("NL", 14041)]
)
def test_national_posts(iso: str, code: int) -> None:
    assert registry.national_post_by_iso()[iso].code == code


def test_postal_and_express_codes() -> None:
    assert registry.get(3011).is_postal  # type: ignore[union-attr]
    assert not registry.get(100002).is_postal  # type: ignore[union-attr]


@pytest.mark.skipif(not SHARED.exists(), reason="shared/ data is not beside this checkout")
def test_generated_table_matches_the_source_list() -> None:
    source = {row["key"]: row for row in json.loads(SHARED.read_text(encoding="utf-8"))}
    table = registry.all_carriers()
    assert set(source) == set(table)
    for code, row in source.items():
        assert (table[code].name, table[code].country_iso) == (row["_name"].strip(), row["_country_iso"])
