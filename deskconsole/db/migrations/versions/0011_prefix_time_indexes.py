"""Prefix searches newest first: (column, time, id) indexes instead of (column) alone, and
unseen inspections (partial).

A search by a name, unit or phone prefix lists matches newest first. With an index on the
column alone, a common prefix (a surname: a tenth of all visits) read every match of all
history and sorted it. With the time after the column, the search can count the matches
beyond its cursor reading the index alone and stop early, and an exact value (recall by
name, a phone) is read newest first straight from the index (services/newest_first.py).
The composite index serves every query the single-column one did, so that one is dropped.

ix_check_unseen holds only the inspections an operator has not seen yet (self-checks are
seen when made): F5 walked all of an operator's checks to find none.

Revision ID: 0011
Revises: 0010
"""
import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# (table, old single-column index, new index, columns)
REPLACED = [
    ("visit", "ix_visit_name", "ix_visit_name_arrived", ["name", "arrived_at", "id"]),
    ("visit", "ix_visit_unit", "ix_visit_unit_arrived", ["unit", "arrived_at", "id"]),
    ("call", "ix_call_phone", "ix_call_phone_started", ["phone", "started_at", "id"]),
    ("call", "ix_call_unit", "ix_call_unit_started", ["unit", "started_at", "id"]),
    ("ticket", "ix_ticket_phone", "ix_ticket_phone_created", ["phone", "created_at", "id"]),
    ("ticket", "ix_ticket_unit", "ix_ticket_unit_created", ["unit", "created_at", "id"]),
    ("ticket", "ix_ticket_customer", "ix_ticket_customer_created", ["customer_name", "created_at", "id"]),
]


def upgrade() -> None:
    for table, old, new, cols in REPLACED:
        op.create_index(new, table, cols, unique=False)
        op.drop_index(old, table_name=table)
    op.create_index("ix_check_unseen", "etiquette_check", ["operator_id", "at"], unique=False,
                    sqlite_where=sa.text("seen_at IS NULL"), postgresql_where=sa.text("seen_at IS NULL"))


def downgrade() -> None:
    op.drop_index("ix_check_unseen", table_name="etiquette_check")
    for table, old, new, cols in reversed(REPLACED):
        op.create_index(old, table, cols[:1], unique=False)
        op.drop_index(new, table_name=table)
