"""Many rows of the same columns into one table, the way the hot path needs it.

`conn.execute(table.insert(), dicts)` runs every value of every row through SQLAlchemy's
per-parameter processing; for a registration group (hundreds of rows whose time columns hold
the same instant) that costs more than the database's own work. Here the statement is compiled
by SQLAlchemy once per dialect, each column's bind processor is looked up once, and the rows go
to the driver as positional tuples.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection

Processor = Callable[[Any], Any] | None


class BulkInsert:
    """`columns` in the table's order (checked when first compiled)."""

    def __init__(self, table: Table, columns: Sequence[str]) -> None:
        self.table = table
        self.columns = tuple(columns)
        self._compiled: dict[str, tuple[str, tuple[Processor, ...]]] = {}

    def _for(self, dialect: Dialect) -> tuple[str, tuple[Processor, ...]]:
        found = self._compiled.get(dialect.name)
        if found is None:
            compiled = self.table.insert().compile(dialect=dialect, column_keys=list(self.columns))
            if tuple(compiled.positiontup or ()) != self.columns:
                raise ValueError(f"{self.table.name}: compiled column order differs from {self.columns}")
            processors = tuple(self.table.c[name].type.bind_processor(dialect) for name in self.columns)
            found = self._compiled[dialect.name] = (compiled.string, processors)
        return found

    async def execute(self, conn: AsyncConnection, rows: Sequence[tuple[Any, ...]]) -> None:
        """Insert `rows` (values in `columns` order, hashable). Each distinct value of a column
        with a bind processor is processed once per call: a group's rows share their instants."""
        if not rows:
            return
        sql, processors = self._for(conn.dialect)
        active = [(index, process) for index, process in enumerate(processors) if process is not None]
        if active:
            done: dict[tuple[int, Any], Any] = {}
            processed = []
            for row in rows:
                values = list(row)
                for index, process in active:
                    key = (index, values[index])
                    if key not in done:
                        done[key] = process(values[index])
                    values[index] = done[key]
                processed.append(tuple(values))
            rows = processed
        await conn.exec_driver_sql(sql, list(rows))
