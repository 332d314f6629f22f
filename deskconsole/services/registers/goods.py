"""Goods release (物品放行申请表, DOMAIN §3, seed 003 §6.13): an owner, or a tenant with the
owner's confirmation, authorises moving goods out. The desk issues a release number that
security checks at the gate; a release is good for its day only (site time).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlmodel import Session

from deskconsole.models import Call, GoodsRelease
from deskconsole.models.registers import APPLICANT_KINDS
from deskconsole.services import audit
from deskconsole.services.errors import DeskError
from deskconsole.services.phone_numbers import mask_for
from deskconsole.services.registers import rules as reg_rules
from deskconsole.services.registers.common import choice, page, person
from deskconsole.services.text import clean

MAX_DAYS_AHEAD = 31
CHECK_REASONS = ("valid", "not_yet", "expired", "void", "unknown")


@dataclass(frozen=True)
class ReleaseForm:
    unit: str
    name: str
    items: str
    applicant_kind: str = "owner"
    phone: str = ""
    confirmed_by: str = ""
    confirmed_how: str = ""  # in_person / phone / written (data/registers.toml)
    confirm_call_id: int | None = None  # the logged call, when the owner confirmed by phone
    vehicle_plate: str = ""
    valid_on: date | str | None = None  # default: today, site time


@dataclass(frozen=True)
class ReleaseView:
    id: int
    number: str
    unit: str
    name: str
    applicant_kind: str
    phone: str  # masked unless the viewer is a supervisor
    confirmed_by: str
    confirmed_how: str | None
    items: str
    vehicle_plate: str
    valid_on: date
    issued_at: datetime
    expires_at: datetime
    operator_id: int
    voided: bool

    def to_dict(self, tz) -> dict:
        out = asdict(self)
        out["valid_on"] = self.valid_on.isoformat()
        for k in ("issued_at", "expires_at"):
            out[k] = out[k].astimezone(reg_rules.zone(tz)).isoformat(timespec="minutes")
        return out


@dataclass(frozen=True)
class Check:
    number: str
    reason: str  # one of CHECK_REASONS
    release: ReleaseView | None

    @property
    def valid(self) -> bool:
        return self.reason == "valid"


def view(row: GoodsRelease, viewer=None) -> ReleaseView:
    return ReleaseView(row.id, row.number or "", row.unit, row.name, row.applicant_kind, mask_for(row.phone, viewer),
                       row.confirmed_by, row.confirmed_how, row.items, row.vehicle_plate, row.valid_on,
                       row.issued_at, row.expires_at, row.operator_id, row.voided_at is not None)


def release_number(valid_on: date, row_id: int) -> str:
    """The day it is good for and the row: short enough to read out at the gate."""
    return f"GR{valid_on:%y%m%d}-{row_id:03d}"


def _day(value: date | str | None, today: date) -> date:
    if value in (None, ""):
        return today
    if isinstance(value, date):
        day = value
    else:
        try:
            day = date.fromisoformat(clean(value, field="valid_on", limit=10))
        except ValueError:
            raise DeskError("registers.error.day", field="valid_on") from None
    if day < today or day > today + timedelta(days=MAX_DAYS_AHEAD):
        raise DeskError("registers.error.day_range", field="valid_on", days=MAX_DAYS_AHEAD)
    return day


def issue_release(session: Session, actor, form: ReleaseForm, *, tz, rules=None) -> ReleaseView:
    rules = reg_rules.rules() if rules is None else rules
    now = actor.clock.now()
    who = person(form.name, form.phone, form.unit)
    if not who.unit:
        raise DeskError("error.required", field="unit", label="field.unit")
    kind = choice(form.applicant_kind or "owner", APPLICANT_KINDS, "applicant_kind")
    confirmed_by = clean(form.confirmed_by, field="confirmed_by", limit=64)
    how = clean(form.confirmed_how, field="confirmed_how", limit=16).lower() or None
    if how is not None and how not in rules.confirm_methods:
        raise DeskError("registers.error.choice", field="confirmed_how", label="field.confirmed_how",
                        allowed=", ".join(rules.confirm_methods))
    if bool(confirmed_by) != bool(how):  # who confirmed and how go together
        raise DeskError("registers.error.confirmation_half", field="confirmed_by" if how else "confirmed_how")
    # Seed 003 §6.13: goods leave a rented flat only with the owner's say-so (a company rule).
    if kind == "tenant" and rules.tenant_needs_owner_confirmation and not confirmed_by:
        raise DeskError("registers.error.owner_confirmation", field="confirmed_by")
    call_id = form.confirm_call_id
    if call_id is not None and (how != "phone" or session.get(Call, call_id) is None):
        raise DeskError("registers.error.confirm_call", field="confirm_call_id", id=call_id)
    items = clean(form.items, field="items", limit=1000, required=True, multiline=True)
    plate = clean(form.vehicle_plate, field="vehicle_plate", limit=16).upper()
    day = _day(form.valid_on, reg_rules.local_day(now, tz))
    row = GoodsRelease(unit=who.unit, name=who.name, applicant_kind=kind, phone=who.phone,
                       confirmed_by=confirmed_by, confirmed_how=how, confirm_call_id=call_id, items=items,
                       vehicle_plate=plate, valid_on=day, issued_at=now,
                       expires_at=reg_rules.end_of_day(day, tz), **actor.stamps())
    session.add(row)
    session.flush()
    row.number = release_number(day, row.id)
    session.add(row)
    session.flush()
    audit.record_for(session, actor, "issue", "goods_release", row.id, after={
        "number": row.number, "unit": row.unit, "applicant_kind": kind, "confirmed_how": how,
        "valid_on": day.isoformat(), "vehicle_plate": plate})
    return view(row, actor)


def find(session: Session, number: str) -> GoodsRelease | None:
    text_value = str(number or "").strip().upper()
    if not text_value or len(text_value) > 24:
        return None
    return session.execute(select(GoodsRelease).where(GoodsRelease.number == text_value)).scalar_one_or_none()


def check_release(session: Session, number: str, *, now: datetime, viewer=None) -> Check:
    """What the gate asks: may these goods leave now? Valid on its day only, never when void."""
    row = find(session, number)
    shown = str(number or "").strip().upper()[:24]
    if row is None:
        return Check(shown, "unknown", None)
    if row.voided_at is not None:
        reason = "void"
    elif now >= row.expires_at:
        reason = "expired"
    elif now < row.expires_at - timedelta(days=1):
        reason = "not_yet"
    else:
        reason = "valid"
    return Check(row.number or shown, reason, view(row, viewer))


def issued_count(session: Session, start: datetime, end: datetime) -> int:
    return session.execute(select(func.count()).select_from(GoodsRelease).where(
        GoodsRelease.issued_at >= start, GoodsRelease.issued_at < end, GoodsRelease.voided_at.is_(None))).scalar_one()


def list_releases(session: Session, *, now: datetime, open_only: bool = False, start: datetime | None = None,
                  end: datetime | None = None, before: tuple[datetime, int] | None = None, limit: int = 200,
                  viewer=None) -> list[ReleaseView]:
    """Newest first; `open_only`: those still good now (not void, not expired)."""
    stmt = select(GoodsRelease)
    if open_only:
        stmt = stmt.where(GoodsRelease.voided_at.is_(None), GoodsRelease.expires_at > now,
                          GoodsRelease.issued_at >= now - timedelta(days=MAX_DAYS_AHEAD + 1))
    if start is not None:
        stmt = stmt.where(GoodsRelease.issued_at >= start)
    if end is not None:
        stmt = stmt.where(GoodsRelease.issued_at < end)
    rows = session.execute(page(stmt, GoodsRelease.issued_at, GoodsRelease.id, before, limit)).scalars()
    return [view(r, viewer) for r in rows]


def goods_releases_for_unit(session: Session, unit: str, before: tuple[datetime, int] | None = None,
                            limit: int = 20, *, viewer=None) -> list[ReleaseView]:
    """A unit's releases newest first (ix_goods_release_unit_issued), for the unit's timeline."""
    stmt = select(GoodsRelease).where(GoodsRelease.unit == unit)
    return [view(r, viewer) for r in session.execute(
        page(stmt, GoodsRelease.issued_at, GoodsRelease.id, before, limit)).scalars()]


def goods_releases_for_phone(session: Session, phone: str, before: tuple[datetime, int] | None = None,
                             limit: int = 20, *, viewer=None) -> list[ReleaseView]:
    stmt = select(GoodsRelease).where(GoodsRelease.phone == phone)
    return [view(r, viewer) for r in session.execute(
        page(stmt, GoodsRelease.issued_at, GoodsRelease.id, before, limit)).scalars()]
