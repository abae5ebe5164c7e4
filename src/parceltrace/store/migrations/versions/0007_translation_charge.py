"""trackings.translation_charged: `lang`'s extra unit is charged at the first translated result

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("trackings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("translation_charged", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("trackings", schema=None) as batch_op:
        batch_op.drop_column("translation_charged")
