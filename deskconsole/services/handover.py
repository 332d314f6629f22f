"""Shift handover (交接班, DOMAIN §6, 003 §4.2.4).

Closing a shift lists what the next shift inherits - computed from the records, never typed:
visitors still in the building, open tickets the operator owns (首问负责, DOMAIN §3),
follow-ups due, missed calls not returned, expected visitors still to come, keys out past their
due time and loan items not back (the registers, DOMAIN §3). The operator adds
a note; the shift ends. The next operator signing on at that desk is shown the note and the
list (recomputed then, so it is true at that moment) and acknowledges it
(`Shift.handover_ack_at` on the new shift). `history` says who handed over to whom.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, or_, select
from sqlmodel import Session

from deskconsole.models import Call, Desk, ExpectedVisit, FollowUp, Operator, Shift, Ticket, Visit
from deskconsole.models.reliability import loaded_text
from deskconsole.services import audit, audit_checkpoints
from deskconsole.services.context import Actor
from deskconsole.services.errors import DeskError
from deskconsole.services.phone_numbers import mask
from deskconsole.services.registers import keys as key_register
from deskconsole.services.registers import loans as loan_register
from deskconsole.services.text import strip_controls

NOTE_LIMIT = 2000
ITEM_LIMIT = 100  # per kind: a handover list is read by a person; more is still counted
ITEM_KINDS = ("visitor", "ticket", "follow_up", "missed_call", "expected", "key_overdue", "item_out")
OPEN_TICKET = ("new", "assigned", "in_progress")
MISSED_WINDOW = timedelta(days=7)  # as the header counter (services/counters.py)
FOLLOW_UP_HORIZON = timedelta(hours=24)
EXPECTED_HORIZON = timedelta(hours=24)


@dataclass(frozen=True)
class HandoverItem:
    kind: str  # one of ITEM_KINDS
    ref: int  # the record's id
    at: datetime | None  # arrived / due / rang / expected
    title: str  # who or what (names as recorded; phones masked unless unmasked)
    detail: str = ""  # unit, status or kind code

    def to_dict(self) -> dict:
        return {**asdict(self), "at": iso(self.at)}


@dataclass(frozen=True)
class HandoverList:
    items: list[HandoverItem] = field(default_factory=list)

    def count(self, kind: str) -> int:
        return sum(1 for i in self.items if i.kind == kind)

    def counts(self) -> dict[str, int]:
        return {k: self.count(k) for k in ITEM_KINDS}

    @property
    def empty(self) -> bool:
        return not self.items


@dataclass(frozen=True)
class PendingHandover:
    prev_shift_id: int
    from_staff_no: str
    from_name: str
    ended_at: datetime | None
    note: str
    open_items: HandoverList
    # Who closed it when its operator did not (a supervisor's staff number, or "system" for a
    # shift left open and closed at sign-on); None when its operator closed it.
    closed_by: str | None = None


@dataclass(frozen=True)
class HandoverEntry:
    shift_id: int
    desk: str
    staff_no: str
    name: str
    started_at: datetime
    ended_at: datetime | None
    note: str | None
    next_shift_id: int | None
    next_staff_no: str | None
    next_name: str | None
    acknowledged_at: datetime | None

    def to_dict(self) -> dict:
        d = asdict(self)
        for key in ("started_at", "ended_at", "acknowledged_at"):
            d[key] = iso(d[key])
        return d


def iso(when: datetime | None) -> str | None:
    """The same form as the summary's JSON (summary/period.py)."""
    return None if when is None else when.astimezone(UTC).replace(microsecond=0).isoformat()


