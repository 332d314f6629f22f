"""The five elements of service (DOMAIN §4-§6): the checklist as data, scoring, self-checks,
supervisor inspections, history and trends, and the figures the shift summary shows.

The checklist is `data/etiquette_checklist.toml` (or a company file, `config.checklist_path`),
loaded and validated by services/etiquette_checklist.py (re-exported here).

Scoring (decided here, documented in the README): a self-check marks each item pass / fail /
n.a. (pass = 1 of 1 point); an inspection scores 0 (not met), 1 (partly) or 2 (fully), n.a.
leaves the item out of the maximum. Scores are summed per element and in total.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlmodel import Session

from deskconsole.models import EtiquetteCheck, EtiquetteResult, Operator, Shift
from deskconsole.services import audit
from deskconsole.services.context import Actor
from deskconsole.services.errors import DeskError
from deskconsole.services.etiquette_checklist import (  # noqa: F401 - the public API
    CHECKLIST_FILE,
    ELEMENTS,
    INSPECTION_KINDS,
    SCALES,
    SECTIONS,
    Checklist,
    ChecklistError,
    Item,
    Labelled,
    load_checklist,
    parse_checklist,
    read_checklist,
)
from deskconsole.services.text import clean, clean_optional


# -- scoring ----------------------------------------------------------------------------
def points(result: str) -> tuple[int, int]:
    """(points, maximum) of one result: pass 1/1, fail 0/1, "0".."2" n/2, n.a. 0/0."""
    if result == "pass":
        return 1, 1
    if result == "fail":
        return 0, 1
    if result in ("0", "1", "2"):
        return int(result), 2
    return 0, 0


@dataclass
class Score:
    total: int = 0
    maximum: int = 0
    by_element: dict[str, tuple[int, int]] = field(default_factory=dict)

    @staticmethod
    def percent(pts: int, maximum: int) -> float | None:
        return None if maximum == 0 else round(100.0 * pts / maximum, 1)

    def element_percent(self, element: str) -> float | None:
        return self.percent(*self.by_element.get(element, (0, 0)))


def score(results: Mapping[str, str], element_of: Mapping[str, str]) -> Score:
    """Sum the results (item id -> result) per element (item id -> element) and in total."""
    out = Score()
    for item_id, result in results.items():
        pts, mx = points(result)
        el = element_of[item_id]
        p0, m0 = out.by_element.get(el, (0, 0))
        out.by_element[el] = (p0 + pts, m0 + mx)
        out.total += pts
        out.maximum += mx
    return out


def check_complete(items: list[Item], scale: str, results: Mapping[str, str],
                   notes: Mapping[str, str]) -> list[tuple[Item, str, str | None]]:
    allowed = SCALES[scale]
    unknown = set(results) - {i.id for i in items}
    if unknown:
        raise DeskError("etiquette.error.unknown_item", item=", ".join(sorted(unknown)))
    out = []
    for item in items:
        value = results.get(item.id)
        if value not in allowed:
            raise DeskError("etiquette.error.unanswered", field=f"item-{item.id}", item=item.id)
        note = clean_optional(notes.get(item.id), field="note", limit=500)
        out.append((item, value, note))
    return out


def _save(session: Session, actor: Actor, checklist: Checklist, *, kind: str, operator_id: int,
          rows: list[tuple[Item, str, str | None]], skipped: bool = False,
          comments: str | None = None, inspector_id: int | None = None,
          about: Shift | None = None) -> EtiquetteCheck:
    now = actor.clock.now()
    sc = score({i.id: v for i, v, _ in rows}, {i.id: i.element for i, _, _ in rows})
    # A self-check is the actor's own shift's; an inspection belongs to the shift it is about
    # (its operator's work, at that desk), wherever the inspector signs it.
    shift_id, desk_id = (actor.shift_id, actor.desk_id) if kind == "self" else (
        (about.id, about.desk_id) if about is not None else (None, None))
    check = EtiquetteCheck(kind=kind, operator_id=operator_id, inspector_id=inspector_id,
                           shift_id=shift_id, desk_id=desk_id,
                           at=now, checklist_version=checklist.version, skipped=skipped,
                           score=sc.total, max_score=sc.maximum, comments=comments, signed_at=now,
                           seen_at=now if kind == "self" else None)
    session.add(check)
    session.flush()
    for item, value, note in rows:
        session.add(EtiquetteResult(check_id=check.id, item_id=item.id, element=item.element,
                                    result=value, note=note))
    audit.record_for(session, actor, "skip" if skipped else "create", "etiquette_check", check.id,
                     after={"kind": kind, "operator_id": operator_id, "score": sc.total,
                            "max_score": sc.maximum, "version": checklist.version})
    return check


def has_self_check(session: Session, shift_id: int) -> bool:
    """Done or skipped: the offer after sign-on is made once per shift."""
    return session.execute(select(EtiquetteCheck.id).where(
        EtiquetteCheck.shift_id == shift_id, EtiquetteCheck.kind == "self").limit(1)).first() is not None


def save_self_check(session: Session, actor: Actor, checklist: Checklist, results: Mapping[str, str],
                    notes: Mapping[str, str] | None = None) -> int:
    """DOMAIN §5: the start-of-shift grooming and readiness check; every item answered."""
    rows = check_complete(checklist.self_items(), checklist.self_scale, results, notes or {})
    return _save(session, actor, checklist, kind="self", operator_id=actor.operator_id, rows=rows).id


def skip_self_check(session: Session, actor: Actor, checklist: Checklist) -> int:
    """A skipped self-check is recorded (the supervisor sees skips in the figures)."""
    return _save(session, actor, checklist, kind="self", operator_id=actor.operator_id, rows=[],
                 skipped=True).id


def save_inspection(session: Session, actor: Actor, checklist: Checklist, *, kind: str,
                    operator_id: int, results: Mapping[str, str],
                    notes: Mapping[str, str] | None = None, comments: str = "",
                    shift_id: int | None = None) -> int:
    """DOMAIN §6: a supervisor scores another operator; call through `sign_inspection`. The
    inspection is stored with the shift it is about (`shift_id`, else the operator's latest
    shift) and that shift's desk, so it counts in that shift's and desk's figures; the
    inspector is kept apart (`inspector_id`)."""
    actor.require_supervisor("etiquette.action.inspect")
    if kind not in INSPECTION_KINDS:
        raise DeskError("etiquette.error.kind", field="kind", kinds=", ".join(INSPECTION_KINDS))
    subject = session.get(Operator, operator_id)
    if subject is None or not subject.active:
        raise DeskError("etiquette.error.no_subject", field="operator")
    if subject.id == actor.operator_id:
        raise DeskError("etiquette.error.self_inspection", field="operator")
    about = _shift_inspected(session, subject.id, shift_id, actor.clock.now())
    rows = check_complete(checklist.inspection_items(), checklist.inspection_scale, results, notes or {})
    text = clean(comments, field="comments", limit=2000, multiline=True) or None
    return _save(session, actor, checklist, kind=kind, operator_id=operator_id, rows=rows,
                 comments=text, inspector_id=actor.operator_id, about=about).id


def _shift_inspected(session: Session, operator_id: int, shift_id: int | None, now: datetime) -> Shift | None:
    """The shift picked (it must be the inspected operator's), or their latest one begun by now."""
    if shift_id is not None:
        shift = session.get(Shift, shift_id)
        if shift is None or shift.operator_id != operator_id:
            raise DeskError("etiquette.error.not_their_shift", field="shift", shift_id=shift_id)
        return shift
    return session.execute(select(Shift).where(Shift.operator_id == operator_id, Shift.started_at <= now)
                           .order_by(Shift.started_at.desc(), Shift.id.desc()).limit(1)).scalar_one_or_none()


def sign_inspection(store, actor: Actor, checklist: Checklist, *, pin: str, **fields) -> int:
    """The supervisor's PIN signs the inspection: checked (a wrong PIN counts towards the
    lockout, field "pin"), then the inspection is saved in one transaction."""
    from deskconsole.services.operators import authenticate_in

    actor.require_supervisor("etiquette.action.inspect")
    authenticate_in(store, staff_no=actor.staff_no, pin=pin, now=actor.clock.now())
    return store.write(lambda s: save_inspection(s, actor, checklist, **fields))


# -- reading ----------------------------------------------------------------------------
@dataclass(frozen=True)
class CheckSummary:
    id: int
    kind: str
    at: datetime
    operator_id: int
    inspector_name: str | None
    skipped: bool
    score: int
    max_score: int
    version: str
    comments: str | None
    seen_at: datetime | None
    by_element: dict[str, tuple[int, int]]

    @property
    def percent(self) -> float | None:
        return Score.percent(self.score, self.max_score)


def _summaries(session: Session, checks: list[EtiquetteCheck]) -> list[CheckSummary]:
    ids = [c.id for c in checks]
    per: dict[int, dict[str, tuple[int, int]]] = {i: {} for i in ids}
    if ids:
        # The three columns counted, not whole rows: 50 checks are ~1,400 results (F5's history).
        for check_id, element, result, n in session.execute(
                select(EtiquetteResult.check_id, EtiquetteResult.element, EtiquetteResult.result, func.count())
                .where(EtiquetteResult.check_id.in_(ids))
                .group_by(EtiquetteResult.check_id, EtiquetteResult.element, EtiquetteResult.result)):
            p, m = points(result)
            p0, m0 = per[check_id].get(element, (0, 0))
            per[check_id][element] = (p0 + p * n, m0 + m * n)
    names = {}
    inspector_ids = {c.inspector_id for c in checks if c.inspector_id}
    if inspector_ids:
        names = dict(session.execute(select(Operator.id, Operator.name).where(Operator.id.in_(inspector_ids))).all())
    return [CheckSummary(c.id, c.kind, c.at, c.operator_id, names.get(c.inspector_id), c.skipped, c.score,
                         c.max_score, c.checklist_version, c.comments, c.seen_at, per[c.id]) for c in checks]


def history(session: Session, operator_id: int, limit: int = 50) -> list[CheckSummary]:
    """The operator's checks, newest first (indexed on operator_id, at)."""
    checks = session.execute(select(EtiquetteCheck).where(EtiquetteCheck.operator_id == operator_id)
                             .order_by(EtiquetteCheck.at.desc(), EtiquetteCheck.id.desc()).limit(limit)).scalars().all()
    return _summaries(session, list(checks))


def unseen(session: Session, operator_id: int) -> list[CheckSummary]:
    """Inspections of this operator they have not yet seen (shown on their F5)."""
    checks = session.execute(select(EtiquetteCheck).where(
        EtiquetteCheck.operator_id == operator_id, EtiquetteCheck.kind != "self",
        EtiquetteCheck.seen_at.is_(None)).order_by(EtiquetteCheck.at.desc()).limit(20)).scalars().all()
    return _summaries(session, list(checks))


def mark_seen(session: Session, actor: Actor, check_ids: list[int]) -> int:
    """Only the inspected operator marks their own results seen."""
    checks = session.execute(select(EtiquetteCheck).where(
        EtiquetteCheck.id.in_(check_ids), EtiquetteCheck.operator_id == actor.operator_id,
        EtiquetteCheck.seen_at.is_(None))).scalars().all()
    for c in checks:
        c.seen_at = actor.clock.now()
        session.add(c)
        audit.record_for(session, actor, "seen", "etiquette_check", c.id)
    return len(checks)


def trend(summaries: list[CheckSummary]) -> dict[str, list[float]]:
    """Per element, the inspection percentages oldest first (for a sparkline)."""
    out: dict[str, list[float]] = {e: [] for e in ELEMENTS}
    for s in sorted((s for s in summaries if s.kind != "self"), key=lambda s: (s.at, s.id)):
        for el in ELEMENTS:
            pct = Score.percent(*s.by_element.get(el, (0, 0)))
            if pct is not None:
                out[el].append(pct)
    return out


def check_results(session: Session, check_id: int) -> list[EtiquetteResult]:
    return list(session.execute(select(EtiquetteResult).where(EtiquetteResult.check_id == check_id)
                                .order_by(EtiquetteResult.id)).scalars())


def etiquette_figures(session: Session, start_utc: datetime, end_utc: datetime, *,
                      desk_id: int | None = None, operator_id: int | None = None) -> dict:
    """Etiquette figures for the shift engineer's summary, over checks made in
    [start_utc, end_utc) (half-open, by EtiquetteCheck.at), optionally at one desk and/or of
    one checked operator; computed by the summary's etiquette section (one computation for F5
    and F6). Returns a plain dict:

    - "self_checks_done": self-checks completed (not skipped)
    - "self_checks_skipped": self-checks offered and skipped
    - "self_checks_passed": completed self-checks with no item failed
    - "inspections": supervisor inspections (daily, weekly and monthly)
    - "inspection_average": average inspection score in percent (None without inspections)
    - "element_average": {"A".."E": average percent over inspections, None if never scored}
    """
    from deskconsole.services.summary.etiquette import figures_between

    figures, inspections = figures_between(session, start_utc, end_utc, desk_id=desk_id, operator_id=operator_id)
    return {
        "self_checks_done": figures.self_checks_done,
        "self_checks_skipped": figures.self_checks_skipped,
        "self_checks_passed": figures.self_checks_passed,
        "inspections": inspections,
        "inspection_average": figures.inspection_average_pct,
        "element_average": dict(figures.element_average_pct),
    }
