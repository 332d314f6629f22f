"""Etiquette figures of a period (DOMAIN §4-§6): the start-of-shift self-check and the
supervisors' inspections (日检 / 周检 / 月检). Computed from `etiquette_check` directly, by
the indexed `at` column, so this section never depends on how the etiquette screen is built.

- self_checks_done / self_checks_skipped; self_check_score / self_check_max / _pct: the
  points of the self-checks done (skipped ones carry none).
- inspections: not-skipped checks of kind daily/weekly/monthly; inspections_by_kind;
  inspection_score / inspection_max / _pct.
- failed_items: items marked "fail" (or scored 0) in those checks.
- self_checks_passed: self-checks done with every point scored; inspection_average_pct: the
  mean of the inspections' percents (skipped and unscored ones left out); element_average_pct:
  per element A-E (DOMAIN §4), the mean of the inspections' percents of that element, scored
  as `services.etiquette.points` does. `services.etiquette.etiquette_figures` (F5) returns
  these same figures, computed here, so F5 and F6 agree.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime

from sqlalchemy import case, func, select
from sqlmodel import Session

from deskconsole.models import EtiquetteCheck, EtiquetteResult
from deskconsole.models.etiquette import CHECK_KINDS
from deskconsole.services.etiquette_checklist import ELEMENTS
from deskconsole.services.summary import sql
from deskconsole.services.summary.calls import pct
from deskconsole.services.summary.period import Period
from deskconsole.services.summary.sql import count_if

INSPECTION_KINDS = tuple(k for k in CHECK_KINDS if k != "self")
FAILED = ("fail", "0")


@dataclass(frozen=True)
class EtiquetteFigures:
    self_checks_done: int = 0
    self_checks_skipped: int = 0
    self_check_score: int = 0
    self_check_max: int = 0
    self_check_pct: float | None = None
    inspections: int = 0
    inspections_by_kind: dict[str, int] = field(default_factory=lambda: {k: 0 for k in INSPECTION_KINDS})
    inspection_score: int = 0
    inspection_max: int = 0
    inspection_pct: float | None = None
    failed_items: int = 0
    self_checks_passed: int = 0
    inspection_average_pct: float | None = None
    element_average_pct: dict[str, float | None] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)


_C = EtiquetteCheck.__table__.c
_R = EtiquetteResult.__table__.c


def _statements(desk: bool, operator: bool, shift: bool = False) -> tuple:
    """The period's checks (oldest first), and per check and element the points, maximum and
    failed items of its results (services.etiquette.points, as a CASE)."""
    # operator: the person checked; shift: the shift of the work checked
    where = sql.in_period(_C.at, _C.desk_id, desk, _C.operator_id, operator, _C.shift_id, shift)
    checks = select(_C.id, _C.kind, _C.skipped, _C.score, _C.max_score).where(*where).order_by(_C.at, _C.id)
    pts = case((_R.result == "pass", 1), (_R.result == "1", 1), (_R.result == "2", 2), else_=0)
    mx = case((_R.result.in_(("pass", "fail")), 1), (_R.result.in_(("0", "1", "2")), 2), else_=0)
    elements = select(_R.check_id, _R.element, func.sum(pts), func.sum(mx), count_if(_R.result.in_(FAILED))).join(
        EtiquetteCheck.__table__, _C.id == _R.check_id).where(*where).group_by(_R.check_id, _R.element)
    return checks, elements


def etiquette_figures(session: Session, period: Period, *, desk_id: int | None = None,
                      operator_id: int | None = None) -> EtiquetteFigures:
    return figures_between(session, period.start, period.end, desk_id=desk_id, operator_id=operator_id,
                           shift_id=period.shift_id)[0]


def figures_between(session: Session, start: datetime, end: datetime, *, desk_id: int | None = None,
                    operator_id: int | None = None, shift_id: int | None = None) -> tuple[EtiquetteFigures, int]:
    """The figures of checks made in [start, end) (or of one shift's work), and how many checks
    were not self-checks (skipped ones included: the F5 count). Two statements, whatever the period."""
    conn = session.connection()
    flags = (desk_id is not None, operator_id is not None, shift_id is not None)
    checks_stmt, elements_stmt = sql.statements(("etiquette", *flags), lambda: _statements(*flags))
    params = {"start": start, "end": end, "desk_id": desk_id, "operator_id": operator_id, "shift_id": shift_id}
    checks = conn.execute(checks_stmt, params).all()
    done = skipped = s_score = s_max = insp = i_score = i_max = passed = failed = 0
    kinds = {k: 0 for k in INSPECTION_KINDS}
    pcts: list[float] = []
    for _id, kind, was_skipped, score, max_score in checks:
        if kind != "self" and max_score:
            pcts.append(_percent(score, max_score))
        if was_skipped:
            skipped += kind == "self"
            continue
        if kind == "self":
            done += 1
            passed += score == max_score
            s_score += score or 0
            s_max += max_score or 0
        elif kind in kinds:
            insp += 1
            kinds[kind] += 1
            i_score += score or 0
            i_max += max_score or 0
    per: dict[int, dict[str, tuple[int, int]]] = {}
    if checks:
        counted = {c[0] for c in checks if not c[2]}
        for check_id, element, p, m, n_failed in conn.execute(elements_stmt, params):
            per.setdefault(check_id, {})[element] = (p, m)
            if check_id in counted:
                failed += n_failed
    element_average: dict[str, float | None] = {}
    for el in ELEMENTS:
        vals = [_percent(*pm) for c in checks if c[1] != "self" and (pm := per.get(c[0], {}).get(el)) and pm[1]]
        element_average[el] = round(sum(vals) / len(vals), 1) if vals else None
    return EtiquetteFigures(
        self_checks_passed=passed, inspection_average_pct=round(sum(pcts) / len(pcts), 1) if pcts else None,
        element_average_pct=element_average,
        self_checks_done=done, self_checks_skipped=skipped, self_check_score=s_score, self_check_max=s_max,
        self_check_pct=pct(s_score, s_max), inspections=insp, inspections_by_kind=kinds,
        inspection_score=i_score, inspection_max=i_max, inspection_pct=pct(i_score, i_max),
        failed_items=failed), sum(1 for c in checks if c[1] != "self")


def _percent(points: int, maximum: int) -> float:
    """services.etiquette.Score.percent, for a maximum above 0."""
    return round(100.0 * points / maximum, 1)
