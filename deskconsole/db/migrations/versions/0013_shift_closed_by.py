"""Who closed a shift: its operator's or a supervisor's staff number, or "system" when a shift
left open was closed at sign-on (handed over to the next operator at that desk, or open past
the limit). A shift closed before this has NULL: it was closed by its operator.

Revision ID: 0013
Revises: 0012
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("shift", schema=None) as batch_op:
        batch_op.add_column(sa.Column("closed_by", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("shift", schema=None) as batch_op:
        batch_op.drop_column("closed_by")
