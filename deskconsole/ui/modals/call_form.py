"""The call form (DOMAIN §2: register every call). Opens when F7 answers, with the greeting the
standard asks for ("您好" and your name, never "喂"); F9 hangs up and registers the call.
The same form logs an outgoing call: a callback of a missed call, or a follow-up.

Esc hides the form of a call still under way: what was typed is kept with the live line and
comes back when the form is reopened (F7 on any screen, or F3, Enter on the line)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, VerticalScroll

from deskconsole import catalogs
from deskconsole.services import audit
from deskconsole.services import calls as phone_service
from deskconsole.services.people import HONORIFICS, honorific_label
from deskconsole.services.phone_numbers import Held, hold, resolve, shown
from deskconsole.ui.modals.base import DeskModal
from deskconsole.ui.store_work import save
from deskconsole.ui.text import Label, Static
from deskconsole.ui.widgets.caller_context import CallerContext, follow
from deskconsole.ui.widgets.choice import ChoiceInput
from deskconsole.ui.widgets.form import FieldRow, FormInput, clear_errors
from deskconsole.ui.widgets.ring_timer import fmt_talk
from deskconsole.ui.widgets.tick_box import TickBox as Checkbox
from deskconsole.ui.widgets.unit_input import UnitInput

TEXT_FIELDS = ("caller_name", "phone", "unit", "summary", "message_for")
SELECT_FIELDS = ("honorific", "category", "outcome")


class CallFormModal(DeskModal[int | None]):
    HELP = "phone.help"
    TITLE_KEY = "phone.form.title_in"
    DEFAULT_CSS = """
    CallFormModal { align: center middle; }
    CallFormModal > VerticalScroll { width: 96; max-width: 100%; height: auto; max-height: 100%;
        border: thick $accent; background: $surface; padding: 0 1; }
    CallFormModal .call-title { text-style: bold; }
    CallFormModal #call-greeting { color: $success; text-style: bold; }
    CallFormModal #call-rule, CallFormModal .keys { color: $text-muted; }
    CallFormModal Grid { grid-size: 2; grid-columns: 1fr 1fr; grid-rows: auto; grid-gutter: 0 2; height: auto; }
    CallFormModal #row-summary { column-span: 2; }
    CallFormModal Input { background: $boost; }
    CallFormModal Input:focus { background: $accent 40%; }
    """
    BINDINGS = [
        Binding("f9", "hang_up", "phone.key.hang_up", id="phone.hang_up"),
        Binding("ctrl+s", "save", "key.save", id="phone.form_save"),
        Binding("escape", "close", "phone.key.hide", id="phone.form_hide"),
        Binding("ctrl+d", "reveal_phone", "phone.key.reveal", id="phone.reveal", priority=True),
    ]

    def __init__(self, call_id: int | None = None, *, returns_call_id: int | None = None,
                 prefill: dict | None = None) -> None:
        super().__init__()
        self.call_id = call_id  # None: an outgoing call
        self.returns_call_id = returns_call_id
        self.prefill = dict(prefill or {})
        # A callback's number is shown masked; Ctrl+D shows it whole to dial, and the audit
        # trail records that it was (DOMAIN §1: privacy).
        self.held: Held | None = None
        self.revealed = False

    @property
    def outgoing(self) -> bool:
        return self.call_id is None

    @property
    def form_of_call(self) -> int | None:
        """The live call this form is shown for (the ringing bar then needs no "F7 form" hint)."""
        return self.call_id

    def _live(self):
        return None if self.outgoing else self.app.phone.live.get(self.call_id)

    def has_unsaved(self) -> bool:
        """Ctrl+Q asks before quitting with a call form open."""
        return True

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "reveal_phone":
            return self.held is not None and not self.revealed and self.returns_call_id is not None
        if action == "hang_up":
            live = self._live()
            return live is not None and live.state == "talking"
        return True

    def compose(self) -> ComposeResult:
        t = self.app.t
        lang = t.language
        actor = self.app.actor
        site = self.app.config.site_name or t("app.default_site")
        values = {**self.prefill, **(self._live().draft if self._live() else {})}
        if self.held is None and self.returns_call_id is not None:
            self.held = hold(self.prefill.get("phone"), actor)
        elif self.held is None and values.get("phone"):  # the number the phone system gave
            self.held = hold(values.get("phone"), actor)
        values["phone"] = shown(values.get("phone"), None if self.revealed else self.held)
        title = "phone.form.title_in" if not self.outgoing else (
            "phone.form.title_callback" if self.returns_call_id else "phone.form.title_out")
        # The same one-line choice as the visitor form (F2): arrows step, a digit picks.
        blank = [("", "-")]
        honorifics = blank + [(c, honorific_label(c, lang) or honorific_label(c, "zh-CN")) for c in HONORIFICS]
        categories = blank + catalogs.codes_with_labels(phone_service.CATEGORIES_FILE, "category", lang)
        outcomes = blank + [(o, t(f"phone.outcome.{o}")) for o in phone_service.OUTCOMES]

        def text(fld: str, **kw) -> FormInput:
            return FormInput(value=str(values.get(fld) or ""), id=fld, compact=True, **kw)

        def select(fld: str, options) -> ChoiceInput:
            return ChoiceInput(options, values.get(fld) or "", id=fld)

        with VerticalScroll():
            yield Label(t(title), classes="call-title")
            yield Static(greeting(t, site, actor), id="call-greeting")
            yield Static(t("phone.greeting_rule"), id="call-rule")
            yield Static("", id="call-status")
            yield CallerContext("call", id="caller-context")
            with Grid():
                yield FieldRow("caller_name", t("phone.field.caller_name"), text("caller_name", max_length=64))
                yield FieldRow("honorific", t("phone.field.honorific"), select("honorific", honorifics))
                yield FieldRow("phone", t("phone.field.phone"), text("phone", max_length=32))
                yield FieldRow("unit", t("phone.field.unit"),
                               UnitInput(self.app.store, value=str(values.get("unit") or ""), id="unit",
                                         compact=True, max_length=64))
                yield FieldRow("category", t("phone.field.category"), select("category", categories))
                if not self.outgoing:
                    yield FieldRow("outcome", t("phone.field.outcome"), select("outcome", outcomes))
                    yield FieldRow("message_for", t("phone.field.message_for"), text("message_for", max_length=64))
                    yield FieldRow("covering_neighbour", t("phone.field.covering"),
                                   Checkbox(t("phone.field.covering_box"), bool(values.get("covering_neighbour")),
                                            id="covering_neighbour", compact=True))
                yield FieldRow("summary", t("phone.field.summary"), text("summary", max_length=1000))
            yield Label(t("phone.form.keys_out" if self.outgoing else "phone.form.keys_in"), classes="keys")

    async def recompose(self) -> None:
        """A language switch rebuilds the form: keep what was typed."""
        values, live = self.values(), self._live()
        if live is not None:
            live.draft = values
        else:
            self.prefill.update(values)
        await super().recompose()
        self._show_status()

    def on_mount(self) -> None:
        self.query_one("#caller_name").focus()
        self._show_status()
        follow(self, name_id="caller_name")
        if not self.outgoing:
            self.set_interval(1.0, self._show_status)

    def on_input_changed(self, event) -> None:
        """DOMAIN §4 D: the watch list and the open tickets as soon as name, number or unit is known."""
        if event.input.id in ("caller_name", "phone", "unit"):
            follow(self, name_id="caller_name")

    def phone_tick_view(self) -> None:
        """Called by the phone ticker: the talk time follows the clock (once composed: a form a
        feed's answer just opened may not be yet)."""
        self._show_status()

    def _show_status(self) -> None:
        """The status line (talk time, callback hint). Not while the form is being rebuilt (a
        language switch recomposes it; the 1-second tick can fall in between): it crashed the
        console there."""
        shown = self.query("#call-status")
        if not shown:
            return
        t = self.app.t
        live = self._live()
        if self.outgoing:
            status = t("phone.form.status_callback") if self.returns_call_id else ""
            if self.held is not None and not self.revealed and self.returns_call_id:
                status = f"{status}\n{t('phone.reveal_hint')}"
        elif live is not None:
            status = t("phone.form.status_talking", line=live.line, talk=fmt_talk(self.app.phone.elapsed(live)),
                       rings=live.rings or "-")
        else:
            status = t("phone.form.status_ended")
        shown.first(Static).update(status)

    # -- reading the form --------------------------------------------------------------
    def values(self) -> dict:
        out: dict = {}
        for fld in TEXT_FIELDS:
            widgets = self.query(f"#{fld}")
            if widgets:
                out[fld] = widgets.first().value
        for fld in SELECT_FIELDS:
            widgets = self.query(f"#{fld}")
            if widgets:
                out[fld] = widgets.first().value or None
        if "phone" in out:
            out["phone"] = resolve(out["phone"], self.held)
        box = self.query("#covering_neighbour")
        out["covering_neighbour"] = bool(box and box.first().value)
        return out

    def _details(self) -> phone_service.CallDetails:
        v = self.values()
        return phone_service.CallDetails(
            caller_name=v.get("caller_name") or "", honorific=v.get("honorific") or "", phone=v.get("phone") or "",
            unit=v.get("unit") or "", category=v.get("category"), summary=v.get("summary") or "",
            outcome=v.get("outcome"), message_for=v.get("message_for") or "",
            covering_neighbour=bool(v.get("covering_neighbour")))

    def _write(self, fn, then) -> None:
        """Save off the event loop; `then()` once saved. A refusal shows under its field; any
        other failure (the database went away) is said by the app, and the form stays."""
        clear_errors(self)
        save(self, fn, lambda _result: then(), note_in=self.query_one(VerticalScroll))

    # -- keys --------------------------------------------------------------------------
    def action_save(self) -> None:
        actor = self.app.actor
        if self.outgoing:
            d = self._details()
            returns = self.returns_call_id

            def logged() -> None:
                self.app.say(self.app.t("phone.outgoing_saved"))
                self.dismiss(None)

            self._write(lambda s: phone_service.log_outgoing(
                s, actor, phone=d.phone, caller_name=d.caller_name, honorific=d.honorific, unit=d.unit,
                summary=d.summary, category=d.category, returns_call_id=returns), logged)
            return
        details, call_id = self._details(), self.call_id
        self._write(lambda s: phone_service.save_details(s, actor, call_id, details), self._finish)

    def action_reveal_phone(self) -> None:
        """Show the callback's number whole, for dialling it now; recorded before it is shown."""
        held, actor, call_id = self.held, self.app.actor, self.returns_call_id
        if held is None or call_id is None:
            return

        def revealed(_result) -> None:
            self.revealed = True
            field = self.query_one("#phone", FormInput)
            if field.value.strip() == held.shown:
                field.value = held.number
            self._show_status()
            self.refresh_bindings()

        save(self, lambda s: audit.record_phone_reveal(s, actor, "call", call_id), revealed, show_saving=False)

    def action_hang_up(self) -> None:
        """F9: the call ended now; then the register entry must be complete."""
        live = self._live()
        if live is not None:
            live.draft = self.values()
            if self.app.phone_controller.run_now(lambda: self.app.phone.hang_up(self.call_id)) is None:
                return
        self._show_status()
        self.refresh_bindings()
        self.action_save()

    def action_close(self) -> None:
        live = self._live()
        if live is not None:  # still talking: keep what was typed with the line
            live.draft = self.values()
            self.dismiss(None)
            return
        if self.outgoing:
            self.dismiss(None)
            return
        from deskconsole.ui.modals.confirm import ConfirmModal

        def done(yes: bool | None) -> None:
            if not yes:
                return
            details, actor, call_id = self._details(), self.app.actor, self.call_id
            self._write(lambda s: phone_service.save_details(s, actor, call_id, details, complete=False),
                        lambda: self.dismiss(None))

        self.app.push_screen(ConfirmModal(self.app.t("phone.form.confirm_incomplete")), done)

    def _finish(self) -> None:
        t = self.app.t
        live = self._live()
        if live is not None:
            live.draft = self.values()
        self.app.say(t("phone.saved") if live is not None else t("phone.registered"))
        values, app = self.values(), self.app
        self.dismiss(self.call_id)
        if live is None and values.get("outcome") == "ticket":
            open_ticket_form(app, self.call_id, values)


def greeting(t, site: str, actor) -> str:
    """DOMAIN §2: open with "您好" and your name; the staff number too where the company's
    standard asks for it (`[phone] greeting_staff_no` in data/reception_scripts.toml)."""
    with_no = bool(catalogs.load("reception_scripts.toml").get("phone", {}).get("greeting_staff_no"))
    return t("phone.greeting_with_no" if with_no else "phone.greeting", site=site, name=actor.name,
             no=actor.staff_no)


def open_ticket_form(app, call_id: int, v: dict) -> None:
    """Outcome 'ticket opened': hand the caller over to the ticket form (DOMAIN §3)."""
    try:
        from deskconsole.ui.modals.ticket_form import TicketFormModal
    except ImportError:
        app.say(app.t("phone.ticket_form_missing"), severity="warning")
        return
    kinds = {row["code"]: row.get("ticket_kind", "inquiry")
             for row in catalogs.load(phone_service.CATEGORIES_FILE).get("category", [])}
    def done(ticket_id: int | None) -> None:
        # DOMAIN §3: the call says "ticket opened" only once its ticket exists; backed out,
        # it stays in the register without an outcome, for the ticket still owed.
        if ticket_id is None:
            app.say(app.t("phone.ticket_pending"), severity="warning")
            return
        actor = app.actor
        save(app.screen, lambda s: phone_service.ticket_opened(s, actor, call_id),
             lambda _call: app.store_watch.poll(force=True), show_saving=False)

    app.push_screen(TicketFormModal(prefill={
        "kind": kinds.get(v.get("category") or "", "inquiry"), "customer_name": v.get("caller_name") or "",
        "honorific": v.get("honorific") or "", "phone": v.get("phone") or "", "unit": v.get("unit") or "",
        "source": "call", "call_id": call_id, "description": v.get("summary") or ""}), done)
