"""Progress calls (DOMAIN §3: keep the complainant informed until it is solved): the task a
ticket still open gets every few business hours, and the outgoing call that did it.
Tickets opened before this get their first task at their next progress call.

Revision ID: 0017
Revises: 0014
"""
import sqlalchemy as sa
from alembic import op

import deskconsole.models.base

revision = "0017"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "progress_call",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("created_at", deskconsole.models.base.UTCDateTime(), nullable=False),
        sa.Column("due_at", deskconsole.models.base.UTCDateTime(), nullable=True),
        sa.Column("done_at", deskconsole.models.base.UTCDateTime(), nullable=True),
        sa.Column("stopped_at", deskconsole.models.base.UTCDateTime(), nullable=True),
        sa.Column("call_id", sa.Integer(), nullable=True),
        sa.Column("operator_id", sa.Integer(), nullable=True),
        sa.Column("shift_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["call_id"], ["call.id"]),
        sa.ForeignKeyConstraint(["operator_id"], ["operator.id"]),
        sa.ForeignKeyConstraint(["shift_id"], ["shift.id"]),
        sa.ForeignKeyConstraint(["ticket_id"], ["ticket.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("progress_call", schema=None) as batch_op:
        batch_op.create_index("ix_progress_call_pending", ["done_at", "stopped_at", "due_at"], unique=False)
        batch_op.create_index("ix_progress_call_ticket", ["ticket_id"], unique=False)
        batch_op.create_index("ix_progress_call_done", ["done_at"], unique=False)
        batch_op.create_index("ix_progress_call_due", ["due_at"], unique=False)
        batch_op.create_index("ix_progress_call_shift", ["shift_id"], unique=False)


def downgrade() -> None:
    op.drop_table("progress_call")
