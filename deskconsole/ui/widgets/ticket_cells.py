"""Cells of the ticket queue: time left coloured by the SLA (amber when due soon, red when
overdue), repair progress, escalation mark, the customer as addressed (X先生 / Mr X)."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text

from deskconsole.services.people import address
from deskconsole.services.phone_numbers import mask_for
from deskconsole.services.sla import time_left
from deskconsole.services.tickets.workflow import OPEN

# (catalog key, width); 0 = as wide as its longest label; the request column takes what is left.
_COLUMNS = (("tickets.col.id", 6), ("tickets.col.kind", 0), ("tickets.col.priority", 0),
            ("tickets.col.customer", 11), ("tickets.col.unit", 9), ("tickets.col.request", -1),
            ("tickets.col.department", 9), ("tickets.col.status", 0), ("tickets.col.due", 8),
            ("tickets.col.progress", 5))
_NARROW_DROP = {"tickets.col.department"}
_NARROW_SHRINK = {"tickets.col.customer", "tickets.col.unit"}
_LABELLED = {"tickets.col.kind": "tickets.kind.", "tickets.col.priority": "tickets.priority.",
             "tickets.col.status": "tickets.status."}
SLA_STYLE = {"overdue": "bold red", "soon": "bold yellow", "ok": "", "none": "dim"}


def _label_width(t, key: str) -> int:
    from deskconsole.models.tickets import PRIORITIES, TICKET_KINDS, TICKET_STATUSES

    codes = {"tickets.col.kind": TICKET_KINDS, "tickets.col.priority": PRIORITIES,
             "tickets.col.status": TICKET_STATUSES}[key]
    return max(cell_len(t(key)), *(cell_len(t(_LABELLED[key] + c)) for c in codes)) + 1


def _columns(t, width: int) -> list[tuple[str, int]]:
    """Column widths in cells, each with one cell of space after it (the table has no padding)."""
    narrow = width < 90
    cols = [(k, _label_width(t, k) if w == 0 else (w - 2 if narrow and k in _NARROW_SHRINK else w))
            for k, w in _COLUMNS if not narrow or k not in _NARROW_DROP]
    fixed = sum(w for _, w in cols if w > 0) + 2  # the scrollbar
    return [(k, max(8, width - fixed) if w < 0 else w) for k, w in cols]


def queue_columns(t, width: int) -> list[tuple[str, int]]:
    return [(t(key), w) for key, w in _columns(t, width)]


def clip(text: str, width: int) -> str:
    """Cut to `width` terminal cells (CJK counts two), marking the cut with '..'."""
    text = " ".join((text or "").split())
    if cell_len(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = cell_len(ch)
        if used + w > width - 2:
            break
        out.append(ch)
        used += w
    return "".join(out) + ".."


def queue_rows(app, rows, now, rules, width: int) -> list[list]:
    """The cells of each row; the column widths and department labels are looked up once
    (per row they were a third of refilling the queue)."""
    from deskconsole.ui.widgets.ticket_labels import department_options

    request = dict(_columns(app.t, width))["tickets.col.request"] - 1
    departments = dict(department_options(app.t)) if width >= 90 else {}
    return [queue_cells(app, row, now, rules, width, request_width=request, departments=departments)
            for row in rows]


def queue_cells(app, row, now, rules, width: int, *, request_width: int | None = None,
                departments: dict | None = None) -> list:
    t = app.t
    wide = width >= 90
    state = rules.state(row.due_at, now) if row.status in OPEN else "none"
    due = Text(time_left(row.due_at, now) if row.status in OPEN else "", style=SLA_STYLE[state])
    if row.status == "resolved" and row.follow_up_due:  # the follow-up call's time left
        due = Text(time_left(row.follow_up_due, now), style=SLA_STYLE[rules.state(row.follow_up_due, now)])
    progress_call = getattr(row, "progress_call_due", None)
    if progress_call is not None:  # the worklist: the progress call's time left (DOMAIN §3)
        due = Text(time_left(progress_call, now), style=SLA_STYLE[rules.state(progress_call, now)])
    ident = Text(f"{row.id}", style="bold red" if row.escalated_at and row.status in OPEN else "")
    if row.escalated_at and row.status in OPEN:
        ident.append("!")
    if row.kind == "repair":
        from deskconsole.services.tickets import repair_steps

        progress = f"{row.steps_done}/{len(repair_steps())}"
    else:
        progress = ""
    if progress_call is not None:
        progress = t("tickets.progress_call_tag")
    priority = Text(t(f"tickets.priority.{row.priority}"),
                    style="bold" if row.priority in ("high", "urgent") else "")
    customer = address(row.customer_name, row.honorific, t.language) or mask_for(row.phone, app.actor)
    cells = [ident, t(f"tickets.kind.{row.kind}"), priority, clip(customer, 10 if wide else 8), clip(row.unit, 8 if wide else 6),
             clip(row.description, request_width if request_width is not None
                  else dict(_columns(t, width))["tickets.col.request"] - 1)]
    if wide:
        if departments is None:
            from deskconsole.ui.widgets.ticket_labels import department_options

            departments = dict(department_options(t))
        label = departments.get(row.department, row.department) if row.department else ""
        cells.append(clip(label or (row.assignee_text or ""), 8))
    cells += [t(f"tickets.status.{row.status}"), due, progress]
    return cells
