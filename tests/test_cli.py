from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from parceltrace.cli import app

runner = CliRunner()


def invoke(db_url: str, *args: str) -> str:
    result = runner.invoke(app, [*args, "--db", db_url])
    assert result.exit_code == 0, result.output
    return result.output


def test_account_lifecycle(db_url: str) -> None:
    created = json.loads(invoke(db_url, "account", "create", "shop", "--quota", "500", "--json"))
    assert created["name"] == "shop" and len(created["key"]) == 32
    listed = json.loads(invoke(db_url, "account", "list", "--json"))
    assert listed[0]["quota_total"] == 500 and listed[0]["rate_limit"] == 3
    assert created["key"] not in json.dumps(listed)
    updated = json.loads(
        invoke(
            db_url,
            "account",
            "update",
            "shop",
            "--daily-limit",
            "50",
            "--rate-limit",
            "0",
            "--disable",
            "--json",
        )
    )
    assert (updated["max_track_daily"], updated["rate_limit"], updated["enabled"]) == (50, 0, False)
    rotated = json.loads(invoke(db_url, "account", "rotate-key", "shop", "--json"))
    assert rotated["key"] != created["key"]


def test_errors_are_explained(db_url: str) -> None:
    invoke(db_url, "account", "create", "shop")
    duplicate = runner.invoke(app, ["account", "create", "shop", "--db", db_url])
    assert duplicate.exit_code == 2 and "exists already" in duplicate.output
    bad_ip = runner.invoke(app, ["account", "update", "shop", "--ip-whitelist", "1.2.3", "--db", db_url])
    assert bad_ip.exit_code == 2 and "-18010205" in bad_ip.output
    ghost = runner.invoke(app, ["account", "update", "ghost", "--quota", "1", "--db", db_url])
    assert ghost.exit_code == 2 and "no account named 'ghost'" in ghost.output


def test_help_lists_every_command() -> None:
    result = runner.invoke(app, ["--help"])
    for command in ("serve", "worker", "migrate", "account", "deliveries", "redeliver", "track", "import",
                    "list", "quota", "webhook"):  # fmt: skip
        assert command in result.output
    account_help = runner.invoke(app, ["account", "--help"]).output
    for command in ("create", "list", "update", "rotate-key", "rotate-webhook-secret", "test-webhook"):
        assert command in account_help
    assert "listen" in runner.invoke(app, ["webhook", "--help"]).output


def test_db_takes_a_plain_file_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["account", "create", "shop", "--db", "shops.db", "--json"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "shops.db").exists()


@pytest.mark.parametrize(
    ("db", "shown"),
    [
        ("mysql://x/y", "mysql is not supported"),
        ("postgresql://127.0.0.1:1/nothing", "cannot use the database"),
        ("   ", "give a database"),
    ],
)
def test_an_unusable_database_is_explained_without_a_traceback(db: str, shown: str) -> None:
    result = runner.invoke(app, ["account", "list", "--db", db])
    assert result.exit_code in (1, 2)
    assert shown in " ".join(re.sub(r"[│╭╮╰╯─]", " ", result.output).split())
    assert "Traceback" not in result.output
