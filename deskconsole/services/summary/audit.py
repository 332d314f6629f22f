"""The audit section of the summary: the signed audit checkpoint taken at the close of the last
shift in the period (services/audit_checkpoints.py), so a printed or e-mailed summary pins the
audit chain as it stood: `audit verify` finds a store that no longer reaches it."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlmodel import Session

from deskconsole.models import Shift
from deskconsole.services.audit_checkpoints import Checkpoint
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


def audit_figures(session: Session, period: Period, *, desk_id: int | None = None,
                  operator_id: int | None = None) -> AuditFigures:
    """The checkpoint of the period's shift (a shift's summary), else of the last-started shift
    closed in the period at the desk / by the operator asked for."""
    q = select(Shift.id, Shift.audit_checkpoint).where(Shift.audit_checkpoint.is_not(None))
    if period.shift_id is not None:
        q = q.where(Shift.id == period.shift_id)
    else:  # by ix_shift_started: shifts that began at most a week before the period
        q = q.where(Shift.started_at >= period.start - SHIFT_SPAN, Shift.started_at < period.end,
                    Shift.ended_at >= period.start, Shift.ended_at < period.end)
    if desk_id is not None:
        q = q.where(Shift.desk_id == desk_id)
    if operator_id is not None:
        q = q.where(Shift.operator_id == operator_id)
    row = session.execute(q.order_by(Shift.started_at.desc(), Shift.id.desc()).limit(1)).first()
    if row is None:
        return AuditFigures()
    try:
        cp = Checkpoint.parse(row.audit_checkpoint)
    except ValueError:  # shown as missing; `audit verify` names the unreadable one
        return AuditFigures(shift_id=row.id)
    return AuditFigures(cp.at, cp.count, cp.last_id, cp.last_hash, cp.mac, cp.key_id, row.id)
