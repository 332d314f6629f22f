"""A shift's figures are the records stamped with it: follow-up calls carry the shift they
were made in, and tickets are found by their shift through an index (visits, calls and
checks had one already). Follow-ups done before this have no shift: they still count in
days and ranges, by when they were done.

Revision ID: 0012
Revises: 0011
"""
import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.add_column(sa.Column("shift_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_follow_up_shift", "shift", ["shift_id"], ["id"])
        batch_op.create_index("ix_follow_up_shift", ["shift_id"], unique=False)
    op.create_index("ix_ticket_shift", "ticket", ["shift_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_ticket_shift", table_name="ticket")
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.drop_index("ix_follow_up_shift")
        batch_op.drop_constraint("fk_follow_up_shift", type_="foreignkey")
        batch_op.drop_column("shift_id")
