"""initial schema: accounts and trackings

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import parceltrace.store.types

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("key_prefix", sa.String(length=12), nullable=False),
        sa.Column("old_key_hash", sa.String(length=64), nullable=True),
        sa.Column("old_key_expires_at", parceltrace.store.types.UtcDateTime(), nullable=True),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("quota_total", sa.BigInteger(), nullable=False),
        sa.Column("quota_used", sa.BigInteger(), nullable=False),
        sa.Column("max_track_daily", sa.BigInteger(), nullable=False),
        sa.Column("today_used", sa.BigInteger(), nullable=False),
        sa.Column("today_date", sa.String(length=10), nullable=False),
        sa.Column("rate_limit", sa.Integer(), nullable=False),
        sa.Column("webhook_url", sa.String(length=2048), nullable=True),
        sa.Column("ip_whitelist", sa.Text(), nullable=True),
        sa.Column("realtime_enabled", sa.Boolean(), nullable=False),
        sa.Column("free_email_quota", sa.BigInteger(), nullable=False),
        sa.Column("free_email_quotaused", sa.BigInteger(), nullable=False),
        sa.Column("created_at", parceltrace.store.types.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accounts")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_accounts_key_hash")),
        sa.UniqueConstraint("name", name=op.f("uq_accounts_name")),
    )
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_accounts_old_key_hash"), ["old_key_hash"], unique=False)

    op.create_table(
        "trackings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=50), nullable=False),
        sa.Column("carrier", sa.Integer(), nullable=False),
        sa.Column("final_carrier", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("origin", sa.Integer(), nullable=False),
        sa.Column("param", sa.String(length=12), nullable=True),
        sa.Column("tag", sa.String(length=100), nullable=True),
        sa.Column("remark", sa.String(length=1000), nullable=True),
        sa.Column("email", sa.String(length=250), nullable=True),
        sa.Column("lang", sa.String(length=10), nullable=True),
        sa.Column("order_no", sa.String(length=50), nullable=True),
        sa.Column("order_time", sa.String(length=40), nullable=True),
        sa.Column("data_origin", sa.String(length=10), server_default=sa.text("'Api'"), nullable=False),
        sa.Column("register_time", parceltrace.store.types.UtcDateTime(), nullable=False),
        sa.Column(
            "tracking_status", sa.String(length=10), server_default=sa.text("'Tracking'"), nullable=False
        ),
        sa.Column("stop_track_time", parceltrace.store.types.UtcDateTime(), nullable=True),
        sa.Column("stop_track_reason", sa.String(length=20), nullable=True),
        sa.Column("is_retracked", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("carrier_change_count", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column(
            "package_status", sa.String(length=20), server_default=sa.text("'NotFound'"), nullable=False
        ),
        sa.Column("track_time", parceltrace.store.types.UtcDateTime(), nullable=True),
        sa.Column("push_time", parceltrace.store.types.UtcDateTime(), nullable=True),
        sa.Column("push_status", sa.String(length=10), server_default=sa.text("'NotPushed'"), nullable=False),
        sa.Column("push_status_code", sa.Integer(), nullable=True),
        sa.Column("shipping_country", sa.String(length=2), nullable=True),
        sa.Column("recipient_country", sa.String(length=2), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_trackings_account_id_accounts"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trackings")),
        sa.UniqueConstraint(
            "account_id", "number", "carrier", name=op.f("uq_trackings_account_id_number_carrier")
        ),
    )
    with op.batch_alter_table("trackings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_trackings_account_id_register_time"), ["account_id", "register_time"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("trackings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trackings_account_id_register_time"))

    op.drop_table("trackings")
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_accounts_old_key_hash"))

    op.drop_table("accounts")
