"""dashboard sessions, share links, list index

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import parceltrace.store.types

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "web_sessions",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", parceltrace.store.types.UtcDateTime(), nullable=False),
        sa.Column("expires_at", parceltrace.store.types.UtcDateTime(), nullable=False),
        sa.Column("flash", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_web_sessions_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_web_sessions")),
    )
    with op.batch_alter_table("web_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_web_sessions_expires_at"), ["expires_at"], unique=False)
    with op.batch_alter_table("trackings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("share_token", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_trackings_share_token"), ["share_token"])
        batch_op.create_index(
            batch_op.f("ix_trackings_account_id_package_status_register_time"),
            ["account_id", "package_status", "register_time"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("trackings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trackings_account_id_package_status_register_time"))
        batch_op.drop_constraint(batch_op.f("uq_trackings_share_token"), type_="unique")
        batch_op.drop_column("share_token")
    with op.batch_alter_table("web_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_web_sessions_expires_at"))
    op.drop_table("web_sessions")
