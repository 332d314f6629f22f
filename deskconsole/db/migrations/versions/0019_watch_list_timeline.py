"""The watch list and its hits; every phone of a directory entry; the timeline's indexes.

- watch_entry: people a supervisor asks the desk to look out for (name and/or phone, reason,
  action, valid until); watch_hit: each time the desk met one (check-in, expected, call).
- directory_phone: a resident list may give several numbers for one entry; each is a row,
  so caller ID and the timeline find the entry by any of them.
- visit (phone, arrived_at, id) replaces visit (phone): the timeline of a number reads its
  visits newest first from the index and stops after a page (as call and ticket already do).

Revision ID: 0019
Revises: 0017
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

import deskconsole.models.base

revision = "0019"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "watch_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("phone", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("valid_until", deskconsole.models.base.UTCDateTime(), nullable=False),
        sa.Column("created_at", deskconsole.models.base.UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("changed_at", deskconsole.models.base.UTCDateTime(), nullable=True),
        sa.Column("removed_at", deskconsole.models.base.UTCDateTime(), nullable=True),
        sa.Column("removed_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["created_by"], ["operator.id"]),
        sa.ForeignKeyConstraint(["removed_by"], ["operator.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_watch_entry_phone", "watch_entry", ["phone"], unique=False)
    op.create_index("ix_watch_entry_until", "watch_entry", ["removed_at", "valid_until"], unique=False)
    op.create_table(
        "watch_hit",
        sa.Column("operator_id", sa.Integer(), nullable=False),
        sa.Column("shift_id", sa.Integer(), nullable=False),
        sa.Column("desk_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("at", deskconsole.models.base.UTCDateTime(), nullable=False),
        sa.Column("place", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("matched", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("phone", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("unit", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.ForeignKeyConstraint(["desk_id"], ["desk.id"]),
        sa.ForeignKeyConstraint(["entry_id"], ["watch_entry.id"]),
        sa.ForeignKeyConstraint(["operator_id"], ["operator.id"]),
        sa.ForeignKeyConstraint(["shift_id"], ["shift.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_watch_hit_phone_at", "watch_hit", ["phone", "at", "id"], unique=False)
    op.create_index("ix_watch_hit_unit_at", "watch_hit", ["unit", "at", "id"], unique=False)
    op.create_index("ix_watch_hit_entry", "watch_hit", ["entry_id"], unique=False)
    op.create_table(
        "directory_phone",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("phone", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.ForeignKeyConstraint(["entry_id"], ["directory_entry.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_directory_phone_phone", "directory_phone", ["phone"], unique=False)
    op.create_index("ix_directory_phone_entry", "directory_phone", ["entry_id"], unique=False)
    # Entries imported before keep their one number.
    op.execute("INSERT INTO directory_phone (entry_id, phone) "
               "SELECT id, phone FROM directory_entry WHERE phone IS NOT NULL AND phone <> ''")
    op.create_index("ix_visit_phone_arrived", "visit", ["phone", "arrived_at", "id"], unique=False)
    op.drop_index("ix_visit_phone", table_name="visit")


def downgrade() -> None:
    op.create_index("ix_visit_phone", "visit", ["phone"], unique=False)
    op.drop_index("ix_visit_phone_arrived", table_name="visit")
    op.drop_index("ix_directory_phone_entry", table_name="directory_phone")
    op.drop_index("ix_directory_phone_phone", table_name="directory_phone")
    op.drop_table("directory_phone")
    op.drop_index("ix_watch_hit_entry", table_name="watch_hit")
    op.drop_index("ix_watch_hit_unit_at", table_name="watch_hit")
    op.drop_index("ix_watch_hit_phone_at", table_name="watch_hit")
    op.drop_table("watch_hit")
    op.drop_index("ix_watch_entry_until", table_name="watch_entry")
    op.drop_index("ix_watch_entry_phone", table_name="watch_entry")
    op.drop_table("watch_entry")
