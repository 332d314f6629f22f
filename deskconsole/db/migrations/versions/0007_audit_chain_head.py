"""audit chain head: detect deletion of the newest audit events

Revision ID: 0007
Revises: 0001
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0007"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("last_id", sa.Integer(), nullable=False),
        sa.Column("last_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    # A store made before this revision: the head starts at the chain as it stands (an empty
    # store gets its head with the first event, so a new store has no rows to copy over).
    op.execute(
        "INSERT INTO audit_head (id, last_id, last_hash, count) "
        "SELECT 1, coalesce(max(id), 0), "
        "coalesce((SELECT hash FROM audit_event ORDER BY id DESC LIMIT 1), ''), count(*) "
        "FROM audit_event HAVING count(*) > 0"
    )


def downgrade() -> None:
    op.drop_table("audit_head")
