"""F5 Etiquette (DOMAIN §4-§6): the five elements for one operator - results of inspections
not yet seen, the trend per element (sparklines), the history of checks, and what the
console measured in this shift. A receptionist sees themselves and runs the self-check; a
supervisor picks an operator on the left and inspects them (signed with the PIN)."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import OptionList, Sparkline
from textual.widgets.option_list import Option

from deskconsole.services import etiquette, evidence, operators
from deskconsole.ui.screens.base import DeskScreen
from deskconsole.ui.store_work import save
from deskconsole.ui.text import DataTable, Label, Static, plain
from deskconsole.ui.widgets.footer import DeskFooter
from deskconsole.ui.widgets.message_line import MessageLine
from deskconsole.ui.widgets.quiet import update_if_changed
from deskconsole.ui.widgets.status_bar import StatusBar


class EtiquetteScreen(DeskScreen):
    HELP = "etiquette.help"
    TITLE_KEY = "mode.etiquette"
    BINDINGS = [
        Binding("c", "self_check", "etiquette.key.self_check", id="etiquette.self_check"),
        Binding("i", "inspect", "etiquette.key.inspect", id="etiquette.inspect"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.operators: list[operators.OperatorInfo] = []
        self.subject: operators.OperatorInfo | None = None
        self.fresh: set[int] = set()  # inspections first shown in this visit ("new")
        self.history: list[etiquette.CheckSummary] = []
        self._wanted: int | None = None
        self._history_rows: list[tuple[str, tuple]] = []  # what the history table shows

    def compose(self) -> ComposeResult:
        t = self.app.t
        yield StatusBar()
        with Horizontal(id="etq-body"):
            yield OptionList(id="etq-operators")
            with Vertical(id="etq-main"):
                yield Label("", id="etq-title", classes="heading")
                yield Static("", id="etq-new")
                yield Static("", id="etq-evidence")
                yield Label(t("etiquette.trend_title"), classes="heading")
                for el in etiquette.ELEMENTS:
                    with Horizontal(classes="etq-trend"):
                        yield Label("", id=f"etq-name-{el}", classes="etq-el")
                        yield Sparkline([], id=f"etq-spark-{el}")
                        yield Label("", id=f"etq-last-{el}", classes="etq-last")
                yield DataTable(id="etq-history", cursor_type="row", zebra_stripes=True)
        yield MessageLine()
        yield DeskFooter()

    def on_mount(self) -> None:
        super().on_mount()
        self.refresh_view()

    def prepare_widgets(self) -> None:
        t = self.app.t
        self._history_rows = []  # a table and a list built anew show nothing yet
        self.operators = []
        table = self.query_one("#etq-history", DataTable)
        for key, label in (("date", "etiquette.col.date"), ("kind", "etiquette.col.kind"), ("by", "etiquette.col.by"),
                           ("score", "etiquette.col.score"), ("elements", "etiquette.col.elements")):
            table.add_column(t(label), key=key)
        operators_list = self.query_one("#etq-operators", OptionList)
        operators_list.display = self.app.actor.is_supervisor
        (operators_list if self.app.actor.is_supervisor else table).focus()

    def on_screen_suspend(self) -> None:
        self.fresh.clear()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "inspect":
            actor = self.app.actor
            return bool(actor and actor.is_supervisor and self.subject and self.subject.id != actor.operator_id)
        return True

    # -- loading ---------------------------------------------------------------------------
    def refresh_view(self) -> None:
        if self.app.actor is not None:
            self.show_operator(self.subject.id if self.subject else self.app.actor.operator_id)

    def show_operator(self, operator_id: int) -> None:
        # A superseded load may still finish (threads are not interrupted): _show drops it.
        self._wanted = operator_id
        self._load(operator_id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="etiquette_view")
    def _load(self, operator_id: int) -> None:
        app, actor, cfg = self.app, self.app.actor, self.app.config
        with app.store.read() as s:
            ops = operators.list_operators(s, include_inactive=False) if actor.is_supervisor else []
            hist = etiquette.history(s, operator_id)
            ev = evidence.for_shift(s, actor.shift_id, now=app.clock.now(), tz=cfg.tz, ring_limit=cfg.ring_limit,
                                    apology_after_minutes=cfg.apology_after_minutes) \
                if operator_id == actor.operator_id else \
                evidence.for_operator(s, operator_id, "daily", now=app.clock.now(), tz=cfg.tz,
                                      ring_limit=cfg.ring_limit, apology_after_minutes=cfg.apology_after_minutes)
        new = [h for h in hist if h.kind != "self" and h.seen_at is None] if operator_id == actor.operator_id else []
        app.call_from_thread(self._show, operator_id, ops, hist, new, ev)

    def _show(self, operator_id, ops, hist, new, ev) -> None:
        t, actor = self.app.t, self.app.actor
        if new:  # the inspected operator has now seen them (DOMAIN §6: results fed back)
            seen = [h.id for h in new]
            save(self, lambda s: etiquette.mark_seen(s, actor, seen), show_saving=False)
        self.fresh |= {h.id for h in new}
        if operator_id != self._wanted:
            return
        if actor.is_supervisor:
            self._fill_operators(ops, operator_id)
        self.subject = next((o for o in ops if o.id == operator_id), None) or operators.OperatorInfo(
            actor.operator_id, actor.staff_no, actor.name, actor.role, True)
        update_if_changed(self.query_one("#etq-title", Label),
                          t("etiquette.title_for", staff_no=self.subject.staff_no, name=self.subject.name))
        self._show_new([h for h in hist if h.id in self.fresh])
        self._show_evidence(ev, own=operator_id == actor.operator_id)
        self._show_trend(hist)
        self._show_history(hist)
        self.refresh_bindings()

    def _fill_operators(self, ops, operator_id: int) -> None:
        lst = self.query_one("#etq-operators", OptionList)
        if [o.id for o in ops] != [o.id for o in self.operators]:
            self.operators = ops
            lst.clear_options()
            lst.add_options([Option(plain(f"{o.staff_no} {o.name}"), id=str(o.id)) for o in ops])
        index = next((n for n, o in enumerate(ops) if o.id == operator_id), None)
        if index is not None and lst.highlighted != index:
            lst.highlighted = index

    def _show_new(self, new) -> None:
        t = self.app.t
        box = self.query_one("#etq-new", Static)
        box.display = bool(new)
        text = Text()
        for h in new:
            at = h.at.astimezone(self.app.config.tz)
            text.append(t("etiquette.new_result", at=f"{at:%m-%d %H:%M}", kind=t(f"etiquette.kind.{h.kind}"),
                          by=h.inspector_name or "", score=h.score, max=h.max_score,
                          pct=f"{h.percent or 0:.0f}"), style="bold")
            if h.comments:
                text.append(f"  {h.comments}")
            text.append("\n")
        text.rstrip()
        update_if_changed(box, text)

    def _show_evidence(self, ev: evidence.Evidence, own: bool) -> None:
        t = self.app.t
        parts = " | ".join(f"{f.element} {t(f'etiquette.evidence.{f.key}', n=f.count)}" for f in ev.facts)
        key = "etiquette.evidence_shift" if own else "etiquette.evidence_today"
        update_if_changed(self.query_one("#etq-evidence", Static), Text(t(key, facts=parts), style="dim"))

    def _show_trend(self, hist) -> None:
        lang = self.app.t.language
        checklist = self._checklist()
        tr = etiquette.trend(hist)
        for el in etiquette.ELEMENTS:
            name = checklist.element(el).name(lang) if checklist else el
            update_if_changed(self.query_one(f"#etq-name-{el}", Label), f"{el} {name}")
            self.query_one(f"#etq-spark-{el}", Sparkline).data = tr[el]  # a reactive: the same list draws nothing
            last = tr[el][-1] if tr[el] else None
            update_if_changed(self.query_one(f"#etq-last-{el}", Label),
                              "-" if last is None else f"{last:.0f}% ({len(tr[el])})")

    def _show_history(self, hist) -> None:
        t = self.app.t
        table = self.query_one("#etq-history", DataTable)
        self.history = hist
        rows = []
        for h in hist:
            at = h.at.astimezone(self.app.config.tz)
            if h.skipped:
                score = Text(t("etiquette.skipped"), style="yellow")
            elif h.kind == "self":
                score = Text(t("etiquette.self_score", ok=h.score, max=h.max_score),
                             style="green" if h.score == h.max_score else "bold red")
            else:
                score = Text(f"{h.score}/{h.max_score} {h.percent or 0:.0f}%", style="bold" if h.id in self.fresh else "")
            elements = " ".join(f"{el}{p:.0f}" for el in etiquette.ELEMENTS
                                if (p := etiquette.Score.percent(*h.by_element.get(el, (0, 0)))) is not None)
            rows.append((str(h.id), (f"{at:%m-%d %H:%M}", t(f"etiquette.kind.{h.kind}"), h.inspector_name or "-",
                                     score, "" if h.kind == "self" else elements)))
        # Compared with their styles: rich's Text equality leaves out the style of the whole text.
        shown = [(key, tuple((c.plain, str(c.style)) if isinstance(c, Text) else c for c in cells))
                 for key, cells in rows]
        if shown == self._history_rows:
            return  # a reload that found the same checks: nothing to draw, the cursor stays
        self._history_rows = shown
        # A reload (the 2 s poll after a write) keeps the cursor on the check it was on.
        keep = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value if table.row_count else None
        table.clear()
        for key, cells in rows:
            table.add_row(*cells, key=key)
        if keep is not None and (row := next((n for n, (key, _) in enumerate(rows) if key == keep), None)):
            table.move_cursor(row=row)

    def _checklist(self) -> etiquette.Checklist | None:
        try:
            return etiquette.load_checklist(self.app.config)
        except etiquette.ChecklistError as error:
            self.app.say(str(error), severity="error")
            return None

    # -- keys ------------------------------------------------------------------------------
    @on(OptionList.OptionHighlighted, "#etq-operators")
    def _pick(self, event: OptionList.OptionHighlighted) -> None:
        operator_id = int(event.option.id)
        if self.subject is None or self.subject.id != operator_id:
            self.subject = next(o for o in self.operators if o.id == operator_id)
            self.show_operator(operator_id)

    @on(DataTable.RowSelected, "#etq-history")
    def _open_check(self, event: DataTable.RowSelected) -> None:
        from deskconsole.ui.modals.inspection import CheckResultModal

        summary = next((h for h in self.history if str(h.id) == event.row_key.value), None)
        checklist = self._checklist()
        if summary is not None and not summary.skipped and checklist is not None:
            self.app.push_screen(CheckResultModal(summary, checklist))

    def action_self_check(self) -> None:
        from deskconsole.ui.modals.self_check import SelfCheckModal

        checklist = self._checklist()
        if checklist is not None:
            self.app.push_screen(SelfCheckModal(checklist, offer=False), lambda _r: self.refresh_view())

    def action_inspect(self) -> None:
        from deskconsole.ui.modals.inspection import InspectionModal

        checklist = self._checklist()
        if checklist is not None and self.subject is not None:
            self.app.push_screen(InspectionModal(checklist, self.subject), lambda _r: self.refresh_view())
