"""a sandbox clock per account (the shared one's offset becomes every account's)

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

HORIZON_US = 3653 * 86_400 * 1_000_000


def upgrade() -> None:
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("sandbox_offset_us", sa.BigInteger(), server_default=sa.text("0"), nullable=False)
        )
        batch_op.add_column(
            sa.Column("sandbox_generation", sa.Integer(), server_default=sa.text("0"), nullable=False)
        )
    shared = op.get_bind().execute(sa.text("SELECT offset_us FROM sandbox_clock WHERE id = 1")).scalar()
    if shared:
        offset = max(0, min(int(shared), HORIZON_US))
        op.execute(sa.text(f"UPDATE accounts SET sandbox_offset_us = {offset}"))
    op.drop_table("sandbox_clock")


def downgrade() -> None:
    op.create_table(
        "sandbox_clock",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("offset_us", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sandbox_clock")),
    )
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.drop_column("sandbox_generation")
        batch_op.drop_column("sandbox_offset_us")
