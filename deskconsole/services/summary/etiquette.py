"""Etiquette figures of a period (DOMAIN §4-§6): the start-of-shift self-check and the
supervisors' inspections (日检 / 周检 / 月检). Computed from `etiquette_check` directly, by
the indexed `at` column, so this section never depends on how the etiquette screen is built.

- self_checks_done / self_checks_skipped; self_check_score / self_check_max / _pct: the
  points of the self-checks done (skipped ones carry none).
- inspections: not-skipped checks of kind daily/weekly/monthly; inspections_by_kind;
  inspection_score / inspection_max / _pct.
- failed_items: items marked "fail" (or scored 0) in those checks.
- self_checks_passed, inspection_average_pct (mean of the inspections' percents) and
  element_average_pct (A-E, DOMAIN §4) come from the etiquette feature's own
  `services.etiquette.etiquette_figures`, so F5 and F6 agree.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from sqlalchemy import select
from sqlmodel import Session

from deskconsole.models import EtiquetteCheck, EtiquetteResult
from deskconsole.models.etiquette import CHECK_KINDS
from deskconsole.services.summary.calls import pct
from deskconsole.services.summary.period import Period

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


def etiquette_figures(session: Session, period: Period, *, desk_id: int | None = None,
                      operator_id: int | None = None) -> EtiquetteFigures:
    where = [EtiquetteCheck.at >= period.start, EtiquetteCheck.at < period.end]
    if desk_id is not None:
        where.append(EtiquetteCheck.desk_id == desk_id)
    if operator_id is not None:
        where.append(EtiquetteCheck.operator_id == operator_id)  # the person checked
    rows = session.execute(select(EtiquetteCheck.id, EtiquetteCheck.kind, EtiquetteCheck.skipped,
                                  EtiquetteCheck.score, EtiquetteCheck.max_score).where(*where)).all()
    done = skipped = s_score = s_max = insp = i_score = i_max = 0
    kinds = {k: 0 for k in INSPECTION_KINDS}
    counted: list[int] = []
    for check_id, kind, was_skipped, score, max_score in rows:
        if was_skipped:
            skipped += kind == "self"
            continue
        counted.append(check_id)
        if kind == "self":
            done += 1
            s_score += score or 0
            s_max += max_score or 0
        elif kind in kinds:
            insp += 1
            kinds[kind] += 1
            i_score += score or 0
            i_max += max_score or 0
    failed = 0
    if counted:
        failed = len(session.execute(select(EtiquetteResult.id).join(
            EtiquetteCheck, EtiquetteCheck.id == EtiquetteResult.check_id).where(
            *where, EtiquetteCheck.skipped.is_(False), EtiquetteResult.result.in_(FAILED))).all())
    from deskconsole.services.etiquette import etiquette_figures as screen_figures

    shared = screen_figures(session, period.start, period.end, desk_id=desk_id, operator_id=operator_id)
    return EtiquetteFigures(
        self_checks_passed=shared["self_checks_passed"], inspection_average_pct=shared["inspection_average"],
        element_average_pct=dict(shared["element_average"]),
        self_checks_done=done, self_checks_skipped=skipped, self_check_score=s_score, self_check_max=s_max,
        self_check_pct=pct(s_score, s_max), inspections=insp, inspections_by_kind=kinds,
        inspection_score=i_score, inspection_max=i_max, inspection_pct=pct(i_score, i_max),
        failed_items=failed)
