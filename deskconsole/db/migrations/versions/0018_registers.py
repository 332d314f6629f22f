"""The desk's other registers (DOMAIN §3): key lending, goods release and the lending counter.
A key cannot be lent twice: a partial unique index allows one open loan per key.

Revision ID: 0018
Revises: 0020
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

import deskconsole.models.base

revision = "0018"
down_revision = "0020"
branch_labels = None
depends_on = None

OUT_WHERE = "returned_at IS NULL AND voided_at IS NULL"
UTC = deskconsole.models.base.UTCDateTime


def _text(length: int):
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def _stamps() -> list:
    return [
        sa.Column("operator_id", sa.Integer(), nullable=False),
        sa.Column("shift_id", sa.Integer(), nullable=True),
        sa.Column("desk_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["operator_id"], ["operator.id"]),
        sa.ForeignKeyConstraint(["shift_id"], ["shift.id"]),
        sa.ForeignKeyConstraint(["desk_id"], ["desk.id"]),
    ]


def _partial(name: str, table: str, columns: list[str], unique: bool = False) -> None:
    op.create_index(name, table, columns, unique=unique,
                    sqlite_where=sa.text(OUT_WHERE), postgresql_where=sa.text(OUT_WHERE))


def upgrade() -> None:
    op.create_table(
        "key_loan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key_code", _text(32), nullable=False),
        sa.Column("unit", _text(64), nullable=False),
        sa.Column("name", _text(64), nullable=False),
        sa.Column("company", _text(64), nullable=False),
        sa.Column("phone", _text(32), nullable=True),
        sa.Column("borrower_kind", _text(16), nullable=False),
        sa.Column("purpose", _text(200), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("lent_at", UTC(), nullable=False),
        sa.Column("due_at", UTC(), nullable=False),
        sa.Column("returned_at", UTC(), nullable=True),
        sa.Column("returned_to", sa.Integer(), nullable=True),
        sa.Column("returned_shift_id", sa.Integer(), nullable=True),
        sa.Column("returned_desk_id", sa.Integer(), nullable=True),
        sa.Column("return_note", _text(200), nullable=True),
        sa.Column("voided_at", UTC(), nullable=True),
        sa.Column("void_reason", _text(200), nullable=True),
        *_stamps(),
        sa.ForeignKeyConstraint(["ticket_id"], ["ticket.id"]),
        sa.ForeignKeyConstraint(["returned_to"], ["operator.id"]),
        sa.ForeignKeyConstraint(["returned_shift_id"], ["shift.id"]),
        sa.ForeignKeyConstraint(["returned_desk_id"], ["desk.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    _partial("ux_key_loan_out", "key_loan", ["key_code"], unique=True)
    _partial("ix_key_loan_out_due", "key_loan", ["due_at"])
    op.create_index("ix_key_loan_lent", "key_loan", ["lent_at", "id"])
    op.create_index("ix_key_loan_returned", "key_loan", ["returned_at"])
    op.create_index("ix_key_loan_unit_lent", "key_loan", ["unit", "lent_at", "id"])
    op.create_index("ix_key_loan_phone_lent", "key_loan", ["phone", "lent_at", "id"])
    op.create_index("ix_key_loan_ticket", "key_loan", ["ticket_id"])
    op.create_index("ix_key_loan_shift", "key_loan", ["shift_id"])
    op.create_index("ix_key_loan_returned_shift", "key_loan", ["returned_shift_id"])

    op.create_table(
        "goods_release",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", _text(24), nullable=True),
        sa.Column("unit", _text(64), nullable=False),
        sa.Column("name", _text(64), nullable=False),
        sa.Column("applicant_kind", _text(16), nullable=False),
        sa.Column("phone", _text(32), nullable=True),
        sa.Column("confirmed_by", _text(64), nullable=False),
        sa.Column("confirmed_how", _text(16), nullable=True),
        sa.Column("confirm_call_id", sa.Integer(), nullable=True),
        sa.Column("items", _text(1000), nullable=False),
        sa.Column("vehicle_plate", _text(16), nullable=False),
        sa.Column("valid_on", sa.Date(), nullable=False),
        sa.Column("issued_at", UTC(), nullable=False),
        sa.Column("expires_at", UTC(), nullable=False),
        sa.Column("checked_at", UTC(), nullable=True),
        sa.Column("check_count", sa.Integer(), nullable=False),
        sa.Column("voided_at", UTC(), nullable=True),
        sa.Column("void_reason", _text(200), nullable=True),
        *_stamps(),
        sa.ForeignKeyConstraint(["confirm_call_id"], ["call.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ux_goods_release_number", "goods_release", ["number"], unique=True)
    op.create_index("ix_goods_release_issued", "goods_release", ["issued_at", "id"])
    op.create_index("ix_goods_release_unit_issued", "goods_release", ["unit", "issued_at", "id"])
    op.create_index("ix_goods_release_phone_issued", "goods_release", ["phone", "issued_at", "id"])
    op.create_index("ix_goods_release_shift", "goods_release", ["shift_id"])

    op.create_table(
        "item_loan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_code", _text(32), nullable=False),
        sa.Column("name", _text(64), nullable=False),
        sa.Column("unit", _text(64), nullable=False),
        sa.Column("phone", _text(32), nullable=True),
        sa.Column("deposit", sa.Numeric(12, 2), nullable=True),
        sa.Column("id_note", _text(100), nullable=False),
        sa.Column("lent_at", UTC(), nullable=False),
        sa.Column("returned_at", UTC(), nullable=True),
        sa.Column("returned_to", sa.Integer(), nullable=True),
        sa.Column("returned_shift_id", sa.Integer(), nullable=True),
        sa.Column("returned_desk_id", sa.Integer(), nullable=True),
        sa.Column("deposit_refunded", sa.Boolean(), nullable=False),
        sa.Column("voided_at", UTC(), nullable=True),
        sa.Column("void_reason", _text(200), nullable=True),
        *_stamps(),
        sa.ForeignKeyConstraint(["returned_to"], ["operator.id"]),
        sa.ForeignKeyConstraint(["returned_shift_id"], ["shift.id"]),
        sa.ForeignKeyConstraint(["returned_desk_id"], ["desk.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    _partial("ix_item_loan_out", "item_loan", ["lent_at"])
    op.create_index("ix_item_loan_lent", "item_loan", ["lent_at", "id"])
    op.create_index("ix_item_loan_returned", "item_loan", ["returned_at"])
    op.create_index("ix_item_loan_unit_lent", "item_loan", ["unit", "lent_at", "id"])
    op.create_index("ix_item_loan_shift", "item_loan", ["shift_id"])
    op.create_index("ix_item_loan_returned_shift", "item_loan", ["returned_shift_id"])


def downgrade() -> None:
    op.drop_table("item_loan")
    op.drop_table("goods_release")
    op.drop_table("key_loan")
