"""Reading visits: returning-visitor recall, search by name/phone/unit/date (keyset pages),
the roll call of everyone in the building, and expected visitors.

Every query is on an indexed column with a LIMIT; the roll call reads the open
'in_building' rows by the (status, arrived_at) index, however long the history is.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, select
from sqlmodel import Session

from deskconsole.models import ExpectedVisit, Visit
from deskconsole.services import audit
from deskconsole.services.context import Actor
from deskconsole.services.errors import DeskError
from deskconsole.services.exports import inert_row
from deskconsole.services.newest_first import NewestFirst, newest_matching, starts_with
from deskconsole.services.phone_numbers import mask_for, normalise
from deskconsole.services.reception import (
    VisitView,
    clean,
    clean_optional,
    parse_party,
    purpose_codes,
    view,
)

PAGE = 20
ROLL_CALL_LIMIT = 2000  # far above any lobby; keeps a damaged DB from flooding the screen
_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NEWEST = NewestFirst(Visit.arrived_at, Visit.id)


def recall(session: Session, *, phone: str | None = None, name: str | None = None) -> VisitView | None:
    """The last visit of a returning visitor: by phone when one is given, else by exact name."""
    stmt = select(Visit).where(Visit.voided_at.is_(None), Visit.anonymised.is_(False))
    if phone:
        try:
            number = normalise(phone)
        except DeskError:
            return None
        stmt = stmt.where(Visit.phone == number)
    elif name and name.strip():
        stmt = stmt.where(Visit.name == name.strip())
    else:
        return None
    # Both read ix_visit_phone_arrived / ix_visit_name_arrived newest first and stop at the first row.
    row = session.execute(stmt.order_by(*_NEWEST.clauses()).limit(1)).scalar_one_or_none()
    return view(row) if row else None


@dataclass(frozen=True)
class Cursor:
    arrived_at: datetime
    id: int


def search(session: Session, query: str, *, tz: ZoneInfo, after: Cursor | None = None,
           limit: int = PAGE) -> tuple[list[VisitView], Cursor | None]:
    """Past visits, newest first, one page at a time (keyset: never OFFSET, never COUNT).

    One field: a date (2026-11-25) gives that local day; a visit number (#12); otherwise a
    name or unit prefix, and a phone number (exact, any format) when it looks like one.
    Each condition is its own indexed query limited to one page; the pages are merged, so
    a million past visits never means a scan. Returns (rows, cursor of the next page or None)."""
    q = (query or "").strip()
    m = _DATE.match(q)
    prefixes = []  # columns searched by prefix (services/newest_first: no sort of all history)
    if m:
        try:
            day = date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            raise DeskError("reception.error.date", field="search") from None
        start = datetime.combine(day, time(0), tz)
        filters = [and_(Visit.arrived_at >= start, Visit.arrived_at < start + timedelta(days=1))]
    elif q.startswith("#") and q[1:].isdigit():
        filters = [Visit.id == int(q[1:])]
    elif q:
        prefixes, filters = [Visit.name, Visit.unit], []
        digits = re.sub(r"[\s\-]", "", q)
        if digits.isdigit() or digits.startswith("+"):
            try:
                filters.append(Visit.phone == normalise(digits))
            except DeskError:
                pass
    else:
        filters = [Visit.id.is_not(None)]
    found: dict[int, Visit] = {}
    key = (after.arrived_at, after.id) if after is not None else None
    for column in prefixes:
        for row in newest_matching(session, Visit, _NEWEST, column, lambda c: starts_with(c, q),
                                   where=[Visit.voided_at.is_(None)], after=key, need=limit + 1):
            found[row.id] = row
    for cond in filters:
        stmt = select(Visit).where(cond, Visit.voided_at.is_(None))
        if key is not None:
            stmt = stmt.where(_NEWEST.beyond(key))
        for row in session.execute(stmt.order_by(*_NEWEST.clauses()).limit(limit + 1)).scalars():
            found[row.id] = row
    rows = sorted(found.values(), key=lambda v: (v.arrived_at, v.id), reverse=True)[:limit + 1]
    more = len(rows) > limit
    rows = rows[:limit]
    cursor = Cursor(rows[-1].arrived_at, rows[-1].id) if more and rows else None
    return [view(r) for r in rows], cursor


def in_building(session: Session, limit: int = ROLL_CALL_LIMIT) -> list[VisitView]:
    """Everyone served and not yet checked out, earliest arrival first."""
    rows = session.execute(
        select(Visit).where(Visit.status == "in_building", Visit.voided_at.is_(None))
        .order_by(Visit.arrived_at, Visit.id).limit(limit)).scalars()
    return [view(r) for r in rows]


def waiting_in_lobby(session: Session, limit: int = ROLL_CALL_LIMIT) -> list[VisitView]:
    """Everyone checked in and not yet served, earliest arrival first."""
    rows = session.execute(
        select(Visit).where(Visit.status == "waiting", Visit.voided_at.is_(None))
        .order_by(Visit.arrived_at, Visit.id).limit(limit)).scalars()
    return [view(r) for r in rows]


# Lobby first: they are nearest the exit. Group -> its heading's catalog key.
ROLL_CALL_GROUPS = {"waiting": "reception.rollcall.group_waiting",
                    "in_building": "reception.rollcall.group_in_building"}
LEVEL_LABELS = {"senior": "reception.level_senior", "special": "reception.level_special"}
LEVEL_TAGS = {"senior": "reception.level_tag.senior", "special": "reception.level_tag.special"}


@dataclass(frozen=True)
class RollCall:
    """Everyone on the premises for an evacuation (DOMAIN §1): those waiting in the lobby
    and those served and inside; a party counts as its size."""
    waiting: list[VisitView]
    inside: list[VisitView]

    def groups(self) -> list[tuple[str, list[VisitView]]]:
        return [("waiting", self.waiting), ("in_building", self.inside)]

    @property
    def visits(self) -> list[VisitView]:
        return self.waiting + self.inside

    @property
    def persons(self) -> int:
        return sum(v.party_size for v in self.visits)


def on_premises(session: Session, limit: int = ROLL_CALL_LIMIT) -> RollCall:
    return RollCall(waiting_in_lobby(session, limit), in_building(session, limit))


def counted(t, many: str, one: str, count: int) -> str:
    """'1 visit' / '2 visits': English says a count of one apart."""
    return t(one if count == 1 else many, count=count)


def totals(t, visits: list[VisitView]) -> str:
    """'2 visits, 3 persons' with plural forms, for the titles, the files and the CLI."""
    persons = sum(v.party_size for v in visits)
    return t("reception.rollcall.totals",
             visits=counted(t, "reception.count.visits", "reception.count.visits_one", len(visits)),
             persons=counted(t, "reception.count.persons", "reception.count.persons_one", persons))


def group_heading(t, group: str, visits: list[VisitView]) -> str:
    return t("reception.rollcall.group_heading", group=t(ROLL_CALL_GROUPS[group]), totals=totals(t, visits))


# -- roll call export (plain files: usable without the network or the console) -------------
def level_label(level: str, t) -> str:
    """'' for an ordinary reception; 高级 / 特级 otherwise (DOMAIN §1, 004 主要流程 §2)."""
    return t(LEVEL_LABELS[level]) if level in LEVEL_LABELS else ""


def level_tag(level: str, t) -> str:
    """The short mark the lists show before a 高级 / 特级 guest's name ('' when ordinary)."""
    return t(LEVEL_TAGS[level]) if level in LEVEL_TAGS else ""


def roll_call_rows(roll: RollCall, actor: Actor | None, t, tz: ZoneInfo) -> list[list[str]]:
    from deskconsole.services.people import address

    lang = "zh-CN" if getattr(t, "is_zh", False) else "en"
    return [[t(ROLL_CALL_GROUPS[group]), str(v.id), f"{v.arrived_at.astimezone(tz):%Y-%m-%d %H:%M}",
             address(v.name, v.honorific, lang), level_label(v.level, t), str(v.party_size),
             " ".join(x for x in (v.unit, v.host) if x), mask_for(v.phone, actor)]
            for group, visits in roll.groups() for v in visits]


def roll_call_header(t) -> list[str]:
    return [t("reception.col.where"), t("reception.col.number"), t("reception.col.arrived"),
            t("reception.col.visitor"), t("reception.col.level"), t("reception.col.party"),
            t("reception.col.host"), t("reception.col.phone")]


def roll_call_csv(roll: RollCall, actor: Actor | None, t, tz: ZoneInfo) -> str:
    """CSV text; write it with encoding 'utf-8-sig' (a BOM, so spreadsheet programs read
    the Chinese correctly)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(roll_call_header(t))
    writer.writerows(inert_row(r) for r in roll_call_rows(roll, actor, t, tz))  # formulas made inert
    return out.getvalue()


def roll_call_text(roll: RollCall, actor: Actor | None, t, tz: ZoneInfo, *, now: datetime,
                   site: str) -> str:
    """A printable page: title, time, totals, then each group with its own count and one
    line per visitor."""
    from rich.cells import cell_len

    header = roll_call_header(t)[1:]  # the group is a heading on paper, not a column
    rows = [r[1:] for r in roll_call_rows(roll, actor, t, tz)]
    widths = [max([cell_len(h)] + [cell_len(r[i]) for r in rows]) for i, h in enumerate(header)]

    def line(cells: list[str]) -> str:
        return "  ".join(c + " " * (w - cell_len(c)) for c, w in zip(cells, widths, strict=True)).rstrip()

    out = [t("reception.rollcall.title_print", site=site),
           t("reception.rollcall.printed_at", at=f"{now.astimezone(tz):%Y-%m-%d %H:%M}"),
           totals(t, roll.visits)]
    start = 0
    for group, visits in roll.groups():
        out += ["", group_heading(t, group, visits), line(header), line(["-" * w for w in widths])]
        out += [line(r) for r in rows[start:start + len(visits)]]
        start += len(visits)
    return "\n".join(out) + "\n"


# -- expected visitors -------------------------------------------------------------------
@dataclass(frozen=True)
class ExpectedView:
    id: int
    expected_at: datetime
    name: str
    honorific: str
    phone: str | None
    unit: str
    host: str
    purpose: str
    party_size: int
    note: str | None
    arrived_at: datetime | None


def _expected_view(e: ExpectedVisit) -> ExpectedView:
    return ExpectedView(**{f: getattr(e, f) for f in ExpectedView.__dataclass_fields__})


def parse_when(text: str, *, now: datetime, tz: ZoneInfo) -> datetime:
    """'14:30' (today), '2026-11-26 14:30' or '11-26 14:30', in site-local time -> aware UTC."""
    raw = (text or "").strip()
    local_now = now.astimezone(tz)
    for fmt in ("%Y-%m-%d %H:%M", "%m-%d %H:%M", "%H:%M"):
        try:
            parsed = datetime.strptime(raw, fmt)
        except ValueError:
            continue
        if fmt == "%H:%M":
            parsed = parsed.replace(year=local_now.year, month=local_now.month, day=local_now.day)
        elif fmt == "%m-%d %H:%M":
            parsed = parsed.replace(year=local_now.year)
        return parsed.replace(tzinfo=tz).astimezone(now.tzinfo)
    raise DeskError("reception.error.when", field="when")


def expect(session: Session, actor: Actor | None, *, when: datetime, name: str, honorific: str = "",
           phone: str = "", unit: str = "", host: str = "", purpose: str = "visit_resident",
           party_size: str | int = 1, note: str = "", now: datetime) -> ExpectedView:
    """Pre-register a visitor (from the screen, or `deskconsole visitor expect`)."""
    name = clean(name, field="name", limit=64, required=True)
    if purpose not in purpose_codes():
        raise DeskError("reception.error.choice", field="purpose")
    e = ExpectedVisit(expected_at=when, name=name, honorific=honorific or "",
                      phone=normalise(phone), unit=clean(unit, field="unit", limit=64),
                      host=clean(host, field="host", limit=64), purpose=purpose,
                      party_size=parse_party(party_size),
                      note=clean_optional(note, field="note", limit=500), created_at=now,
                      created_by=actor.operator_id if actor else None)
    session.add(e)
    session.flush()
    stamps = actor.stamps() if actor else {}
    audit.record(session, at=now, action="create", entity="expected_visit", entity_id=e.id,
                 after={"name": name, "expected_at": when.isoformat()}, **stamps)
    return _expected_view(e)


def expected_on(session: Session, day_start: datetime, *, limit: int = 100) -> list[ExpectedView]:
    """Expected visitors of one local day not yet arrived or cancelled (index on expected_at)."""
    rows = session.execute(
        select(ExpectedVisit).where(and_(ExpectedVisit.expected_at >= day_start,
                                         ExpectedVisit.expected_at < day_start + timedelta(days=1)),
                                    ExpectedVisit.arrived_at.is_(None),
                                    ExpectedVisit.cancelled_at.is_(None))
        .order_by(ExpectedVisit.expected_at, ExpectedVisit.id).limit(limit)).scalars()
    return [_expected_view(r) for r in rows]


def expected_today(session: Session, *, now: datetime, tz: ZoneInfo) -> list[ExpectedView]:
    local = now.astimezone(tz)
    return expected_on(session, datetime.combine(local.date(), time(0), tz))


def write_roll_call(path, roll: RollCall, actor: Actor | None, t, tz: ZoneInfo, *,
                    fmt: str, now: datetime, site: str):
    """Write the roll call as CSV (UTF-8 with BOM) or plain text; returns the path.
    A local file: printable and readable with the network (or the database) down."""
    from pathlib import Path

    path = Path(path)
    if fmt == "csv":
        content, encoding = roll_call_csv(roll, actor, t, tz), "utf-8-sig"
    elif fmt == "text":
        content, encoding = roll_call_text(roll, actor, t, tz, now=now, site=site), "utf-8"
    else:
        raise DeskError("reception.error.format", fmt=fmt)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding=encoding, newline="") as fh:
            fh.write(content)
    except OSError as exc:
        raise DeskError("reception.error.write", path=str(path), reason=exc.strerror or str(exc)) from None
    return path
