"""Visitor reception (DOMAIN §1): check-in, the fair waiting queue, the apology prompt,
hand-off, check-out and the request a visit turns into.

Queries the screen runs on every refresh read open visits by the indexed (status, arrived_at)
pair with a LIMIT; nothing here scans visit history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session

from deskconsole import catalogs
from deskconsole.models import ExpectedVisit, Visit
from deskconsole.models.visits import RECEPTION_LEVELS
from deskconsole.services import audit
from deskconsole.services.context import Actor
from deskconsole.services.errors import DeskError
from deskconsole.services.people import HONORIFICS
from deskconsole.services.phone_numbers import normalise
from deskconsole.services.text import clean as _clean_text

MAX_PARTY = 99
QUEUE_LIMIT = 200  # the screen never loads more than this many waiting rows
HANDOFF_METHODS = ("phone", "radio", "in_person")


def clean(value: object, *, field: str, limit: int, required: bool = False) -> str:
    """services.text.clean with reception's own messages (shown under the field)."""
    try:
        return _clean_text(value, field=field, limit=limit, required=required)
    except DeskError as exc:
        if exc.key == "error.required":
            raise DeskError("reception.error.required", field=field) from None
        raise DeskError("reception.error.too_long", field=field, limit=limit) from None


def clean_optional(value: object, *, field: str, limit: int) -> str | None:
    return clean(value, field=field, limit=limit) or None


@dataclass
class CheckInForm:
    name: str = ""
    honorific: str = ""
    phone: str = ""
    unit: str = ""
    host: str = ""
    purpose: str = "consultation"
    party_size: str | int = 1
    level: str = "ordinary"
    note: str = ""
    expected_id: int | None = None


@dataclass(frozen=True)
class VisitView:
    id: int
    arrived_at: datetime
    name: str
    honorific: str
    phone: str | None
    unit: str
    host: str
    purpose: str
    party_size: int
    level: str
    note: str | None
    status: str
    served_at: datetime | None
    served_out_of_order: bool
    apology_shown_at: datetime | None
    apology_ack_at: datetime | None
    handoff_post: str | None
    handoff_method: str | None
    handoff_description: str | None
    checked_out_at: datetime | None
    request_kind: str | None
    expected_id: int | None


def view(v: Visit) -> VisitView:
    return VisitView(**{f: getattr(v, f) for f in VisitView.__dataclass_fields__})


@dataclass(frozen=True)
class QueueEntry:
    visit: VisitView
    position: int  # 1 = the next to serve (longest waiting)
    wait_seconds: float
    apology_due: bool  # DOMAIN §1: waited past the threshold, apology not yet acknowledged


def purpose_codes() -> list[str]:
    return [row["code"] for row in catalogs.load("purposes.toml").get("purpose", [])]


def ticket_kind_for(purpose: str) -> str:
    """The ticket a visit of this purpose turns into."""
    for row in catalogs.load("purposes.toml").get("purpose", []):
        if row["code"] == purpose:
            return row.get("ticket_kind", "inquiry")
    return "inquiry"


def parse_party(value: str | int) -> int:
    text = str(value).strip() if value is not None else ""
    if not text:
        return 1
    if not text.isdigit() or not 1 <= int(text) <= MAX_PARTY:
        raise DeskError("reception.error.party", field="party_size", limit=MAX_PARTY)
    return int(text)


def validate(form: CheckInForm) -> dict:
    """Clean and check every field; the first refusal names its field."""
    values = {
        "name": clean(form.name, field="name", limit=64, required=True),
        "honorific": form.honorific or "",
        "phone": normalise(form.phone, field="phone"),
        "unit": clean(form.unit, field="unit", limit=64),
        "host": clean(form.host, field="host", limit=64),
        "purpose": form.purpose,
        "party_size": parse_party(form.party_size),
        "level": form.level or "ordinary",
        "note": clean_optional(form.note, field="note", limit=500),
    }
    if values["honorific"] and values["honorific"] not in HONORIFICS:
        raise DeskError("reception.error.choice", field="honorific")
    if values["purpose"] not in purpose_codes():
        raise DeskError("reception.error.choice", field="purpose")
    if values["level"] not in RECEPTION_LEVELS:
        raise DeskError("reception.error.choice", field="level")
    return values


