"""A repair step may be skipped, with a reason (the note): the row says so, so the flow still
reads in order and the skip shows as a skip.

Revision ID: 0014
Revises: 0013
"""
import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("repair_step", schema=None) as batch_op:
        batch_op.add_column(sa.Column("skipped", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("repair_step", schema=None) as batch_op:
        batch_op.drop_column("skipped")
