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