# Every column of a new visit with the model's defaults: check-in inserts it with one cached
# Core statement (no ORM unit of work: it is the busiest durable save).
_VISIT_ROW = {name: f.default for name, f in Visit.model_fields.items() if name != "id"}
_VISIT_INSERT = Visit.__table__.insert()


def check_in(session: Session, actor: Actor, form: CheckInForm) -> VisitView:
    """One durable write: the visit joins the end of the waiting queue."""
    values = validate(form)
    now = actor.clock.now()
    row = {**_VISIT_ROW, **values, "arrived_at": now, "status": "waiting", "expected_id": form.expected_id,
           **actor.stamps()}
    if form.expected_id is not None:
        expected = session.get(ExpectedVisit, form.expected_id)
        if expected is not None and expected.arrived_at is None:
            expected.arrived_at = now
            session.add(expected)
            audit.record_for(session, actor, "arrived", "expected_visit", expected.id)
        session.flush()
    visit_id = session.connection().execute(_VISIT_INSERT, row).inserted_primary_key[0]
    audit.record_for(session, actor, "create", "visit", visit_id,
                     after={k: v for k, v in values.items() if k != "phone"})
    return VisitView(id=visit_id, **{f: row[f] for f in VisitView.__dataclass_fields__ if f != "id"})


def _get(session: Session, visit_id: int, *, status: tuple[str, ...] | None = None) -> Visit:
    visit = session.get(Visit, visit_id)
    if visit is None or visit.voided_at is not None:
        raise DeskError("reception.error.no_visit", number=visit_id)
    if status and visit.status not in status:
        key = "reception.error.not_waiting" if status[0] == "waiting" else "reception.error.not_in_building"
        raise DeskError(key, number=visit_id)
    return visit


def _waiting(session: Session, limit: int = QUEUE_LIMIT) -> list[Visit]:
    return list(session.execute(
        select(Visit).where(Visit.status == "waiting", Visit.voided_at.is_(None))
        .order_by(Visit.arrived_at, Visit.id).limit(limit)
    ).scalars())


def apology_due(wait_seconds: float, waiting_count: int, ack_at, threshold_minutes: float) -> bool:
    # DOMAIN §1 (000 B): with several visitors, apologise to those kept waiting.
    return waiting_count >= 2 and ack_at is None and wait_seconds >= threshold_minutes * 60


def queue(session: Session, actor: Actor, *, threshold_minutes: float,
          limit: int = QUEUE_LIMIT) -> list[QueueEntry]:
    """Waiting visitors, longest waiting first (the fair order, DOMAIN §1 / 000 B)."""
    now = actor.clock.now()
    rows = _waiting(session, limit)
    out = []
    for pos, v in enumerate(rows, start=1):
        wait = (now - v.arrived_at).total_seconds()
        out.append(QueueEntry(view(v), pos, wait,
                              apology_due(wait, len(rows), v.apology_ack_at, threshold_minutes)))
    return out


def mark_apology_shown(session: Session, actor: Actor, visit_ids: list[int]) -> int:
    """Record when the apology prompt first appeared for each visit (etiquette evidence)."""
    now, count = actor.clock.now(), 0
    for vid in visit_ids:
        v = session.get(Visit, vid)
        if v is not None and v.apology_shown_at is None:
            v.apology_shown_at = now
            session.add(v)
            audit.record_for(session, actor, "apology_shown", "visit", v.id)
            count += 1
    return count


def acknowledge_apology(session: Session, actor: Actor, visit_id: int) -> VisitView:
    """One key: the receptionist has said 让您久等了 to this visitor."""
    v = _get(session, visit_id)
    now = actor.clock.now()
    v.apology_shown_at = v.apology_shown_at or now
    v.apology_ack_at = now
    session.add(v)
    audit.record_for(session, actor, "apology_ack", "visit", v.id)
    return view(v)


