"""The schema Alembic builds must be exactly the declared one, and migrating must be repeatable."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, inspect

from parceltrace.store.engine import Store
from parceltrace.store.tables import metadata


def _diff(connection: Connection) -> list[Any]:
    return list(compare_metadata(MigrationContext.configure(connection), metadata))


async def test_migrated_schema_equals_declared_schema(db_url: str) -> None:
    store = Store(db_url)
    await store.migrate()
    async with store.read() as conn:
        assert await conn.run_sync(_diff) == []
    await store.close()


async def test_migrate_is_idempotent_and_keeps_data(db_url: str) -> None:
    store = Store(db_url)
    await store.migrate()
    await store.migrate()
    async with store.read() as conn:
        tables = await conn.run_sync(lambda c: inspect(c).get_table_names())
    assert {"accounts", "trackings", "alembic_version"} <= set(tables)
    await store.close()


async def test_sqlite_runs_in_wal_mode(db_url: str) -> None:
    store = Store(db_url)
    await store.migrate()
    async with store.read() as conn:
        mode = (await conn.exec_driver_sql("PRAGMA journal_mode")).scalar_one()
    assert mode == "wal"
    await store.close()
