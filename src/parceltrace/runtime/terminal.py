"""Data on a terminal as it was written: Rich reads `[...]` as markup (an account named
`x[/y]` made `account create` crash after creating it) and a carrier's text may hold escape
sequences. Messages keep their markup; the data inside them goes through these."""

from __future__ import annotations

import os
import re
import sys
from typing import Any

from rich.console import Console, RenderableType
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


PIPED_WIDTH = 1_000
"""Columns a table may take when the output is not a terminal: a file or a pipe gets every
value whole on one line, never one cut to fit 80 columns."""


def output_console(stderr: bool = False) -> Console:
    """A console for the CLI: as wide as the terminal, or PIPED_WIDTH when piped."""
    stream = sys.stderr if stderr else sys.stdout
    piped = not (hasattr(stream, "isatty") and stream.isatty())
    return Console(stderr=stderr, width=PIPED_WIDTH if piped and "COLUMNS" not in os.environ else None)


class DataTable(Table):
    """A table whose cells are data: text cells are shown as written (no markup, no control
    characters), and never cut: a value too wide for its column wraps onto more lines (a "…" in
    place of "Delivered" or a date is no answer)."""

    def __init__(self, *headers: str, **options: Any) -> None:
        super().__init__(*headers, **options)
        for column in self.columns:
            column.overflow = "fold"

    def add_column(self, *args: Any, **options: Any) -> None:
        options.setdefault("overflow", "fold")
        super().add_column(*args, **options)

    def add_row(self, *renderables: RenderableType | None, **options: Any) -> None:
        super().add_row(
            *(Text(plain(cell)) if isinstance(cell, str) else cell for cell in renderables), **options
        )
