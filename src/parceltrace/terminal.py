"""Data on a terminal as it was written: Rich reads `[...]` as markup (an account named
`x[/y]` made `account create` crash after creating it) and a carrier's text may hold escape
sequences. Messages keep their markup; the data inside them goes through these."""

from __future__ import annotations

import re
from typing import Any

from rich.console import RenderableType
from rich.markup import escape
from rich.table import Table
from rich.text import Text

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Control characters (ESC above all) that data must not send to the terminal."""


def plain(value: object) -> str:
    """Data as text a terminal shows as it is: control characters written as \\xNN."""
    return CONTROL.sub(lambda found: f"\\x{ord(found.group()):02x}", str(value))


def counted(count: int, noun: str) -> str:
    """`1 row`, `2 rows` (nouns that take an s)."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def shown(value: object) -> str:
    """Data inside a message that has Rich markup: `[/x]` in an account name, a CSV cell or a
    carrier's event text is shown as written, never read as markup (or a markup error)."""
    return escape(plain(value))


class DataTable(Table):
    """A table whose cells are data: text cells are shown as written (no markup, no control
    characters)."""

    def add_row(self, *renderables: RenderableType | None, **options: Any) -> None:
        super().add_row(
            *(Text(plain(cell)) if isinstance(cell, str) else cell for cell in renderables), **options
        )
