"""carrier connectors, and why a tracking's last fetch failed

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import parceltrace.store.types

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("trackings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sync_error", sa.String(length=300), nullable=True))
    op.create_table(
        "connectors",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("credentials_sealed", sa.Text(), nullable=False),
        sa.Column("base_url", sa.String(length=2048), nullable=True),
        sa.Column("test_mode", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("pace_calls", sa.Integer(), nullable=True),
        sa.Column("pace_seconds", sa.Integer(), nullable=True),
        sa.Column("threads", sa.Integer(), nullable=True),
        sa.Column("created_at", parceltrace.store.types.UtcDateTime(), nullable=False),
        sa.Column("updated_at", parceltrace.store.types.UtcDateTime(), nullable=False),
        sa.Column("last_success_at", parceltrace.store.types.UtcDateTime(), nullable=True),
        sa.Column("last_error_at", parceltrace.store.types.UtcDateTime(), nullable=True),
        sa.Column("last_error", sa.String(length=300), nullable=True),
        sa.Column("calls", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("failures", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_connectors")),
    )


def downgrade() -> None:
    op.drop_table("connectors")
    with op.batch_alter_table("trackings", schema=None) as batch_op:
        batch_op.drop_column("sync_error")
