"""The lookups that run per request or per pushed update use an index on SQLite, never a scan of
an account's (or every) tracking: a scan makes registration slower as the table grows (found by
the import benchmark after a constraint reordering: 1,730 -> 806 numbers/s at 100,000)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import Select, Update, and_, exists, select, update
from sqlalchemy.dialects import sqlite

from parceltrace.store.engine import Store
from parceltrace.store.tables import trackings, upstream_registrations

pytestmark = pytest.mark.sqlite_only

LOCAL = and_(
    trackings.c.number == upstream_registrations.c.number,
    trackings.c.carrier == upstream_registrations.c.carrier,
)
STATEMENTS: dict[str, tuple[Select | Update, str]] = {  # type: ignore[type-arg]
    "registration's taken check": (
        select(trackings.c.id).where(trackings.c.account_id.in_([1]), trackings.c.number.in_(["A", "B"])),
        "(account_id=? AND number=?)",
    ),
    "an account's trackings of some numbers": (
        select(trackings).where(trackings.c.account_id == 1, trackings.c.number.in_(["A", "B"])),
        "(account_id=? AND number=?)",
    ),
    "every account's active tracking of a number (relay push)": (
        update(trackings)
        .where(trackings.c.number == "A", trackings.c.carrier == 1, trackings.c.tracking_status == "Tracking")
        .values(next_poll_at=None),
        "ix_trackings_number_carrier (number=? AND carrier=?)",
    ),
    "upstream registrations no tracking needs (relay release)": (
        select(upstream_registrations.c.id).where(
            ~exists().where(LOCAL, trackings.c.tracking_status == "Tracking")
        ),
        "ix_trackings_number_carrier (number=? AND carrier=?)",
    ),
}


@pytest.mark.parametrize("name", list(STATEMENTS))
async def test_lookup_uses_its_index(tmp_path: Path, name: str) -> None:
    path = tmp_path / "plans.db"
    store = Store(f"sqlite:///{path}")
    await store.migrate()
    await store.close()
    statement, expected = STATEMENTS[name]
    sql = str(statement.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))
    with sqlite3.connect(path) as conn:
        plan = "\n".join(row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}"))
    assert expected in plan, plan
    assert "SCAN trackings" not in plan and "SCAN t" not in plan, plan
