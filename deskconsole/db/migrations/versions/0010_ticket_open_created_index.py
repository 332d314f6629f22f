"""Open tickets by creation time (partial index): the escalated queue lists open escalated
tickets newest first, and without it walked every ticket ever created.

Revision ID: 0010
Revises: 0009
"""
import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

OPEN_WHERE = "status IN ('new', 'assigned', 'in_progress')"
OPEN_WHERE_SQLITE = "+status IN ('new', 'assigned', 'in_progress')"  # see models/tickets.py


def upgrade() -> None:
    op.create_index("ix_ticket_open_created", "ticket", ["created_at"], unique=False,
                    sqlite_where=sa.text(OPEN_WHERE_SQLITE), postgresql_where=sa.text(OPEN_WHERE))


def downgrade() -> None:
    op.drop_index("ix_ticket_open_created", table_name="ticket")
