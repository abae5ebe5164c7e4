"""The import-linter contract that keeps SQL behind store/ names every other part of the
package: a module added later is covered, or this test says it is not."""

from __future__ import annotations

import pkgutil
import tomllib
from pathlib import Path

import parceltrace

ROOT = Path(__file__).resolve().parents[1]


def test_every_package_but_store_is_forbidden_sql() -> None:
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    sql = next(
        c for c in contracts if "sqlalchemy" in c.get("forbidden_modules", []) and "store" in c["name"]
    )
    top_level = {f"parceltrace.{module.name}" for module in pkgutil.iter_modules(parceltrace.__path__)}
    assert set(sql["source_modules"]) == top_level - {"parceltrace.store"}
    assert {"sqlalchemy", "aiosqlite", "asyncpg"} <= set(sql["forbidden_modules"])


def _contract(words: str) -> dict[str, object]:
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    return next(c for c in contracts if words in c["name"])


def test_the_pure_core_is_forbidden_every_io_library() -> None:
    pure = _contract("pure core")
    assert set(pure["source_modules"]) == {  # type: ignore[arg-type]
        "parceltrace.tracking",
        "parceltrace.protocol",
        "parceltrace.carriers",
    }
    io = {"sqlalchemy", "httpx", "aiohttp", "litestar", "karrio", "asyncpg", "aiosqlite"}
    assert io <= set(pure["forbidden_modules"])  # type: ignore[arg-type]


def test_only_service_reaches_the_store_and_only_records_are_shared() -> None:
    through = _contract("only through service")
    assert set(through["source_modules"]) == {  # type: ignore[arg-type]
        "parceltrace.sources",
        "parceltrace.worker",
        "parceltrace.web",
        "parceltrace.api",
    }
    assert through["forbidden_modules"] == ["parceltrace.store"]
    assert all(rule.endswith("-> parceltrace.store.records") for rule in through["ignore_imports"])  # type: ignore[attr-defined]


def test_only_service_and_store_open_transactions() -> None:
    """The loops, the HTTP edges and the sources hold no transaction: a use case does."""
    opening = ("store.write()", "store.read()")
    found = [
        f"{path.relative_to(ROOT)}: {needle}"
        for room in ("worker", "api", "web", "edge", "sources", "outbox")
        for path in sorted((ROOT / "src" / "parceltrace" / room).rglob("*.py"))
        for needle in opening
        if needle in path.read_text()
    ]
    assert found == []
