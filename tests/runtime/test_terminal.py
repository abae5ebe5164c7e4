"""Data on the terminal as it was written: Rich markup in an account name, a webhook URL, a CSV
cell or a carrier's event text is shown, not interpreted (it crashed `account create` after the
account was made, before its key was printed); escape sequences never reach the terminal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console
from typer.testing import CliRunner

from parceltrace.cli.main import app
from parceltrace.runtime.terminal import DataTable, counted, plain, shown

runner = CliRunner()
MARKUP = ["x[/y]", "[bold]b[/bold]", "[/]", "a[link=http://x]b", "\\[x]", "[red"]


def squeezed(text: str) -> str:
    return "".join(text.split())


@given(st.text(max_size=60))
def test_any_text_prints_as_written_without_control_characters(text: str) -> None:
    console = Console(record=True, width=400, color_system=None)
    console.print(f"[bold]name:[/bold] {shown(text)}", soft_wrap=True)
    out = console.export_text()
    assert "\x1b" not in out
    assert squeezed(plain(text)) in squeezed(out)


@given(st.text(alphabet=st.characters(blacklist_categories=("Z", "Cc")), max_size=40))
def test_any_table_cell_shows_as_written(text: str) -> None:
    console = Console(record=True, width=400, color_system=None)
    table = DataTable("cell")
    table.add_row(text + "\x1b[2J")
    console.print(table)
    out = console.export_text()
    assert "\x1b" not in out
    assert squeezed(plain(text)) in squeezed(out)


@pytest.mark.parametrize("name", MARKUP)
def test_account_create_prints_the_name_and_key_whatever_the_name(db_url: str, name: str) -> None:
    created = runner.invoke(app, ["account", "create", name, "--db", db_url])
    assert created.exit_code == 0, created.output
    assert f"created account {name}" in created.stdout and "API key" in created.stdout
    listed = runner.invoke(app, ["account", "list", "--json", "--db", db_url])
    assert listed.exit_code == 0 and json.loads(listed.stdout)[0]["name"] == name


def test_escape_sequences_are_written_out() -> None:
    assert plain("in transit\x1b[2J\x07") == "in transit\\x1b[2J\\x07"
    assert shown("[/x]\x1b") == "\\[/x]\\x1b"


def test_a_csv_cell_with_markup_is_reported_as_written(tmp_path: Path) -> None:
    csv = tmp_path / "odd.csv"
    csv.write_text("carrier\n[/x]\n")
    result = runner.invoke(app, ["import", str(csv), "--key", "K" * 32])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "MarkupError" not in str(result.exception or "")


@pytest.mark.parametrize(
    "args",
    [
        ["import", "x.csv", "--url", "htp://[::1", "--key", "K" * 32],
        ["list", "--url", "htp://[::1", "--key", "K" * 32],
        ["serve", "--port", "99999"],
    ],
)
def test_bad_options_are_explained_without_a_traceback(args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("count", "shown_as"), [(0, "0 rows"), (1, "1 row"), (2, "2 rows"), (12345, "12,345 rows")]
)
def test_counted_says_one_row_not_one_rows(count: int, shown_as: str) -> None:
    assert counted(count, "row") == shown_as
