"""Resolving request items to stored trackings: a number without carrier means all its carriers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from parceltrace.protocol import validation
from parceltrace.protocol.errors import ApiError, ErrorCode
from parceltrace.protocol.parsing import rejection
from parceltrace.protocol.structs import Rejected
from parceltrace.store.records import Tracking


def valid_numbers(items: Sequence[Any]) -> set[str]:
    found = set()
    for item in items:
        if not isinstance(item, Rejected) and validation.NUMBER.fullmatch(item.number):
            found.add(item.number.upper())
    return found


def matching(item: Any, grouped: dict[str, list[Tracking]], carrier: int | None) -> list[Tracking] | Rejected:
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
