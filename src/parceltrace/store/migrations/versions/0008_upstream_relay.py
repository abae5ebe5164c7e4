"""upstream relay: its registrations, and trackings findable by (number, carrier) across accounts

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import parceltrace.store.types

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("trackings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_trackings_number_carrier"), ["number", "carrier"], unique=False)
    op.create_table(
        "upstream_registrations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("number", sa.String(length=50), nullable=False),
        sa.Column("carrier", sa.Integer(), nullable=False),
        sa.Column("upstream_carrier", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("registered_at", parceltrace.store.types.UtcDateTime(), nullable=False),
        sa.Column("result", sa.Text(), nullable=True),
        sa.Column("result_at", parceltrace.store.types.UtcDateTime(), nullable=True),
        sa.Column("released_at", parceltrace.store.types.UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_upstream_registrations")),
        sa.UniqueConstraint("number", "carrier", name=op.f("uq_upstream_registrations_number_carrier")),
    )
    with op.batch_alter_table("upstream_registrations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_upstream_registrations_state"), ["state"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("upstream_registrations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_upstream_registrations_state"))
    op.drop_table("upstream_registrations")
    with op.batch_alter_table("trackings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trackings_number_carrier"))
