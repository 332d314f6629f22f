"""Supervisor inspection (DOMAIN §6): daily, weekly or monthly, of one operator. Each front-desk
item is scored 0 / 1 / 2 or n.a., with notes and comments; what the console measured for the
operator over the period is shown beside the items it concerns (a prompt, not a verdict);
the supervisor's PIN signs it. The inspected operator sees the result on their F5."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical

from deskconsole.services import etiquette, evidence
from deskconsole.services.errors import DeskError
from deskconsole.services.operators import OperatorInfo
from deskconsole.ui.modals.base import DeskModal
from deskconsole.ui.modals.self_check import CheckModal
from deskconsole.ui.text import Input, Label, Static
from deskconsole.ui.widgets.checklist import ChecklistTable
from deskconsole.ui.widgets.footer import DeskFooter
from deskconsole.ui.widgets.form import FieldRow, clear_errors, show_desk_error


class InspectionModal(CheckModal):
    DEFAULT_CSS = """
    InspectionModal #row-comments { height: auto; }
    InspectionModal #comments { border: none; height: 1; padding: 0 1; background: $boost; }
    InspectionModal #comments:focus { background: $primary 30%; }
    InspectionModal #insp-total, InspectionModal #insp-evidence { color: $text-muted; }
    InspectionModal #insp-evidence { height: auto; max-height: 2; }
    """
    BINDINGS = [
        Binding("ctrl+s", "sign", "etiquette.key.sign", id="inspection.sign"),
        Binding("ctrl+k", "kind", "etiquette.key.kind", id="inspection.kind"),
        Binding("ctrl+o", "comments", "etiquette.key.comments", id="inspection.comments"),
        Binding("escape", "escape", "key.back", id="inspection.back"),
    ]

    def __init__(self, checklist: etiquette.Checklist, subject: OperatorInfo, kind: str = "daily") -> None:
        super().__init__(checklist, checklist.inspection_items(), checklist.inspection_scale)
        self.subject = subject
        self.kind = kind
        self.comments = ""  # kept here so a recompose (language switch) keeps what was typed
        self._evidence_text = ""

    def compose(self) -> ComposeResult:
        t = self.app.t
        with Vertical(id="check-box"):
            yield Label(self._title(), classes="check-title", id="insp-title")
            yield Static(self._evidence_text, id="insp-evidence")
            yield from self.checklist_widgets()
            yield Label("", id="insp-total")
            yield FieldRow("comments", t("etiquette.comments_label"),
                           Input(self.comments, id="comments", max_length=2000))
        yield DeskFooter()

    def _title(self) -> str:
        t = self.app.t
        return t("etiquette.inspect_title", kind=t(f"etiquette.kind.{self.kind}"),
                 staff_no=self.subject.staff_no, name=self.subject.name)

    def on_mount(self) -> None:
        super().on_mount()
        self._totals()
        self._load_evidence()

    # -- evidence --------------------------------------------------------------------------
    @work(thread=True, exclusive=True, exit_on_error=False, group="inspection_evidence")
    def _load_evidence(self) -> None:
        app, cfg, kind = self.app, self.app.config, self.kind
        with app.store.read() as s:
            ev = evidence.for_operator(s, self.subject.id, kind, now=app.clock.now(), tz=cfg.tz,
                                       ring_limit=cfg.ring_limit, apology_after_minutes=cfg.apology_after_minutes)
        app.call_from_thread(self._show_evidence, ev, kind)

    def _show_evidence(self, ev: evidence.Evidence, kind: str) -> None:
        if kind != self.kind:  # the supervisor moved on to another period meanwhile
            return
        t = self.app.t
        self.facts = ev.counts()
        self.table.set_evidence(self.facts)
        start = ev.start.astimezone(self.app.config.tz)
        # Only what was measured, so it fits one line at 80 columns; F5 lists every measure.
        parts = " | ".join(f"{f.element} {t(f'etiquette.evidence.{f.key}', n=f.count)}"
                           for f in ev.facts if f.count) or t("etiquette.evidence_none")
        self._evidence_text = t("etiquette.evidence_since", since=f"{start:%m-%d %H:%M}", facts=parts)
        self.query_one("#insp-evidence", Static).update(self._evidence_text)
        self._show_detail()

    # -- totals ----------------------------------------------------------------------------
    @on(ChecklistTable.Changed)
    def _totals(self) -> None:
        t = self.app.t
        table = self.table
        sc = etiquette.score(table.results, {i.id: i.element for i in self.items})
        per = "  ".join(f"{el} {pct:.0f}%" for el in etiquette.ELEMENTS
                        if (pct := sc.element_percent(el)) is not None)
        self.query_one("#insp-total", Label).update(
            t("etiquette.total", done=len(table.results), items=len(self.items), score=sc.total,
              max=sc.maximum, elements=per))
        self.query_one("#check-error", Label).update("")

    # -- keys ------------------------------------------------------------------------------
    def action_kind(self) -> None:
        kinds = etiquette.INSPECTION_KINDS
        self.kind = kinds[(kinds.index(self.kind) + 1) % len(kinds)]
        self.query_one("#insp-title", Label).update(self._title())
        self._load_evidence()

    def action_comments(self) -> None:
        self.query_one("#comments", Input).focus()

    @on(Input.Changed, "#comments")
    def _comments_changed(self, event: Input.Changed) -> None:
        self.comments = event.value

    @on(Input.Submitted, "#comments")
    def _comments_done(self) -> None:
        self.table.focus()

    def action_escape(self) -> None:
        if self.note_open():
            self._close_note()
            return
        if self.focused is self.query_one("#comments", Input):
            self.table.focus()
            return
        if not self.has_unsaved():
            self.dismiss(None)
            return
        from deskconsole.ui.modals.confirm import ConfirmModal

        self.app.push_screen(ConfirmModal(self.app.t("etiquette.confirm_discard")),
                             lambda yes: self.dismiss(None) if yes else None)

    def has_unsaved(self) -> bool:
        return super().has_unsaved() or bool(self.query_one("#comments", Input).value.strip())

    def action_sign(self) -> None:
        if self.note_open() or not self.complete_or_refuse():
            return
        clear_errors(self)
        fields = dict(kind=self.kind, operator_id=self.subject.id, results=dict(self.table.results),
                      notes=dict(self.table.notes), comments=self.query_one("#comments", Input).value)
        app, checklist = self.app, self.checklist

        def sign(pin: str) -> int:
            return etiquette.sign_inspection(app.store, app.actor, checklist, pin=pin, **fields)

        self.app.push_screen(SignModal(sign, self._title()), self._signed)

    def _signed(self, outcome) -> None:
        if outcome is None:
            return
        if isinstance(outcome, DeskError):
            if outcome.field == "comments":
                show_desk_error(self, outcome)
            else:
                self.refuse(outcome)
            return
        self.app.say(self.app.t("etiquette.signed", name=self.subject.name))
        self.dismiss(outcome)


class SignModal(DeskModal):
    """The supervisor's PIN signs: a wrong PIN is refused here (and counts to the lockout);
    any other refusal goes back to the inspection. Dismissed with the check id, the error,
    or None (Esc)."""

    DEFAULT_CSS = """
    SignModal { align: center middle; }
    SignModal > Vertical { width: 60; height: auto; border: thick $warning; padding: 1 2; background: $surface; }
    """
    BINDINGS = [Binding("escape", "cancel", "key.back", id="sign.back")]

    def __init__(self, sign, what: str) -> None:
        super().__init__()
        self.sign = sign
        self.what = what

    def compose(self) -> ComposeResult:
        t = self.app.t
        with Vertical():
            yield Label(self.what)
            yield Static(t("etiquette.sign_prompt"))
            yield FieldRow("pin", t("signon.pin_hint"), Input(id="pin", password=True, max_length=8, restrict=r"[0-9]*"))

    def on_mount(self) -> None:
        self.query_one("#pin", Input).focus()

    @on(Input.Submitted, "#pin")
    def _submit(self, event: Input.Submitted) -> None:
        clear_errors(self)
        self._sign(event.value)

    @work(thread=True, exclusive=True, exit_on_error=False, group="inspection_sign")
    def _sign(self, pin: str) -> None:
        try:
            check_id = self.sign(pin)
        except DeskError as error:
            self.app.call_from_thread(self._refused, error)
            return
        self.app.call_from_thread(self.dismiss, check_id)

    def _refused(self, error: DeskError) -> None:
        if error.field == "pin":
            self.query_one("#pin", Input).value = ""
            show_desk_error(self, error)
            return
        self.dismiss(error)

    def action_cancel(self) -> None:
        self.dismiss(None)


class CheckResultModal(DeskModal):
    """One check in full, for the operator and the supervisor: score, comments, and every item
    below full marks with its note (DOMAIN §6: the result is fed back to the operator)."""

    DEFAULT_CSS = """
    CheckResultModal { align: center middle; }
    CheckResultModal > Vertical { width: 100%; height: 100%; border: thick $accent; padding: 0 1; background: $surface; }
    CheckResultModal #result-head { height: auto; text-style: bold; }
    CheckResultModal DataTable { height: 1fr; }
    """
    BINDINGS = [Binding("escape", "close", "key.close", id="result.close")]

    def __init__(self, summary: etiquette.CheckSummary, checklist: etiquette.Checklist) -> None:
        super().__init__()
        self.summary = summary
        self.checklist = checklist

    def compose(self) -> ComposeResult:
        from deskconsole.ui.text import DataTable

        with Vertical():
            yield Static("", id="result-head")
            yield DataTable(id="result-items", cursor_type="row", zebra_stripes=True)
        yield DeskFooter()

    def on_mount(self) -> None:
        from deskconsole.ui.text import DataTable

        t, lang, h = self.app.t, self.app.t.language, self.summary
        at = h.at.astimezone(self.app.config.tz)
        head = t("etiquette.result_head", at=f"{at:%Y-%m-%d %H:%M}", kind=t(f"etiquette.kind.{h.kind}"),
                 by=h.inspector_name or "-", score=h.score, max=h.max_score, version=h.version)
        self.query_one("#result-head", Static).update(head + (f"\n{h.comments}" if h.comments else ""))
        table = self.query_one("#result-items", DataTable)
        table.add_column(t("etiquette.col.item"), width=4)
        table.add_column(t("etiquette.col.result"), width=9)
        table.add_column(t("etiquette.col.text"))
        with self.app.store.read() as s:
            rows = etiquette.check_results(s, h.id)
        texts = {i.id: i.text(lang) for i in self.checklist.items}
        # Below full marks first: what to work on (DOMAIN §6).
        rows.sort(key=lambda r: (etiquette.points(r.result)[0] == etiquette.points(r.result)[1], r.id))
        for r in rows:
            text = texts.get(r.item_id, r.item_id) + (f"  ({r.note})" if r.note else "")
            table.add_row(r.item_id, t(f"etiquette.result.{r.result}"), text)
        table.focus()

    def action_close(self) -> None:
        self.dismiss(None)
