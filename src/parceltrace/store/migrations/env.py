"""Alembic environment: always runs on a connection handed in by Store.migrate()."""

from __future__ import annotations

from alembic import context

from parceltrace.store.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations with `parceltrace migrate` (Store.migrate), not bare alembic")

context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
