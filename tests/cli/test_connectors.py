"""`parceltrace connectors ...` against a stand-in carrier API on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from typer.testing import CliRunner

from parceltrace.cli.main import app
from parceltrace.sources.connectors import calls
from tests.sources.connectors.carriers.ups import standin as ups
from tests.sources.connectors.standin import StandIn, standing_in

runner = CliRunner()


@pytest.fixture
def ups_api() -> Iterator[StandIn]:
    calls.prepare_karrio(loopback_only=True)
    with standing_in(ups.respond) as stand_in:
        yield stand_in


def test_add_list_test_remove(db_url: str, ups_api: StandIn) -> None:
    secret = ups.CREDENTIALS["client_secret"]
    added = runner.invoke(
        app,
        ["connectors", "add", "ups", "-c", "client_id=ups-client", "--credential", f"client_secret={secret}",
         "--base-url", ups_api.url, "--max-rate", "20/1", "--db", db_url],
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    assert "added connector ups" in added.output and secret not in added.output

    listed = json.loads(runner.invoke(app, ["connectors", "list", "--json", "--db", db_url]).output)
    [entry] = [c for c in listed["connectors"] if c["name"] == "ups"]
    assert (entry["configured"], entry["base_url"], entry["rate_limit"]) == (True, ups_api.url, "20/1s")
    assert secret not in json.dumps(listed)

    tested = runner.invoke(
        app, ["connectors", "test", "ups", ups.NUMBERS["in_transit"], "--json", "--db", db_url]
    )
    assert tested.exit_code == 0, tested.output
    info = json.loads(tested.output)
    assert info["latest_status"] == {
        "status": "InTransit",
        "sub_status": "InTransit_CustomsReleased",
        "sub_status_descr": None,
    }
    table = runner.invoke(app, ["connectors", "test", "ups", ups.NUMBERS["in_transit"], "--db", db_url])
    assert "InTransit / InTransit_CustomsReleased" in table.output and "SR" in table.output

    health = json.loads(runner.invoke(app, ["connectors", "list", "--json", "--db", db_url]).output)
    [entry] = [c for c in health["connectors"] if c["name"] == "ups"]
    assert entry["last_success_at"] and entry["calls"] == 2

    removed = runner.invoke(app, ["connectors", "remove", "ups", "--db", db_url])
    assert removed.exit_code == 0 and "removed connector ups" in removed.output


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["add", "upps", "-c", "a=b"], "no connector named 'upps'"),
        (["add", "ups", "-c", "client_id=x"], "ups needs client_secret"),
        (["add", "ups", "-c", "nonsense"], "write FIELD=VALUE"),
        (["add", "ups", "-c", "client_id=x", "-c", "client_secret=y", "--max-rate", "fast"], "CALLS/SECONDS"),
        (["remove", "ups"], "no connector 'ups' is configured"),
        (["test", "ups", "1Z999AA10123456784"], "no connector 'ups' is configured"),
    ],
)
def test_mistakes_are_explained_with_status_2(db_url: str, args: list[str], says: str) -> None:
    result = runner.invoke(app, ["connectors", *args, "--db", db_url])
    assert result.exit_code == 2, result.output
    assert says in " ".join(result.output.split()) and "Traceback" not in result.output


def test_a_failed_test_fetch_exits_1_and_says_why(db_url: str, ups_api: StandIn) -> None:
    runner.invoke(
        app,
        [
            "connectors",
            "add",
            "ups",
            "-c",
            "client_id=ups-client",
            "-c",
            "client_secret=wrong",
            "--base-url",
            ups_api.url,
            "--db",
            db_url,
        ],
    )
    failed = runner.invoke(app, ["connectors", "test", "ups", ups.NUMBERS["in_transit"], "--db", db_url])
    assert failed.exit_code == 1 and "refused the credentials" in failed.output


@pytest.mark.parametrize("form", ["env", "file", "prompt"])
def test_a_secret_need_not_be_on_the_command_line(
    db_url: str, ups_api: StandIn, tmp_path: Any, monkeypatch: pytest.MonkeyPatch, form: str
) -> None:
    """The secret comes from the environment, a file or a hidden prompt, never from argv (which
    `ps` and the shell's history show), and the connector then works with it."""
    secret = ups.CREDENTIALS["client_secret"]
    given, entered = {
        "env": ("client_secret=env:UPS_SECRET", None),
        "file": (f"client_secret=@{tmp_path / 'ups.secret'}", None),
        "prompt": ("client_secret", secret + "\n"),
    }[form]
    monkeypatch.setenv("UPS_SECRET", secret)
    (tmp_path / "ups.secret").write_text(secret + "\n")
    argv = ["connectors", "add", "ups", "-c", "client_id=ups-client", "-c", given, "--base-url", ups_api.url]
    added = runner.invoke(app, [*argv, "--db", db_url], input=entered)
    assert added.exit_code == 0, added.output
    assert secret not in " ".join(argv) and secret not in added.output
    tested = runner.invoke(
        app, ["connectors", "test", "ups", ups.NUMBERS["in_transit"], "--json", "--db", db_url]
    )
    assert tested.exit_code == 0, tested.output


def test_a_missing_environment_variable_is_explained(db_url: str) -> None:
    result = runner.invoke(
        app,
        [
            "connectors",
            "add",
            "ups",
            "-c",
            "client_id=x",
            "-c",
            "client_secret=env:NO_SUCH_VAR",
            "--db",
            db_url,
        ],
    )
    assert result.exit_code == 2 and "NO_SUCH_VAR" in result.output


def test_help_says_how_to_keep_secrets_out_of_argv() -> None:
    shown = runner.invoke(app, ["connectors", "add", "--help"], terminal_width=200).output
    assert "env:NAME" in shown and "@FILE" in shown


def test_codes_no_table_knows_are_counted_and_listed(db_url: str) -> None:
    """Canada Post's recorded answer (carriers/canadapost/samples/karrio_tracking_detail.xml)
    carries 0173 "Customer addressing error found; attempting to correct. Possible delay", a
    code the Canada Post table does not know: each answer that carries it counts."""
    from tests.sources.connectors.carriers.canadapost import standin as canadapost
    from tests.sources.connectors.corpus import BY_CARRIER_FILE
    from tests.sources.connectors.replay import replaying

    calls.prepare_karrio(loopback_only=True)
    sample = BY_CARRIER_FILE["canadapost", "karrio_tracking_detail.xml"]
    answer = replaying("canadapost", sample.local.read_bytes(), "application/vnd.cpc.track-v2+xml")
    with standing_in(answer) as stand_in:  # type: ignore[arg-type]
        credentials = [f"{field}={value}" for field, value in canadapost.CREDENTIALS.items()]
        added = runner.invoke(
            app,
            ["connectors", "add", "canadapost", *[arg for c in credentials for arg in ("-c", c)],
             "--base-url", stand_in.url, "--db", db_url],
        )  # fmt: skip
        assert added.exit_code == 0, added.output
        assert runner.invoke(app, ["connectors", "unmapped", "--db", db_url]).output.startswith(
            "no unknown codes seen"
        )
        for _ in range(2):
            tested = runner.invoke(
                app, ["connectors", "test", "canadapost", sample.numbers[0], "--db", db_url]
            )
            assert tested.exit_code == 0, tested.output
    listed = json.loads(
        runner.invoke(app, ["connectors", "unmapped", "canadapost", "--json", "--db", db_url]).output
    )
    said = "Customer addressing error found; attempting to correct. Possible delay"
    assert [(i["connector"], i["code"], i["description"], i["seen"]) for i in listed] == [
        ("canadapost", "0173", said, 2)
    ]
    table = runner.invoke(app, ["connectors", "unmapped", "--db", db_url]).output
    assert "0173" in table and "Customer addressing error" in table
    wrong = runner.invoke(app, ["connectors", "unmapped", "canadapst", "--db", db_url])
    assert wrong.exit_code != 0 and "no connector named 'canadapst'" in wrong.output


def test_the_install_hint_is_printed_whole(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rich read `[carriers]` as markup and printed `pip install 'parceltrace'` (issue 30, 6)."""
    monkeypatch.setattr(calls, "karrio_installed", lambda: False)
    done = runner.invoke(
        app, ["connectors", "list", "--db", f"sqlite:///{tmp_path / 'c.db'}"], env={"COLUMNS": "200"}
    )
    assert "pip install 'parceltrace[carriers]'" in done.output


def test_coverage_counts_the_catalogs_codes_and_names_the_common_carriers_without_one() -> None:
    from parceltrace.sources.connectors.coverage import COMMON, coverage

    found = coverage()
    shown = runner.invoke(app, ["connectors", "coverage", "--json"])
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.output)
    assert (data["carrier_codes"], data["first_party"], data["aggregator"]) == (
        found.listed,
        len(found.first_party),
        0,
    )
    assert data["neither"] == found.listed - len(found.first_party)
    assert [c["carrier"] for c in data["common"]] == list(COMMON)
    ups_row = next(c for c in data["common"] if c["carrier"] == 100002)
    assert ups_row["connectors"] == ["ups"]
    table = runner.invoke(app, ["connectors", "coverage"], env={"COLUMNS": "200"})
    assert "China Post" in table.output and "needs --upstream-url" in table.output
