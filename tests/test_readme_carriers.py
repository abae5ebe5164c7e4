"""The README's carrier table says, per connector, how many real answers it is tested on and
where its code table comes from, as the corpus and the tables say (so it cannot drift)."""

from __future__ import annotations

from pathlib import Path

import pytest

from parceltrace.sources.connectors.catalog import SPECS
from parceltrace.sources.connectors.statuses import TABLES
from tests.sources.connectors.corpus import by_carrier

README = (Path(__file__).parents[1] / "README.md").read_text()


@pytest.mark.parametrize("name", [spec.name for spec in SPECS])
def test_the_carrier_row_gives_its_real_answers_and_code_source(name: str) -> None:
    [row] = [line for line in README.splitlines() if f"| `{name}` |" in line]
    assert f"{len(by_carrier(name))} real answers (`carriers/{name}/samples/`)" in row
    assert row.endswith(f"| {TABLES[name].source} |")
    assert by_carrier(name), f"{name} is tested on no real answer"


def test_the_count_of_real_journeys_is_the_stand_ins_count() -> None:
    import importlib

    stand_ins = [
        importlib.import_module(f"tests.sources.connectors.carriers.{s.name}.standin") for s in SPECS
    ]
    real = sum(len(module.JOURNEYS) for module in stand_ins)
    assert f"of the {3 * len(SPECS)} journeys, {real}\nhave a real or derived answer" in README
