"""The form behind each ticket action key: which fields it asks for and which service it calls.
Each write is one short transaction (a few rows), run synchronously so the refusal lands
under its field at once."""

from __future__ import annotations

from deskconsole.services import tickets
from deskconsole.services.phone_numbers import mask_for
from deskconsole.services.tickets import followups
from deskconsole.ui.modals.ticket_action import Field, TicketActionModal
from deskconsole.ui.widgets.ticket_labels import (
    category_options,
    department_options,
    priority_options,
    satisfaction_options,
    sla_rules,
)


def run(screen, action: str) -> None:
    app = screen.app
    t = app.t
    tk = screen.detail.ticket
    tid = tk.id
    rules = sla_rules(app)

    def write(fn):
        return app.store.write(lambda s: fn(s, app.actor))

    def modal(fields: list[Field], submit, hint: str = "") -> None:
        title = t("tickets.modal_title", action=t(f"tickets.do.{action}"), id=tid)
        app.push_screen(TicketActionModal(title, fields, submit, hint=hint), screen.done)

    note = Field("ticket_note", t("field.ticket_note"), max_length=2000)
    reason = Field("ticket_reason", t("field.ticket_reason"))

    if action == "start":
        _now(screen, lambda s, a: tickets.start(s, a, tid))
    elif action == "close":
        from deskconsole.ui.modals.confirm import ConfirmModal

        def closed(yes: bool | None) -> None:
            if yes:
                _now(screen, lambda s, a: tickets.close(s, a, tid))

        app.push_screen(ConfirmModal(t("tickets.confirm_close", id=tid)), closed)
    elif action == "assign":
        modal([Field("ticket_assignee", t("field.ticket_assignee"), value=tk.assignee_text or "", max_length=64),
               Field("ticket_department", t("field.ticket_department"), department_options(t), tk.department or ""),
               note],
              lambda v: write(lambda s, a: tickets.assign_to(
                  s, a, tid, who=v["ticket_assignee"], department=v["ticket_department"] or None,
                  note=v["ticket_note"])),
              hint=t("tickets.hint.assign"))
    elif action == "escalate":
        modal([reason], lambda v: write(lambda s, a: tickets.escalate(s, a, tid, reason=v["ticket_reason"])),
              hint=t("tickets.hint.escalate"))
    elif action == "check":
        modal([note], lambda v: write(lambda s, a: tickets.check(s, a, tid, finding=v["ticket_note"], rules=rules)),
              hint=t("tickets.hint.check"))
    elif action == "note":
        modal([note], lambda v: write(lambda s, a: tickets.add_note(s, a, tid, note=v["ticket_note"])),
              hint=t("tickets.hint.note"))
    elif action == "resolve":
        modal([note], lambda v: write(lambda s, a: tickets.resolve(s, a, tid, note=v["ticket_note"], rules=rules)),
              hint=t("tickets.hint.resolve"))
    elif action == "reopen":
        modal([reason], lambda v: write(lambda s, a: tickets.reopen(s, a, tid, reason=v["ticket_reason"],
                                                                     rules=rules)))
    elif action == "cancel":
        modal([reason], lambda v: write(lambda s, a: tickets.cancel(s, a, tid, reason=v["ticket_reason"])),
              hint=t("tickets.hint.cancel"))
    elif action == "edit":
        # The phone is left out: a receptionist only ever sees it masked (DOMAIN §1: privacy).
        modal([Field("ticket_priority", t("field.ticket_priority"), priority_options(t), tk.priority),
               Field("ticket_category", t("field.ticket_category"), category_options(t, tk.kind), tk.category or ""),
               Field("ticket_department", t("field.ticket_department"), department_options(t), tk.department or ""),
               Field("ticket_customer_name", t("field.ticket_customer_name"), value=tk.customer_name, max_length=64),
               Field("ticket_unit", t("field.ticket_unit"), value=tk.unit, max_length=64),
               Field("ticket_description", t("field.ticket_description"), value=tk.description, max_length=2000)],
              lambda v: write(lambda s, a: tickets.update_fields(
                  s, a, tid, {k.removeprefix("ticket_"): x for k, x in v.items()}, rules=rules)),
              hint=t("tickets.hint.edit"))
    elif action == "repair_step":
        _repair_step(screen, modal, write)
    elif action == "follow_up":
        hint = t("tickets.hint.follow_up", phone=mask_for(tk.phone, app.actor) or "-")
        modal([Field("ticket_satisfaction", t("field.ticket_satisfaction"), satisfaction_options(t), "satisfied"),
               Field("ticket_next", t("field.ticket_next"),
                     [("reopen", t("tickets.next.reopen")), ("escalate", t("tickets.next.escalate"))], "reopen"),
               Field("ticket_comment", t("field.ticket_comment"), max_length=1000)],
              lambda v: write(lambda s, a: followups.record(
                  s, a, tid, satisfaction=v["ticket_satisfaction"], comment=v["ticket_comment"],
                  if_dissatisfied=v["ticket_next"], rules=rules)),
              hint=hint)


def _repair_step(screen, modal, write) -> None:
    t = screen.app.t
    detail = screen.detail
    pending = [s for s in tickets.repair_steps() if s["code"] not in detail.steps]
    if not pending:
        screen.app.notify(t("tickets.error.steps_done"), severity="warning")
        return
    step = pending[0]
    label = step.get("zh" if t.language == "zh-CN" else "en") or step["code"]
    fields = []
    if step.get("fee"):
        fields.append(Field("ticket_fee", t("field.ticket_fee"), max_length=16))
    fields.append(Field("ticket_note", t("field.ticket_note"), max_length=200))
    modal(fields, lambda v: write(lambda s, a: tickets.tick_repair_step(
        s, a, detail.ticket.id, note=v["ticket_note"], fee=v.get("ticket_fee"))),
        hint=t("tickets.hint.repair_step", step=label))


def _now(screen, fn) -> None:
    """An action without a form: write, then reload (a refusal is a notification)."""
    from deskconsole.services.errors import DeskError

    app = screen.app
    try:
        app.store.write(lambda s: fn(s, app.actor))
    except DeskError as error:
        app.notify(error.message(app.t), severity="error")
        return
    screen.done(True)