def serve(session: Session, actor: Actor, visit_id: int | None = None, *,
          threshold_minutes: float) -> VisitView:
    """Serve the longest-waiting visitor, or the one picked; a pick that passes over someone
    who waited longer is recorded as out of order (DOMAIN §1: a fair order)."""
    rows = _waiting(session)
    if not rows:
        raise DeskError("reception.error.queue_empty")
    if visit_id is None:
        v = rows[0]
    else:
        v = _get(session, visit_id, status=("waiting",))
        v.served_out_of_order = v.id != rows[0].id
    now = actor.clock.now()
    wait = (now - v.arrived_at).total_seconds()
    if wait >= threshold_minutes * 60 and v.apology_shown_at is None:
        # The prompt may never have rendered (e.g. served the moment it fell due): the
        # apology was owed all the same, so the evidence shows it.
        v.apology_shown_at = now
    v.status, v.served_at = "in_building", now
    session.add(v)
    audit.record_for(session, actor, "serve", "visit", v.id,
                     after={"out_of_order": v.served_out_of_order, "wait_s": int(wait)})
    return view(v)


def cancel(session: Session, actor: Actor, visit_id: int) -> VisitView:
    """A waiting visitor left without being served."""
    v = _get(session, visit_id, status=("waiting",))
    v.status, v.checked_out_at = "cancelled", actor.clock.now()
    session.add(v)
    audit.record_for(session, actor, "cancel", "visit", v.id)
    return view(v)


def handoff_post_for(level: str) -> str | None:
    """The post the company names for guests of this reception level (data/handoff_posts.toml
    [level_post]), or None: a 特级 guest is handed on to management (DOMAIN §1)."""
    return catalogs.load("handoff_posts.toml").get("level_post", {}).get(level) or None


def record_handoff(session: Session, actor: Actor, visit_id: int, *, post: str, method: str,
                   description: str) -> VisitView:
    """DOMAIN §1 (004 §4.3.9): who was told the guest is coming, how, and what they look like."""
    v = _get(session, visit_id, status=("in_building",))
    post = clean(post, field="handoff_post", limit=64, required=True)
    if method not in HANDOFF_METHODS:
        raise DeskError("reception.error.choice", field="handoff_method")
    before = {k: getattr(v, k) for k in ("handoff_post", "handoff_method", "handoff_description")}
    v.handoff_post, v.handoff_method = post, method
    v.handoff_description = clean_optional(description, field="handoff_description", limit=200)
    v.handoff_at = actor.clock.now()
    session.add(v)
    audit.record_for(session, actor, "handoff", "visit", v.id, before=before,
                     after={"handoff_post": post, "handoff_method": method})
    return view(v)


def check_out(session: Session, actor: Actor, visit_id: int) -> VisitView:
    v = _get(session, visit_id, status=("in_building",))
    v.status, v.checked_out_at = "left", actor.clock.now()
    session.add(v)
    audit.record_for(session, actor, "check_out", "visit", v.id)
    return view(v)


def record_request(session: Session, actor: Actor, visit_id: int, kind: str | None = None) -> VisitView:
    """The visit asks for a ticket of this kind: stored on the visit so
    nothing is lost even before the ticket is written."""
    v = _get(session, visit_id)
    kind = kind or ticket_kind_for(v.purpose)
    before = v.request_kind
    v.request_kind = kind
    session.add(v)
    audit.record_for(session, actor, "request", "visit", v.id, before={"request_kind": before},
                     after={"request_kind": kind})
    return view(v)


def ticket_prefill(v: VisitView) -> dict:
    """What TicketFormModal(prefill) receives for this visit."""
    return {"kind": v.request_kind or ticket_kind_for(v.purpose), "customer_name": v.name,
            "honorific": v.honorific, "phone": v.phone, "unit": v.unit, "source": "visit",
            "visit_id": v.id, "description": v.note or ""}
