"""gettracklist indexes: tracking/stopped filter and the track-time orders

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("trackings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_trackings_account_id_tracking_status_register_time"),
            ["account_id", "tracking_status", "register_time"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_trackings_account_id_track_time"), ["account_id", "track_time"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("trackings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trackings_account_id_track_time"))
        batch_op.drop_index(batch_op.f("ix_trackings_account_id_tracking_status_register_time"))
