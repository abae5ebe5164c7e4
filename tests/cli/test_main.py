from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from parceltrace.cli.main import app

runner = CliRunner()


def invoke(db_url: str, *args: str) -> str:
    result = runner.invoke(app, [*args, "--db", db_url])
    assert result.exit_code == 0, result.output
    return result.stdout


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
    shown = invoke(db_url, "account", "update", "shop", "--show-webhook-secret")
    assert "nothing to change for account shop" in shown and "whsec_" in shown
    assert "updated account shop" in invoke(db_url, "account", "update", "shop", "--quota", "7")


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


def test_sandbox_reset_starts_an_account_afresh(db_url: str) -> None:
    import asyncio

    from parceltrace.clock import SystemClock
    from parceltrace.protocol.structs import RegisterItem
    from parceltrace.service.accounts import get_account
    from parceltrace.service.context import Services
    from parceltrace.service.register import register
    from parceltrace.store.engine import Store
    from parceltrace.store.sandbox import load_clocks, save_clock

    invoke(db_url, "account", "create", "shop", "--quota", "50")
    invoke(db_url, "account", "create", "other")

    async def prepare() -> tuple[int, int]:
        services = Services(Store(db_url), SystemClock())
        try:
            shop, other = (
                await get_account(services, "shop"),
                await get_account(services, "other"),
            )
            assert shop is not None and other is not None
            for account in (shop, other):
                await register(services, account.id, [RegisterItem(number="SANDBOX-Delivered-Other-1")])
            await save_clock(services.store, shop.id, timedelta(days=30))
            return shop.id, other.id
        finally:
            await services.close()

    shop_id, other_id = asyncio.run(prepare())
    kept = runner.invoke(app, ["sandbox", "reset", "shop", "--db", db_url], input="n\n")
    assert kept.exit_code == 1 and "Aborted" in kept.output
    done = runner.invoke(app, ["sandbox", "reset", "shop", "--yes", "--db", db_url])
    assert done.exit_code == 0, done.output
    assert "1 tracking, 0 webhook messages and 0 mails deleted" in " ".join(done.output.split())

    async def after() -> tuple[dict[int, tuple[timedelta, int]], int, int]:
        store = Store(db_url)
        try:
            clocks = await load_clocks(store)
            services = Services(store, SystemClock())
            shop, other = await get_account(services, "shop"), await get_account(services, "other")
            assert shop is not None and other is not None
            return clocks, shop.quota_used, other.quota_used
        finally:
            await store.close()

    clocks, shop_used, other_used = asyncio.run(after())
    assert clocks[shop_id] == (timedelta(0), 1) and other_id not in clocks
    assert (shop_used, other_used) == (0, 1)
    listed = json.loads(invoke(db_url, "account", "list", "--json"))
    assert {a["name"]: a["quota_used"] for a in listed} == {"shop": 0, "other": 1}
    ghost = runner.invoke(app, ["sandbox", "reset", "ghost", "--yes", "--db", db_url])
    assert ghost.exit_code == 2 and "no account named 'ghost'" in ghost.output


def _command_paths(command: Any, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [path]
    for name, sub in getattr(command, "commands", {}).items():
        found += _command_paths(sub, (*path, name))
    return found


def test_no_help_shows_a_flag_as_taking_a_value() -> None:
    """typer printed `--json <bool>`, and users then typed `--json true` (which fails)."""
    paths = _command_paths(typer.main.get_command(app))
    assert len(paths) > 20
    for path in paths:
        result = runner.invoke(app, [*path, "--help"], terminal_width=160)
        assert result.exit_code == 0, path
        assert "<bool>" not in result.output, path
    quota = runner.invoke(app, ["quota", "--help"], terminal_width=160).output
    assert re.search(r"--json\s+JSON instead of a table", quota)
    assert "<str>" in quota, "options that take a value still show its type"


def test_help_names_every_option_whole_at_80_columns() -> None:
    """typer's rich layout cut `--allow-webhook-host` to `--allow-webhook-ho…` on a terminal of
    80 columns; the plain layout gives long names their own line."""
    root = typer.main.get_command(app)
    checked = 0
    for path in _command_paths(root):
        command = root
        for name in path:
            command = command.commands[name]  # type: ignore[attr-defined]
        output = runner.invoke(app, [*path, "--help"], terminal_width=80).output
        assert max(len(line) for line in output.splitlines()) <= 80, path
        options = [p for p in command.params if p.param_type_name == "option"]
        names = [name for option in options for name in option.opts + option.secondary_opts]
        checked += len(names)
        missing = [
            name for name in names if not re.search(rf"(^|[\s,/]){re.escape(name)}(\s|,|$)", output, re.M)
        ]
        assert not missing, (path, missing)
    assert checked > 100


def test_a_new_database_file_is_named(tmp_path: Path) -> None:
    """`account list` in another folder opens a new, empty parceltrace.db: it says so."""
    file = tmp_path / "elsewhere" / "parceltrace.db"
    file.parent.mkdir()
    first = runner.invoke(app, ["account", "list", "--db", str(file)])
    assert first.exit_code == 0
    assert f"no database was at {file}" in " ".join(first.stderr.split())
    second = runner.invoke(app, ["account", "list", "--db", str(file)])
    assert "no database was at" not in second.stderr


def test_migrate_says_whether_it_created_upgraded_or_found_the_schema_current(tmp_path: Path) -> None:
    """On an empty database it said "schema is up to date"."""
    db = f"sqlite:///{tmp_path / 'new.db'}"
    first = runner.invoke(app, ["migrate", "--db", db])
    again = runner.invoke(app, ["migrate", "--db", db])
    assert first.exit_code == 0 and re.search(r"schema created \(revision \d{4}\)", first.output)
    assert again.exit_code == 0 and re.search(r"schema is up to date \(revision \d{4}\)", again.output)


def test_refresh_says_how_many_and_refuses_an_unsaid_choice(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'r.db'}"
    assert runner.invoke(app, ["account", "create", "shop", "--db", db]).exit_code == 0
    nothing = runner.invoke(app, ["refresh", "shop", "--db", db])
    assert nothing.exit_code == 2 and "NUMBER…, --carrier CODE or --failed" in nothing.output
    none_yet = runner.invoke(app, ["refresh", "shop", "--failed", "--db", db])
    assert none_yet.exit_code == 0 and "0 trackings of shop to be polled now" in none_yet.output
    unknown = runner.invoke(app, ["refresh", "nobody", "--failed", "--db", db])
    assert unknown.exit_code == 2 and "no account named 'nobody'" in unknown.output
