"""The README's carrier table says, per connector, how many real answers it is tested on and
where its code table comes from, as the corpus and the tables say (so it cannot drift)."""

from __future__ import annotations

from pathlib import Path

import pytest

from parceltrace.sources.connectors.catalog import BY_NAME, SPECS
from parceltrace.sources.connectors.statuses import TABLES
from tests.sources.connectors.corpus import by_carrier

README = (Path(__file__).parents[1] / "README.md").read_text()


@pytest.mark.parametrize("name", [spec.name for spec in SPECS])
def test_the_carrier_row_gives_its_real_answers_and_code_source(name: str) -> None:
    [row] = [line for line in README.splitlines() if f"| `{name}` |" in line]
    assert f"{len(by_carrier(name))} real answers (`carriers/{name}/samples/`)" in row
    assert row.endswith(f"| {TABLES[name].source} |")
    assert by_carrier(name), f"{name} is tested on no real answer"


@pytest.mark.parametrize("name", [spec.name for spec in SPECS])
def test_the_carrier_row_gives_the_catalogs_codes_and_karrio_name(name: str) -> None:
    [row] = [line for line in README.splitlines() if f"| `{name}` |" in line]
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    codes = BY_NAME[name].carriers
    assert cells[1] == ", ".join(str(code) for code in codes), "the 17TRACK codes are the catalog's"
    assert cells[2] == f"`{name}`"


def test_the_table_has_a_row_for_each_connector_and_no_other() -> None:
    lines = README[README.index("| carrier | 17TRACK code(s) | karrio name |") :].splitlines()[2:]
    table = lines[: next(i for i, line in enumerate(lines) if not line.startswith("|"))]
    assert sorted(line.split("|")[3].strip(" `") for line in table) == sorted(s.name for s in SPECS)


def test_the_count_of_real_journeys_is_the_stand_ins_count() -> None:
    import importlib

    stand_ins = [
        importlib.import_module(f"tests.sources.connectors.carriers.{s.name}.standin") for s in SPECS
    ]
    real = sum(len(module.JOURNEYS) for module in stand_ins)
    assert f"of the {3 * len(SPECS)} journeys, {real}\nhave a real or derived answer" in README
