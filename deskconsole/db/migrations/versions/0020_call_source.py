"""Where a call's times came from: `source` keys (a key press: a lower bound) or pbx (the
phone system's own times: exact), and the PBX's call id, unique, so a replayed event or a
key pressed for a call the PBX already reported never makes a second row.

Revision ID: 0020
Revises: 0016
"""
import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("call", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source", sa.String(length=8), nullable=False, server_default="keys"))
        batch_op.add_column(sa.Column("pbx_call_id", sa.String(length=64), nullable=True))
        batch_op.create_index("ux_call_pbx_call_id", ["pbx_call_id"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("call", schema=None) as batch_op:
        batch_op.drop_index("ux_call_pbx_call_id")
        batch_op.drop_column("pbx_call_id")
        batch_op.drop_column("source")
