from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from parceltrace.carriers import registry

SHARED_DIR = Path(__file__).resolve().parents[3] / "shared" / "data" / "17track"
SHARED = SHARED_DIR / "apicarrier.all.json"
PUBLISHED_SHA256 = {
    "apicarrier.all.json": "f2a81aee6ca96a7031ff9971c0b578f324eb52ae4b931c8e24572db919873577",
    "country.all.json": "6a06e36f14f1aca2d4299eae466ecd24bbfd93d114591a326b46835b8ea78038",
}
"""SHA-256 of the shared copies of 17TRACK's files, so a checkout without ../shared still checks
that the rendered lists are byte for byte what 17TRACK publishes."""


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


@pytest.mark.parametrize(
    ("rendered", "published"),
    [
        (registry.carrier_list_json, "apicarrier.all.json"),
        (registry.country_list_json, "country.all.json"),
    ],
)
def test_lists_render_byte_for_byte_as_published(rendered: object, published: str) -> None:
    body = rendered()  # type: ignore[operator]
    assert hashlib.sha256(body).hexdigest() == PUBLISHED_SHA256[published]
    if (SHARED_DIR / published).exists():
        assert body == (SHARED_DIR / published).read_bytes()


def test_published_values_are_kept_untrimmed_and_null() -> None:
    """The source's own values: untrimmed names, a null country, an empty ISO code."""
    rows = registry.carrier_rows()
    assert any(name != name.strip() for _code, name, *_rest in rows)
    assert any(country is None and iso == "" for _code, _name, country, iso, _url in rows)
    assert [row[0] for row in rows] != sorted(row[0] for row in rows)  # published order, not sorted


@pytest.mark.parametrize(
    ("iso", "numeric"), [("GB", 1103), ("US", 2105), ("CN", 301), ("DE", 704), ("RU", 1803)]
)
def test_numeric_country_codes(iso: str, numeric: int) -> None:
    assert registry.numeric_country_by_iso()[iso] == numeric
    assert (numeric, dict(registry.country_rows())[numeric]) in registry.country_rows()


def test_website_list_adds_can_track() -> None:
    rows = json.loads(registry.website_carrier_list_json())
    assert len(rows) == 3037 and all(row["_canTrack"] == 1 for row in rows)
    assert [{k: v for k, v in row.items() if k != "_canTrack"} for row in rows] == json.loads(
        registry.carrier_list_json()
    )
