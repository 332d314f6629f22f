"""Text blocks of the ticket view: the header, the repair checklist and history lines."""

from __future__ import annotations

from rich.text import Text

from deskconsole.services.people import address
from deskconsole.services.phone_numbers import mask_for
from deskconsole.services.sla import time_left
from deskconsole.services.tickets.workflow import OPEN
from deskconsole.ui.widgets.ticket_cells import SLA_STYLE, clip
from deskconsole.ui.widgets.ticket_labels import (
    category_label,
    department_label,
    linked_record_line,
    local,
    step_options,
)


def _who(names: dict, op_id: int | None) -> str:
    if op_id is None:
        return ""
    staff_no, name = names.get(op_id, ("?", ""))
    return f"{staff_no} {name}".strip()


def header_text(app, d) -> Text:
    t = app.t
    tk = d.ticket
    now = app.clock.now()
    text = Text()
    text.append(f"#{tk.id} {t(f'tickets.kind.{tk.kind}')}", style="bold")
    text.append(f"  {t(f'tickets.priority.{tk.priority}')}  {t(f'tickets.status.{tk.status}')}")
    if tk.status in OPEN and tk.due_at is not None:
        state = app.sla_rules.state(tk.due_at, now)
        text.append("  ")
        text.append(t("tickets.view.due", due=local(app, tk.due_at), left=time_left(tk.due_at, now)),
                    style=SLA_STYLE[state])
    if tk.escalated_at is not None:
        text.append("\n")
        text.append(t("tickets.view.escalated", at=local(app, tk.escalated_at), reason=tk.escalation_reason or ""),
                    style="bold red" if tk.status in OPEN else "")
    customer = address(tk.customer_name, tk.honorific, t.language)
    text.append("\n" + t("tickets.view.customer", who=customer or "-", phone=mask_for(tk.phone, app.actor) or "-",
                         unit=tk.unit or "-", source=t(f"tickets.source.{tk.source}")))
    linked = linked_record_line(app, tk.visit_id, tk.call_id)
    if linked:
        text.append("\n" + linked, style="italic")
    assignee = " / ".join(p for p in (_who(d.names, tk.assignee_id), tk.assignee_text or "",
                                      department_label(t, tk.department)) if p)
    text.append("\n" + t("tickets.view.owner", owner=_who(d.names, tk.first_owner_id), assignee=assignee or "-",
                         category=category_label(t, tk.category) or "-"))
    if tk.kind == "complaint":
        checked = local(app, tk.first_checked_at) if tk.first_checked_at else t("tickets.view.not_checked")
        text.append("\n" + t("tickets.view.checked", at=checked),
                    style="" if tk.first_checked_at else "bold yellow")
    if tk.cancel_reason:
        text.append("\n" + t("tickets.view.cancelled", reason=tk.cancel_reason), style="bold")
    text.append("\n" + tk.description, style="bold")
    return text


def repair_text(app, d) -> Text:
    """DOMAIN §3 (001 §5.2.5.4): the in-home repair steps, ticked in order."""
    t = app.t
    steps = step_options(t)
    text = Text(t("tickets.view.repair", done=len(d.steps), total=len(steps)), style="bold")
    for code, label in steps:
        done = d.steps.get(code)
        skipped = done is not None and done.skipped
        text.append("\n")
        text.append("[-] " if skipped else "[x] " if done else "[ ] ",
                    style="yellow" if skipped else "green" if done else "dim")
        text.append(label)
        if skipped:
            text.append(f"  ({t('tickets.view.skipped')})", style="yellow")
        if done:
            text.append(f"  {local(app, done.done_at)} {_who(d.names, done.operator_id)}", style="dim")
            if done.note:
                text.append(f"  {done.note}", style="dim")
    if d.ticket.fee_amount is not None:
        text.append("\n" + t("tickets.view.fee", amount=f"{d.ticket.fee_amount:.2f}",
                             currency=d.ticket.fee_currency or ""))
    return text


def event_text(app, ev, width: int, names: dict | None = None) -> str:
    """One line of the history timeline."""
    t = app.t
    kind = ev.kind
    if kind == "status":
        body = t("tickets.event.status", old=t(f"tickets.status.{ev.old}"), new=t(f"tickets.status.{ev.new}"))
    elif kind == "created":
        body = t("tickets.event.created", kind=t(f"tickets.kind.{ev.new}"))
    elif kind == "follow_up":
        body = t("tickets.event.follow_up", satisfaction=t(f"tickets.satisfaction.{ev.new}"))
    elif kind == "repair":
        body = t("tickets.event.repair_skipped" if ev.field_name == "skipped" else "tickets.event.repair",
                 step=dict(step_options(t)).get(ev.new, ev.new or ""))
    elif kind in ("field", "assign"):
        body = t("tickets.event.field", field=_field_label(t, ev.field_name),
                 old=_value(app, ev.field_name, ev.old, names), new=_value(app, ev.field_name, ev.new, names))
    else:
        body = t(f"tickets.event.{kind}")
    if ev.note and kind != "created":
        body = t("tickets.event.with_note", body=body, note=ev.note)
    return clip(body, width)


def _field_label(t, name: str | None) -> str:
    # "assignee": what demo stores made before 2026-12-03 wrote for an assignment.
    labels = {"assignee_id": "tickets.view.assignee_field", "assignee_text": "tickets.view.assignee_field",
              "assignee": "tickets.view.assignee_field",
              "department": "field.ticket_department", "priority": "field.ticket_priority",
              "category": "field.ticket_category", "description": "field.ticket_description",
              "customer_name": "field.ticket_customer_name", "honorific": "field.ticket_honorific",
              "phone": "field.ticket_phone", "unit": "field.ticket_unit", "fee": "field.ticket_fee",
              "due_at": "tickets.view.due_field"}
    return t(labels.get(name or "", "")) if name in labels else (name or "")


def _value(app, field: str | None, value: str | None, names: dict | None) -> str:
    t = app.t
    if value in (None, ""):
        return "-"
    if field == "department":
        return department_label(t, value)
    if field == "category":
        return category_label(t, value)
    if field == "priority":
        return t(f"tickets.priority.{value}")
    if field == "phone":
        return mask_for(value, app.actor)
    if field == "due_at":
        from datetime import datetime

        return local(app, datetime.fromisoformat(value))
    if field == "assignee_id":
        return _who(names or {}, int(value))
    return value
