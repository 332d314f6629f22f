"""What each ticket action key asks and which service it calls, as a table: an action is an
`ActionSpec` (its form's fields, the service call its values make, the hint over the form).
`run(screen, action)` shows the form, or writes at once for an action without one.
Each write is one short transaction, saved off the event loop (ui/store_work.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from deskconsole.services import tickets
from deskconsole.services.phone_numbers import hold, mask_for
from deskconsole.services.tickets import followups, progress_calls
from deskconsole.ui.modals.ticket_action_form import Dial, Field, TicketActionModal
from deskconsole.ui.store_work import save
from deskconsole.ui.widgets.ticket_labels import (
    category_options,
    department_options,
    priority_options,
    satisfaction_options,
)

Write = Callable[[Any, Any], object]  # fn(session, actor), run in one store write


@dataclass(frozen=True)
class Ctx:
    """What a spec may read: the catalog, the ticket shown, the SLA rules, the signed-on actor."""

    t: Any
    detail: Any
    rules: Any
    actor: Any

    @property
    def ticket(self):
        return self.detail.ticket


class NothingToDo(Exception):
    """Raised by a spec's `fields` when the action has nothing left to ask (a warning key)."""


@dataclass(frozen=True)
class ActionSpec:
    submit: Callable[[Ctx, dict], Write]
    fields: Callable[[Ctx], list[Field]] | None = None  # None: no form, write at once
    hint: str | Callable[[Ctx], str] | None = None  # a catalog key, or built from the ticket
    confirm: str | None = None  # without a form: ask this y/n question first
    dials: bool = False  # the action is a call to the customer: Ctrl+D shows the number to dial


def _note(c: Ctx) -> list[Field]:
    return [Field("ticket_note", c.t("field.ticket_note"), max_length=2000)]


def _reason(c: Ctx) -> list[Field]:
    return [Field("ticket_reason", c.t("field.ticket_reason"))]


def _assign_fields(c: Ctx) -> list[Field]:
    tk = c.ticket
    return [Field("ticket_assignee", c.t("field.ticket_assignee"), value=tk.assignee_text or "", max_length=64),
            Field("ticket_department", c.t("field.ticket_department"), department_options(c.t), tk.department or ""),
            *_note(c)]


def _edit_fields(c: Ctx) -> list[Field]:
    # The phone is left out: a receptionist only ever sees it masked (DOMAIN §1: privacy).
    t, tk = c.t, c.ticket
    return [Field("ticket_priority", t("field.ticket_priority"), priority_options(t), tk.priority),
            Field("ticket_category", t("field.ticket_category"), category_options(t, tk.kind), tk.category or ""),
            Field("ticket_department", t("field.ticket_department"), department_options(t), tk.department or ""),
            Field("ticket_customer_name", t("field.ticket_customer_name"), value=tk.customer_name, max_length=64),
            Field("ticket_unit", t("field.ticket_unit"), value=tk.unit, max_length=64),
            Field("ticket_description", t("field.ticket_description"), value=tk.description, max_length=2000)]


def _follow_up_fields(c: Ctx) -> list[Field]:
    t = c.t
    return [Field("ticket_satisfaction", t("field.ticket_satisfaction"), satisfaction_options(t), "satisfied"),
            Field("ticket_next", t("field.ticket_next"),
                  [("reopen", t("tickets.next.reopen")), ("escalate", t("tickets.next.escalate"))], "reopen"),
            Field("ticket_comment", t("field.ticket_comment"), max_length=1000)]


def _next_step(c: Ctx) -> dict:
    pending = [s for s in tickets.repair_steps() if s["code"] not in c.detail.steps]
    if not pending:
        raise NothingToDo("tickets.error.steps_done")
    return pending[0]


def _repair_fields(c: Ctx) -> list[Field]:
    fields = [Field("ticket_fee", c.t("field.ticket_fee"), max_length=16)] if _next_step(c).get("fee") else []
    return [*fields, Field("ticket_note", c.t("field.ticket_note"), max_length=200)]


def _step_label(c: Ctx) -> str:
    step = _next_step(c)
    return step.get("zh" if c.t.language == "zh-CN" else "en") or step["code"]


def _repair_hint(c: Ctx) -> str:
    return c.t("tickets.hint.repair_step", step=_step_label(c))


def _skip_fields(c: Ctx) -> list[Field]:
    _next_step(c)  # nothing left to skip: a warning, no form
    return [Field("ticket_note", c.t("field.skip_reason"), max_length=200)]


def _call(service, with_rules: bool = False, **from_fields: str) -> Callable[[Ctx, dict], Write]:
    """`service(session, actor, ticket_id, kw=<value of field>...)`, with the SLA rules if asked."""
    def submit(c: Ctx, v: dict) -> Write:
        kw = {k: v[f] for k, f in from_fields.items()} | ({"rules": c.rules} if with_rules else {})
        return lambda s, a: service(s, a, c.ticket.id, **kw)
    return submit


