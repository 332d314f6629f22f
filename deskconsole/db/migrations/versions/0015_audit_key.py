"""The audit chain is keyed: the chain head records the key's id (a fingerprint), and a
closed shift keeps the signed audit checkpoint taken as it closed.

The legacy (plain SHA-256) chain of an older store is sealed by a keyed event at the first
open with the desk's key (services/audit_seal.py), not here: a migration does not hold keys.
It marks the head "legacy" so that the seal is made for this upgrade only (a chain recomputed
without the key later, its key id cleared, is reported by `audit verify`, not sealed).

Revision ID: 0015
Revises: 0019
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0015"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_head", schema=None) as batch_op:
        batch_op.add_column(sa.Column("key_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False, server_default=""))
    with op.batch_alter_table("shift", schema=None) as batch_op:
        batch_op.add_column(sa.Column("audit_checkpoint", sqlmodel.sql.sqltypes.AutoString(length=400), nullable=True))
    op.execute("UPDATE audit_head SET key_id = 'legacy'")


def downgrade() -> None:
    with op.batch_alter_table("shift", schema=None) as batch_op:
        batch_op.drop_column("audit_checkpoint")
    with op.batch_alter_table("audit_head", schema=None) as batch_op:
        batch_op.drop_column("key_id")