def open_items(session: Session, *, desk_id: int, operator_id: int, now: datetime, timezone: str,
               unmasked: bool = False) -> HandoverList:
    """What is open at this desk now, for the operator who owns the tickets."""
    items: list[HandoverItem] = []
    visits = session.execute(
        select(Visit).where(Visit.status.in_(("waiting", "in_building")), Visit.voided_at.is_(None),
                            Visit.desk_id == desk_id).order_by(Visit.arrived_at).limit(ITEM_LIMIT)).scalars()
    items += [HandoverItem("visitor", v.id, v.arrived_at, v.name, v.unit or v.host) for v in visits]
    tickets = session.execute(
        select(Ticket).where(Ticket.status.in_(OPEN_TICKET),
                             or_(Ticket.first_owner_id == operator_id, Ticket.assignee_id == operator_id))
        .order_by(Ticket.due_at, Ticket.id).limit(ITEM_LIMIT)).scalars()
    items += [HandoverItem("ticket", t.id, t.due_at, t.customer_name or t.unit, t.kind) for t in tickets]
    follow_ups = session.execute(
        select(FollowUp.id, FollowUp.due_at, Ticket.customer_name, Ticket.unit, Ticket.kind)
        .join(Ticket, Ticket.id == FollowUp.ticket_id)
        .where(FollowUp.done_at.is_(None), FollowUp.due_at < now + FOLLOW_UP_HORIZON)
        .order_by(FollowUp.due_at).limit(ITEM_LIMIT))
    items += [HandoverItem("follow_up", fid, due, name or unit, kind) for fid, due, name, unit, kind in follow_ups]
    calls = session.execute(
        select(Call).where(Call.status == "missed", Call.returned_at.is_(None), Call.voided_at.is_(None),
                           Call.started_at >= now - MISSED_WINDOW, Call.desk_id == desk_id)
        .order_by(Call.started_at).limit(ITEM_LIMIT)).scalars()
    items += [HandoverItem("missed_call", c.id, c.started_at,
                           c.caller_name or mask(c.phone, unmasked=unmasked), c.unit) for c in calls]
    day_start = datetime.combine(now.astimezone(ZoneInfo(timezone)).date(), time(0, 0), ZoneInfo(timezone))
    expected = session.execute(
        select(ExpectedVisit).where(ExpectedVisit.expected_at >= day_start,
                                    ExpectedVisit.expected_at < now + EXPECTED_HORIZON,
                                    ExpectedVisit.arrived_at.is_(None), ExpectedVisit.cancelled_at.is_(None))
        .order_by(ExpectedVisit.expected_at).limit(ITEM_LIMIT)).scalars()
    items += [HandoverItem("expected", e.id, e.expected_at, e.name, e.unit or e.host) for e in expected]
    # Keys and loan items belong to the site's key cabinet and counter, not to one desk.
    late = key_register.out_keys(session, now, overdue_only=True, limit=ITEM_LIMIT)
    items += [HandoverItem("key_overdue", k.id, k.due_at, f"{k.key_code} {k.name}", k.company or k.unit) for k in late]
    out = loan_register.out_items(session, limit=ITEM_LIMIT)
    items += [HandoverItem("item_out", i.id, i.lent_at, i.name, i.item_code) for i in out]
    return HandoverList(items)


def clean_note(note: str | None) -> str:
    text = strip_controls(note or "", multiline=True).strip()
    if len(text) > NOTE_LIMIT:
        raise DeskError("shift.error.note_too_long", field="handover_note", limit=NOTE_LIMIT)
    return text


def close_shift(session: Session, actor: Actor, note: str | None, *, timezone: str) -> HandoverList:
    """End the actor's shift with a handover note; returns the list handed over."""
    text = clean_note(note)
    shift = session.get(Shift, actor.shift_id)
    if shift is None or shift.operator_id != actor.operator_id:
        raise DeskError("shift.error.no_shift", field="handover_note", shift_id=actor.shift_id)
    if shift.ended_at is not None:
        raise DeskError("shift.error.already_closed", field="handover_note")
    now = actor.clock.now()
    items = open_items(session, desk_id=actor.desk_id, operator_id=actor.operator_id, now=now,
                       timezone=timezone)
    shift.ended_at, shift.handover_note, shift.closed_by = now, text or None, actor.staff_no
    session.add(shift)
    audit.record_for(session, actor, "close", "shift", shift.id,
                     after={"note": text, "open_items": items.counts()})
    audit_checkpoints.pin_shift(session, shift, now)
    return items