SPECS: dict[str, ActionSpec] = {
    "start": ActionSpec(_call(tickets.start)),
    "close": ActionSpec(_call(tickets.close), confirm="tickets.confirm_close"),
    "assign": ActionSpec(
        lambda c, v: lambda s, a: tickets.assign_to(s, a, c.ticket.id, who=v["ticket_assignee"],
                                                    department=v["ticket_department"] or None, note=v["ticket_note"]),
        _assign_fields, "tickets.hint.assign"),
    "escalate": ActionSpec(_call(tickets.escalate, reason="ticket_reason"), _reason, "tickets.hint.escalate"),
    "check": ActionSpec(_call(tickets.check, True, finding="ticket_note"), _note, "tickets.hint.check"),
    "note": ActionSpec(_call(tickets.add_note, note="ticket_note"), _note, "tickets.hint.note"),
    "resolve": ActionSpec(_call(tickets.resolve, True, note="ticket_note"), _note, "tickets.hint.resolve"),
    "reopen": ActionSpec(_call(tickets.reopen, True, reason="ticket_reason"), _reason),
    "cancel": ActionSpec(_call(tickets.cancel, reason="ticket_reason"), _reason, "tickets.hint.cancel"),
    "edit": ActionSpec(
        lambda c, v: lambda s, a: tickets.update_fields(
            s, a, c.ticket.id, {k.removeprefix("ticket_"): x for k, x in v.items()}, rules=c.rules),
        _edit_fields, "tickets.hint.edit"),
    "repair_step": ActionSpec(
        lambda c, v: lambda s, a: tickets.tick_repair_step(s, a, c.ticket.id, note=v["ticket_note"],
                                                           fee=v.get("ticket_fee"), rules=c.rules),
        _repair_fields, _repair_hint),
    # A step that does not apply (no fee to collect, the owner absent) is skipped, never left
    # unticked: the steps go in order, and the reason is the note (the service refuses without).
    "skip_step": ActionSpec(
        lambda c, v: lambda s, a: tickets.tick_repair_step(s, a, c.ticket.id, note=v["ticket_note"], skip=True,
                                                           rules=c.rules),
        _skip_fields, lambda c: c.t("tickets.hint.skip_step", step=_step_label(c))),
    "follow_up": ActionSpec(
        _call(followups.record, True, satisfaction="ticket_satisfaction", comment="ticket_comment",
              if_dissatisfied="ticket_next"),
        _follow_up_fields,
        lambda c: c.t("tickets.hint.follow_up", phone=mask_for(c.ticket.phone, c.actor) or "-"), dials=True),
    # DOMAIN §3 (000 C): report progress until it is solved; an outgoing call in the register
    "progress_call": ActionSpec(
        _call(progress_calls.record, True, note="ticket_note"),
        lambda c: [Field("ticket_note", c.t("field.ticket_progress"), max_length=1000)],
        lambda c: c.t("tickets.hint.progress_call", phone=mask_for(c.ticket.phone, c.actor) or "-"), dials=True),
}


def run(screen, action: str, detail=None) -> None:
    """Action `action` on the ticket `screen` shows (or on `detail`, a ticket picked in a list);
    `screen.done(changed)` reloads after."""
    app = screen.app
    t = app.t
    spec = SPECS[action]
    c = Ctx(t, detail if detail is not None else screen.detail, app.sla_rules, app.actor)
    if spec.fields is None:
        if spec.confirm is None:
            _now(screen, spec.submit(c, {}))
            return
        from deskconsole.ui.modals.confirm import ConfirmModal

        def answered(yes: bool | None) -> None:
            if yes:
                _now(screen, spec.submit(c, {}))

        app.push_screen(ConfirmModal(t(spec.confirm, id=c.ticket.id)), answered)
        return
    try:
        fields = spec.fields(c)
        hint = spec.hint(c) if callable(spec.hint) else t(spec.hint) if spec.hint else ""
    except NothingToDo as nothing:
        app.say(t(str(nothing)), severity="warning")
        return
    title = t("tickets.modal_title", action=t(f"tickets.do.{action}"), id=c.ticket.id)
    held = hold(c.ticket.phone, c.actor) if spec.dials else None
    dial = held and Dial(held, "ticket", c.ticket.id,
                         lambda number: t(f"tickets.hint.{action}", phone=number))
    app.push_screen(TicketActionModal(title, fields, lambda v: spec.submit(c, v), hint=hint, dial=dial),
                    screen.done)


def _now(screen, fn: Write) -> None:
    """An action without a form: write, then reload (a refusal is a notification)."""
    app = screen.app
    actor = app.actor
    save(screen, lambda s: fn(s, actor), lambda _result: screen.done(True),
         lambda error: app.say(error.message(app.t), severity="error"))
