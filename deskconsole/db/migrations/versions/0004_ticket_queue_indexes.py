"""ticket queue indexes: open tickets by due time and by department (partial), all by due
time, customer name

Revision ID: 0004
Revises: 0007 (the head when this was written: a second head would break the
single-head store tests)
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0007"
branch_labels = None
depends_on = None

OPEN_WHERE = "status IN ('new', 'assigned', 'in_progress')"
OPEN_WHERE_SQLITE = "+status IN ('new', 'assigned', 'in_progress')"  # see models/tickets.py


def upgrade() -> None:
    # The F4 queues page open tickets in due order; with this partial index a page reads about
    # one page of index entries however much closed history the table holds.
    for name, cols in (("ix_ticket_open_due", ["due_at"]), ("ix_ticket_open_dept_due", ["department", "due_at"])):
        op.create_index(name, "ticket", cols, unique=False,
                        sqlite_where=sa.text(OPEN_WHERE_SQLITE), postgresql_where=sa.text(OPEN_WHERE))
    op.create_index("ix_ticket_due", "ticket", ["due_at"], unique=False)
    op.create_index("ix_ticket_customer", "ticket", ["customer_name"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_ticket_customer", table_name="ticket")
    op.drop_index("ix_ticket_due", table_name="ticket")
    op.drop_index("ix_ticket_open_dept_due", table_name="ticket")
    op.drop_index("ix_ticket_open_due", table_name="ticket")