def pending_for(session: Session, shift_id: int, *, timezone: str, now: datetime,
                unmasked: bool = False) -> PendingHandover | None:
    """The handover this shift has not yet acknowledged, or None (first shift at the desk,
    or already read)."""
    shift = session.get(Shift, shift_id)
    if shift is None or shift.prev_shift_id is None or shift.handover_ack_at is not None:
        return None
    prev = session.get(Shift, shift.prev_shift_id)
    op = session.get(Operator, prev.operator_id)
    items = open_items(session, desk_id=prev.desk_id, operator_id=prev.operator_id, now=now,
                       timezone=timezone, unmasked=unmasked)
    closed_by = prev.closed_by if prev.closed_by not in (None, op.staff_no) else None
    return PendingHandover(prev.id, op.staff_no, op.name, prev.ended_at, prev.handover_note or "", items,
                           closed_by)


def acknowledge(session: Session, actor: Actor) -> datetime:
    shift = session.get(Shift, actor.shift_id)
    if shift is None or shift.prev_shift_id is None:
        raise DeskError("shift.error.no_handover")
    if shift.handover_ack_at is None:
        shift.handover_ack_at = actor.clock.now()
        session.add(shift)
        audit.record_for(session, actor, "handover_ack", "shift", shift.id,
                         after={"prev_shift_id": shift.prev_shift_id})
    return shift.handover_ack_at


_S, _O, _D = Shift.__table__, Operator.__table__, Desk.__table__
_history_statements: dict[tuple, tuple] = {}


def _history_sql(desk: bool, operator: bool, limit: int) -> tuple:
    """(the shifts, who took over from them): built once per filter shape, as Core statements
    (compiled once; no records loaded), with the period and filters as bound parameters."""
    key = (desk, operator, limit)
    if key not in _history_statements:
        s, o = _S.c, _O.c
        stmt = select(s.id, _D.c.name, o.staff_no, o.name, s.started_at, s.ended_at, s.handover_note).select_from(
            _S.join(_O, o.id == s.operator_id).join(_D, _D.c.id == s.desk_id)).where(
            s.started_at >= bindparam("start"), s.started_at < bindparam("end"))
        if desk:
            stmt = stmt.where(s.desk_id == bindparam("desk_id"))
        if operator:
            stmt = stmt.where(s.operator_id == bindparam("operator_id"))
        nexts = select(s.prev_shift_id, s.id, o.staff_no, o.name, s.handover_ack_at).select_from(
            _S.join(_O, o.id == s.operator_id)).where(
            s.prev_shift_id.in_(bindparam("ids", expanding=True))).order_by(s.started_at)
        _history_statements[key] = (stmt.order_by(s.started_at, s.id).limit(limit), nexts)
    return _history_statements[key]


def history(session: Session, *, start: datetime, end: datetime, desk_id: int | None = None,
            operator_id: int | None = None, limit: int = 500) -> list[HandoverEntry]:
    """Shifts that started in [start, end) (indexed), oldest first, each with who took over."""
    stmt, nexts_stmt = _history_sql(desk_id is not None, operator_id is not None, limit)
    conn = session.connection()
    rows = conn.execute(stmt, {"start": start, "end": end, "desk_id": desk_id, "operator_id": operator_id}).all()
    nexts: dict[int, tuple] = {}
    if rows:
        for prev_id, *nxt in conn.execute(nexts_stmt, {"ids": [r[0] for r in rows]}):
            nexts.setdefault(prev_id, nxt)
    out = []
    for shift_id, desk, staff_no, name, started_at, ended_at, note in rows:
        nxt = nexts.get(shift_id)
        out.append(HandoverEntry(
            shift_id, desk, staff_no, name, started_at, ended_at, loaded_text(note),
            nxt[0] if nxt else None, nxt[1] if nxt else None, nxt[2] if nxt else None,
            nxt[3] if nxt else None))
    return out


def recent_shifts(session: Session, *, desk_id: int | None = None, limit: int = 30) -> list[HandoverEntry]:
    """The last shifts (newest first), for picking one on the shift screen."""
    stmt = select(Shift.started_at).order_by(Shift.started_at.desc()).limit(limit)
    if desk_id is not None:
        stmt = stmt.where(Shift.desk_id == desk_id)
    starts = session.execute(stmt).scalars().all()
    if not starts:
        return []
    return list(reversed(history(session, start=min(starts), end=max(starts) + timedelta(microseconds=1),
                                 desk_id=desk_id, limit=limit)))
