"""The database refuses casual edits of the trail: SQLite triggers abort UPDATE and DELETE on
audit events and ticket history, and any move of the chain head but forward (db/guards.py).
PostgreSQL keeps the rule with a role's rights instead (`deskconsole db grant`).

Revision ID: 0016
Revises: 0014
"""
from alembic import op

from deskconsole.db import guards

revision = "0016"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    guards.create(conn)
    seal_existing_rows(conn)


def seal_existing_rows(conn) -> None:
    """Rows written before records were sealed get one `seal` event each, through the same
    audit.record every service appends with, so `audit verify` checks them from now on (what
    they held before the upgrade, no one can say: the trail never recorded it)."""
    from datetime import UTC, datetime

    from sqlmodel import Session

    from deskconsole.services import audit, audit_rows

    now = datetime.now(UTC)
    with Session(bind=conn) as session:
        pending = [(entity, rid) for entity, rid, _ in audit_rows.seals(session)]
        for entity, rid in pending:
            audit.record(session, at=now, action="seal", entity=entity, entity_id=rid)
        session.flush()


def downgrade() -> None:
    guards.drop(op.get_bind())
