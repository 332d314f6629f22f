"""Follow-ups by due time alone: an inspection's evidence (services/evidence.py) counts the
follow-ups due in its window that were late, done or not; (done_at, due_at) serves only those
not done, so it read every follow-up of the operator's tickets, ever.

Revision ID: 0021
Revises: 0018
"""
from alembic import op

revision = "0021"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_follow_up_due_at", "follow_up", ["due_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_follow_up_due_at", table_name="follow_up")
