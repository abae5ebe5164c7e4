"""Writes of poll outcomes to the trackings table."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, bindparam, or_, update
from sqlalchemy.ext.asyncio import AsyncConnection

from parceltrace.store.tables import trackings


async def write_outcomes(conn: AsyncConnection, values: list[dict[str, Any]]) -> None:
    """Apply fetch outcomes; each only while the row's lease is the writer's (None: unleased)."""
    owner_matches = or_(
        trackings.c.lease_owner == bindparam("b_owner"),
        and_(trackings.c.lease_owner.is_(None), bindparam("b_owner").is_(None)),
    )
    await conn.execute(
        update(trackings)
        .where(and_(trackings.c.id == bindparam("b_id"), owner_matches))
        .values(
            {
                **{key: bindparam(key) for key in values[0] if not key.startswith("b_")},
                "poll_count": trackings.c.poll_count + 1,
            }
        ),
        values,
    )
