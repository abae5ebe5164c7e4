"""carrier event codes no status table knows, counted per connector

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import parceltrace.store.types

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "connector_unmapped",
        sa.Column("connector", sa.String(length=40), nullable=False),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("description", sa.String(length=300), nullable=False),
        sa.Column("seen", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("first_seen_at", parceltrace.store.types.UtcDateTime(), nullable=False),
        sa.Column("last_seen_at", parceltrace.store.types.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("connector", "code", "description", name=op.f("pk_connector_unmapped")),
    )


def downgrade() -> None:
    op.drop_table("connector_unmapped")
