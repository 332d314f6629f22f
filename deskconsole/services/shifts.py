"""Shifts: signing on opens one (or resumes this operator's open shift at this desk);
every record made later is stamped with it. Handover (DOMAIN §6, 003 §4.2.4)
is built on these rows (services/handover.py).

A desk has one open receptionist's shift. A shift left open - its operator forgot to sign off -
is closed by the system at the next sign-on at that desk, at its last activity (its last audited
action), and handed over like any other: by another receptionist signing on there (a supervisor
stepping in to inspect or approve neither takes over nor is taken over), or by its own operator
once it has been open longer than the limit (`stale_shift_hours`, 14 h by default: longer
than any shift, shorter than a night and a day), so yesterday's shift is never resumed as if
it were today's. A supervisor may close one by hand (F6, `deskconsole shift close`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlmodel import Session

from deskconsole.clock import Clock
from deskconsole.models import AuditEvent, Desk, Operator, Shift
from deskconsole.services import audit, audit_checkpoints
from deskconsole.services.context import Actor
from deskconsole.services.errors import DeskError
from deskconsole.services.operators import OperatorInfo
from deskconsole.services.summary.period import parse_date

STALE_AFTER = timedelta(hours=14)
SYSTEM = "system"  # Shift.closed_by of a shift closed at a later sign-on
LIST_LIMIT = 500


def desk_for(session: Session, name: str, now: datetime) -> Desk:
    desk = session.execute(select(Desk).where(Desk.name == name)).scalar_one_or_none()
    if desk is None:
        desk = Desk(name=name, created_at=now)
        session.add(desk)
        session.flush()
    return desk


def sign_on(session: Session, op: OperatorInfo, *, desk_name: str, clock: Clock,
            stale_after: timedelta = STALE_AFTER) -> Actor:
    now = clock.now()
    desk = desk_for(session, desk_name, now)
    shift = None
    left_open = session.execute(
        select(Shift).where(Shift.desk_id == desk.id, Shift.ended_at.is_(None)).order_by(Shift.started_at.desc())
    ).scalars().all()
    supervisors = _supervisor_ids(session, {o.operator_id for o in left_open})
    for other in left_open:
        own = other.operator_id == op.id
        if shift is None and own and now - other.started_at < stale_after:
            shift = other  # this operator's own shift, still today's: resumed
        elif not own and (op.role == "supervisor" or other.operator_id in supervisors):
            continue  # a supervisor stepping in at a desk neither takes over nor is taken over
        else:
            close_left_open(session, other, closed_by=SYSTEM, operator_id=op.id, now=now,
                            reason="stale" if now - other.started_at >= stale_after else "taken_over")
    resumed = shift is not None
    if shift is None:
        prev = session.execute(
            select(Shift).where(Shift.desk_id == desk.id, Shift.ended_at.is_not(None))
            .order_by(Shift.ended_at.desc()).limit(1)
        ).scalar_one_or_none()
        if prev is not None and session.execute(
            select(Shift.id).where(Shift.prev_shift_id == prev.id).limit(1)
        ).first():
            prev = None  # that handover was already taken over by another shift at this desk
        shift = Shift(operator_id=op.id, desk_id=desk.id, started_at=now,
                      prev_shift_id=prev.id if prev else None)
        session.add(shift)
        session.flush()
    actor = Actor(operator_id=op.id, staff_no=op.staff_no, name=op.name, role=op.role,
                  shift_id=shift.id, desk_id=desk.id, desk_name=desk.name, clock=clock)
    audit.record_for(session, actor, "resume" if resumed else "sign_on", "shift", shift.id)
    return actor


def _supervisor_ids(session: Session, ids: set[int]) -> set[int]:
    if not ids:
        return set()
    return set(session.execute(select(Operator.id).where(Operator.id.in_(ids),
                                                         Operator.role == "supervisor")).scalars())


def last_activity(session: Session, shift: Shift) -> datetime:
    """When the shift last did something: its last audited action (every record written is
    audited with its shift), or its start."""
    last = session.execute(
        select(func.max(AuditEvent.at)).where(AuditEvent.operator_id == shift.operator_id,  # ix_audit_operator_at
                                              AuditEvent.at >= shift.started_at, AuditEvent.shift_id == shift.id)
    ).scalar_one_or_none()
    return max(last, shift.started_at) if last is not None else shift.started_at


def close_left_open(session: Session, shift: Shift, *, closed_by: str, operator_id: int | None,
                    reason: str, now: datetime) -> datetime:
    """End a shift its operator did not close, at its last activity; audited as done by
    `operator_id` (who signed on, or the supervisor), with `closed_by` stored on the shift."""
    ended = last_activity(session, shift)
    shift.ended_at, shift.closed_by = ended, closed_by
    session.add(shift)
    audit.record(session, at=now, action="close", entity="shift", entity_id=shift.id,
                 after={"closed_by": closed_by, "reason": reason, "operator_id": shift.operator_id,
                        "ended_at": ended.isoformat()},
                 operator_id=operator_id, desk_id=shift.desk_id, shift_id=shift.id)
    audit_checkpoints.pin_shift(session, shift, now)
    return ended


def close_by_supervisor(session: Session, actor: Actor, shift_id: int) -> Shift:
    """A supervisor closes a shift left open (DOMAIN §6: every shift is handed over); the next
    sign-on at its desk takes it over, marked as not closed by its operator."""
    actor.require_supervisor("shift.action.close_left_open")
    shift = session.get(Shift, shift_id)
    if shift is None:
        raise DeskError("shift.error.no_shift", field="shift", shift_id=shift_id)
    if shift.ended_at is not None:
        raise DeskError("shift.error.already_closed", field="shift")
    close_left_open(session, shift, closed_by=actor.staff_no, operator_id=actor.operator_id, reason="supervisor",
                    now=actor.clock.now())
    return shift


@dataclass(frozen=True)
class ShiftRow:
    id: int
    desk: str
    staff_no: str
    name: str
    started_at: datetime
    ended_at: datetime | None
    closed_by: str | None  # a staff number or "system"; None while open

    def to_dict(self) -> dict:
        def iso(when):
            return None if when is None else when.astimezone(ZoneInfo("UTC")).replace(microsecond=0).isoformat()

        return {"id": self.id, "desk": self.desk, "staff_no": self.staff_no, "started_at": iso(self.started_at),
                "ended_at": iso(self.ended_at), "closed_by": self.closed_by}


def list_shifts(session: Session, *, open_only: bool = False, day: str = "", timezone: str = "UTC",
                limit: int = LIST_LIMIT) -> list[ShiftRow]:
    """Shifts newest first: the open ones, and/or those started on a site-local day."""
    stmt = (select(Shift, Desk.name, Operator.staff_no, Operator.name).join(Desk, Desk.id == Shift.desk_id)
            .join(Operator, Operator.id == Shift.operator_id))
    if open_only:
        stmt = stmt.where(Shift.ended_at.is_(None))
    if (day or "").strip():
        tz = ZoneInfo(timezone)
        first = datetime.combine(parse_date(day, field="date"), time(0, 0), tz)
        stmt = stmt.where(Shift.started_at >= first, Shift.started_at < first + timedelta(days=1))
    rows = session.execute(stmt.order_by(Shift.started_at.desc(), Shift.id.desc()).limit(limit)).all()
    return [ShiftRow(sh.id, desk, staff_no, name, sh.started_at, sh.ended_at,
                     None if sh.ended_at is None else (sh.closed_by or staff_no))
            for sh, desk, staff_no, name in rows]
