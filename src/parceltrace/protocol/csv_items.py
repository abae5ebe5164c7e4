"""Registration items from text: a CSV file with a header (the CLI's `import`, the dashboard's
upload) or a pasted list of numbers (the dashboard). Values are passed on as given; the API's
own validation judges them, so every bad row gets the error code the API would give."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from typing import Any

from parceltrace.protocol.validation import plain_int

CSV_FIELDS = (
    "number",
    "carrier",
    "final_carrier",
    "tag",
    "order_no",
    "order_time",
    "email",
    "lang",
    "param",
    "remark",
)
_NUMERIC = ("carrier", "final_carrier")
_SEPARATORS = re.compile(r"[\s,;]+")


def _typed(item: dict[str, Any]) -> dict[str, Any]:
    for name in _NUMERIC:
        value = plain_int(item[name]) if name in item else None
        if value is not None:
            item[name] = value
    return item


def csv_items(lines: Iterable[str]) -> Iterator[dict[str, Any]]:
    """One item per row with a number; unknown columns and empty cells are left out."""
    for row in csv.DictReader(lines):
        item = {k: v.strip() for k, v in row.items() if k in CSV_FIELDS and v and v.strip()}
        if item.get("number"):
            yield _typed(item)


def pasted_items(text: str) -> list[dict[str, Any]]:
    """One number per line, optionally followed by a carrier code (`RR123456789CN 3011`)."""
    items = []
    for line in text.splitlines():
        parts = [p for p in _SEPARATORS.split(line.strip()) if p]
        if not parts:
            continue
        item: dict[str, Any] = {"number": parts[0]}
        if len(parts) > 1:
            item["carrier"] = parts[1]
        items.append(_typed(item))
    return items
