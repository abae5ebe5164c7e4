"""Resolving request items to stored trackings: a number without carrier means all its carriers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncConnection

from parceltrace.protocol import validation
from parceltrace.protocol.errors import ApiError, ErrorCode
from parceltrace.protocol.parsing import rejection
from parceltrace.protocol.structs import Rejected
from parceltrace.store.tables import trackings


def valid_numbers(items: Sequence[Any]) -> set[str]:
    found = set()
    for item in items:
        if not isinstance(item, Rejected) and validation.NUMBER.fullmatch(item.number):
            found.add(item.number.upper())
    return found


async def rows_by_number(
    conn: AsyncConnection, account_id: int, numbers: set[str], *, lock: bool = False
) -> dict[str, list[Row[Any]]]:
    grouped: dict[str, list[Row[Any]]] = {}
    if not numbers:
        return grouped
    query = (
        select(trackings)
        .where(trackings.c.account_id == account_id, trackings.c.number.in_(numbers))
        .order_by(trackings.c.id)
    )
    if lock:
        query = query.with_for_update()
    for row in await conn.execute(query):
        grouped.setdefault(row.number, []).append(row)
    return grouped


def matching(item: Any, grouped: dict[str, list[Row[Any]]], carrier: int | None) -> list[Row[Any]] | Rejected:
    """The rows an item names, or the rejection that says why there are none."""
    if isinstance(item, Rejected):
        return item
    try:
        number = validation.number(item.number)
    except ApiError as exc:
        return rejection(item.number, exc.code, *exc.args_)
    rows = [r for r in grouped.get(number, []) if not carrier or r.carrier == carrier]
    if not rows:
        return rejection(number, ErrorCode.NOT_REGISTERED, number)
    return rows
