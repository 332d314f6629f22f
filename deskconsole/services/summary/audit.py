"""The audit section of the summary: the signed audit checkpoint taken at the close of the last
shift in the period (services/audit_checkpoints.py), so a printed or e-mailed summary pins the
audit chain as it stood: `audit verify` finds a store that no longer reaches it."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import timedelta

from sqlalchemy import bindparam, select
from sqlmodel import Session

from deskconsole.models import Shift
from deskconsole.services.audit_checkpoints import Checkpoint
from deskconsole.services.summary import sql
from deskconsole.services.summary.period import Period

SHIFT_SPAN = timedelta(days=7)  # longer than any shift (a stale one is closed within 72 h)


@dataclass(frozen=True)
class AuditFigures:
    checkpoint_at: str | None = None  # ISO UTC, as signed
    events: int | None = None
    last_id: int | None = None
    last_hash: str | None = None
    signature: str | None = None
    key_id: str | None = None
    shift_id: int | None = None  # the closed shift that holds it

    def to_dict(self) -> dict:
        return asdict(self)


def _statement(shift: bool, desk: bool, operator: bool):
    """Built once per filter shape (bound parameters), so its compiled SQL is reused."""
    c = Shift.__table__.c
    q = select(c.id, c.audit_checkpoint).where(c.audit_checkpoint.is_not(None))
    if shift:
        q = q.where(c.id == bindparam("shift_id"))
    else:  # by ix_shift_started: shifts that began at most a week before the period
        q = q.where(c.started_at >= bindparam("since"), c.started_at < bindparam("end"),
                    c.ended_at >= bindparam("start"), c.ended_at < bindparam("end"))
    if desk:
        q = q.where(c.desk_id == bindparam("desk_id"))
    if operator:
        q = q.where(c.operator_id == bindparam("operator_id"))
    return q.order_by(c.started_at.desc(), c.id.desc()).limit(1)


def audit_figures(session: Session, period: Period, *, desk_id: int | None = None,
                  operator_id: int | None = None) -> AuditFigures:
    """The checkpoint of the period's shift (a shift's summary), else of the last-started shift
    closed in the period at the desk / by the operator asked for."""
    flags = (period.shift_id is not None, desk_id is not None, operator_id is not None)
    row = session.connection().execute(sql.statements(("audit", *flags), lambda: _statement(*flags)), {
        "shift_id": period.shift_id, "start": period.start, "end": period.end, "since": period.start - SHIFT_SPAN,
        "desk_id": desk_id, "operator_id": operator_id}).first()
    if row is None:
        return AuditFigures()
    try:
        cp = Checkpoint.parse(row.audit_checkpoint)
    except ValueError:  # shown as missing; `audit verify` names the unreadable one
        return AuditFigures(shift_id=row.id)
    return AuditFigures(cp.at, cp.count, cp.last_id, cp.last_hash, cp.mac, cp.key_id, row.id)
