"""The database refuses casual edits of the trail: SQLite triggers abort UPDATE and DELETE on
audit events and ticket history, and any move of the chain head but forward (db/guards.py).
PostgreSQL keeps the rule with a role's rights instead (`deskconsole db grant`).

Revision ID: 0016
Revises: 0015
"""
from alembic import op

from deskconsole.db import guards

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The rows written before records were sealed get their seal events at the first open with
    # the desk's key (services/audit_seal.py), after the legacy chain's keyed seal: a migration
    # holds no key, and must not read rows through today's models.
    guards.create(op.get_bind())


def downgrade() -> None:
    guards.drop(op.get_bind())
