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
