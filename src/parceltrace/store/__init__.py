"""Persistence: SQLAlchemy Core tables, the engine seam, Alembic migrations."""
