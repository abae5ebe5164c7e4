"""scheduling, leases, results, sandbox clock

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import parceltrace.store.types

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sandbox_clock",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("offset_us", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sandbox_clock")),
    )
    with op.batch_alter_table("trackings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("next_poll_at", parceltrace.store.types.UtcDateTime(), nullable=True))
        batch_op.add_column(sa.Column("lease_until", parceltrace.store.types.UtcDateTime(), nullable=True))
        batch_op.add_column(sa.Column("lease_owner", sa.String(length=64), nullable=True))
        batch_op.add_column(
            sa.Column("poll_count", sa.Integer(), server_default=sa.text("0"), nullable=False)
        )
        batch_op.add_column(
            sa.Column("awaiting_result", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
        batch_op.add_column(sa.Column("tracking_since", parceltrace.store.types.UtcDateTime(), nullable=True))
        batch_op.add_column(sa.Column("latest_sync_status", sa.String(length=10), nullable=True))
        batch_op.add_column(
            sa.Column("latest_event_time", parceltrace.store.types.UtcDateTime(), nullable=True)
        )
        batch_op.add_column(sa.Column("source_data", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("content_hash", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_trackings_tracking_status_next_poll_at"),
            ["tracking_status", "next_poll_at"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_trackings_tracking_status_stop_track_time"),
            ["tracking_status", "stop_track_time"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("trackings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trackings_tracking_status_stop_track_time"))
        batch_op.drop_index(batch_op.f("ix_trackings_tracking_status_next_poll_at"))
        batch_op.drop_column("content_hash")
        batch_op.drop_column("source_data")
        batch_op.drop_column("latest_event_time")
        batch_op.drop_column("latest_sync_status")
        batch_op.drop_column("tracking_since")
        batch_op.drop_column("awaiting_result")
        batch_op.drop_column("poll_count")
        batch_op.drop_column("lease_owner")
        batch_op.drop_column("lease_until")
        batch_op.drop_column("next_poll_at")

    op.drop_table("sandbox_clock")
