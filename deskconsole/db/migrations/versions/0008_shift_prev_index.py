"""Index shift.prev_shift_id: the handover history and the summary ask 'which shift took
over from this one' (prev_shift_id = ? / IN (...)); without it every shift is scanned.

Revision ID: 0008
Revises: 0004
"""
from alembic import op

revision = "0008"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("shift", schema=None) as batch_op:
        batch_op.create_index("ix_shift_prev", ["prev_shift_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("shift", schema=None) as batch_op:
        batch_op.drop_index("ix_shift_prev")
