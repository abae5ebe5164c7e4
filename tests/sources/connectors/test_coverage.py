"""`parceltrace connectors coverage`'s figures: which 17TRACK codes a first-party connector
serves, which only an aggregator, and which of the common carriers have neither."""

from __future__ import annotations

from pathlib import Path

from parceltrace.carriers import registry
from parceltrace.sources.connectors.carrier import ConnectorSpec, Pace
from parceltrace.sources.connectors.catalog import SPECS
from parceltrace.sources.connectors.coverage import COMMON, coverage

README = (Path(__file__).parents[3] / "README.md").read_text()
UNLISTED = 99_999_999


def spec(name: str, *codes: int) -> ConnectorSpec:
    return ConnectorSpec(name, name.upper(), codes, "nowhere", "UTC", Pace(1, 1), "a test")


def test_the_common_carriers_are_listed_once_each() -> None:
    listed = registry.all_carriers()
    assert len(COMMON) == len(set(COMMON)) >= 50
    assert [code for code in COMMON if code not in listed] == []


def test_first_party_codes_are_the_listed_codes_connectors_serve() -> None:
    found = coverage([spec("a", 100002, UNLISTED), spec("b", 100002, 100003)])
    assert found.first_party == {100002, 100003}  # a code 17TRACK does not list is not counted
    assert found.listed == len(registry.all_carriers())
    assert found.neither == found.listed - 2


def test_an_aggregator_adds_only_what_no_first_party_connector_serves() -> None:
    found = coverage([spec("ups", 100002)], aggregated=[100002, 100006, UNLISTED])
    assert found.aggregator == {100006}
    assert found.neither == found.listed - 2


def test_each_common_carrier_names_its_connectors_in_order_of_preference() -> None:
    found = coverage([spec("first", 100002), spec("second", 100002)])
    by_code = {c.code: c for c in found.common}
    assert by_code[100002].connectors == ("first", "second")
    assert by_code[100002].name == "UPS"
    assert by_code[3011] in found.common_uncovered and by_code[100002] not in found.common_uncovered


def test_the_readme_quotes_the_catalogs_coverage() -> None:
    found = coverage(SPECS)
    covered = len(COMMON) - len(found.common_uncovered)
    line = (
        f"{len(found.first_party)} of 17TRACK's {found.listed:,} carrier codes have a first-party "
        f"connector, {len(found.aggregator)} an aggregator; {covered} of the {len(COMMON)} common carriers"
    )
    assert " ".join(line.split()) in " ".join(README.split())
