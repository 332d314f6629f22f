"""Labels and options for ticket screens: codes from the models and data/ catalogs shown in the
current language. One place, so the queue, the view, the form and the modals agree."""

from __future__ import annotations

from deskconsole.models.tickets import PRIORITIES, SATISFACTION, TICKET_KINDS
from deskconsole.services.people import HONORIFICS, honorific_label


def _lang_key(t) -> str:
    return "zh" if t.language == "zh-CN" else "en"


def kind_options(t) -> list[tuple[str, str]]:
    return [(k, t(f"tickets.kind.{k}")) for k in TICKET_KINDS]


def priority_options(t) -> list[tuple[str, str]]:
    return [(p, t(f"tickets.priority.{p}")) for p in PRIORITIES]


def source_options(t) -> list[tuple[str, str]]:
    from deskconsole.services.tickets import SOURCES

    return [(s, t(f"tickets.source.{s}")) for s in SOURCES]


def satisfaction_options(t) -> list[tuple[str, str]]:
    return [(s, t(f"tickets.satisfaction.{s}")) for s in SATISFACTION]


def honorific_options(t) -> list[tuple[str, str]]:
    return [("", t("tickets.none"))] + [(c, honorific_label(c, t.language) or c) for c in HONORIFICS]


def category_options(t, kind: str) -> list[tuple[str, str]]:
    from deskconsole.services.tickets import categories

    key = _lang_key(t)
    return [("", t("tickets.none"))] + [
        (c["code"], c.get(key) or c["code"]) for c in categories() if kind in c.get("kinds", TICKET_KINDS)]


def department_options(t) -> list[tuple[str, str]]:
    from deskconsole import catalogs

    return [("", t("tickets.none"))] + catalogs.codes_with_labels("departments.toml", "department", t.language)


def department_label(t, code: str | None) -> str:
    if not code:
        return ""
    return dict(department_options(t)).get(code, code)


def category_label(t, code: str | None) -> str:
    if not code:
        return ""
    from deskconsole.services.tickets import categories

    key = _lang_key(t)
    return next((c.get(key) or code for c in categories() if c["code"] == code), code)


def step_options(t) -> list[tuple[str, str]]:
    from deskconsole.services.tickets import repair_steps

    key = _lang_key(t)
    return [(s["code"], s.get(key) or s["code"]) for s in repair_steps()]


def local(app, when) -> str:
    return "" if when is None else f"{when.astimezone(app.config.tz):%m-%d %H:%M}"


def linked_record_line(app, visit_id: int | None, call_id: int | None) -> str:
    """'From call #12 at 11-25 09:03: <summary>' for a ticket opened from a visit or a call."""
    if not (visit_id or call_id):
        return ""
    from deskconsole.models import Call, Visit
    from deskconsole.services.people import address

    t = app.t
    with app.store.read() as s:
        if call_id:
            call = s.get(Call, call_id)
            if call is None:
                return ""
            who = address(call.caller_name, call.honorific, t.language)
            return t("tickets.linked.call", id=call.id, at=local(app, call.started_at), who=who,
                     summary=call.summary or "")
        visit = s.get(Visit, visit_id)
        if visit is None:
            return ""
        who = address(visit.name, visit.honorific, t.language)
        return t("tickets.linked.visit", id=visit.id, at=local(app, visit.arrived_at), who=who,
                 unit=visit.unit or "")
