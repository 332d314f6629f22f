"""Hand-off (DOMAIN §1, 004 §4.3.9): which post or person was told the guest is coming, how
(phone / radio / in person), and the guest's description. Ctrl+S or Enter on the last field
saves; Esc goes back without saving."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical

from deskconsole import catalogs
from deskconsole.services import reception as rs
from deskconsole.services.errors import DeskError
from deskconsole.services.people import salutation
from deskconsole.services.reception_query import level_label
from deskconsole.ui.modals.base import DeskModal
from deskconsole.ui.store_work import save
from deskconsole.ui.text import Input, Label
from deskconsole.ui.widgets.choice import ChoiceInput
from deskconsole.ui.widgets.form import FieldRow, clear_errors, show_desk_error
from deskconsole.ui.widgets.unit_input import UnitInput
from deskconsole.ui.widgets.visit_lists import post_label


class HandoffModal(DeskModal[bool]):
    DEFAULT_CSS = """
    HandoffModal { align: center middle; }
    HandoffModal > Vertical { width: 84; max-width: 96%; height: auto; border: thick $primary;
                              padding: 0 1; background: $surface; }
    HandoffModal FieldRow { layout: grid; grid-size: 2; grid-columns: 12 1fr; grid-rows: auto; height: auto; }
    HandoffModal FieldRow > .field-error { column-span: 2; }
    HandoffModal FieldRow > Input { height: 1; border: none; padding: 0 1; background: $boost; }
    HandoffModal FieldRow > Input:focus { border: none; background: $primary 30%; }
    HandoffModal .keys { color: $text-muted; }
    HandoffModal .level-prompt { text-style: bold reverse; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "reception.key.save", id="handoff.save", priority=True),
        Binding("escape", "cancel", "key.back", id="handoff.back"),
    ]

    def __init__(self, visit: rs.VisitView) -> None:
        super().__init__()
        self.visit = visit

    def compose(self) -> ComposeResult:
        t = self.app.t
        v = self.visit
        who = salutation(v.name, v.honorific, t.language)
        posts = catalogs.codes_with_labels("handoff_posts.toml", "post", t.language)
        methods = catalogs.codes_with_labels("handoff_posts.toml", "method", t.language)
        code, _, person = (v.handoff_post or "").partition(":")
        # DOMAIN §1: a guest of a reception level goes to the post the company names for it.
        level_post = rs.handoff_post_for(v.level)
        code = code or level_post or ""
        party = t("reception.handoff.party", count=v.party_size) if v.party_size > 1 else ""
        level = level_label(v.level, t)
        description = v.handoff_description or " ".join(
            x for x in (level, who, party, v.unit, v.host) if x)
        with Vertical():
            yield Label(t("reception.handoff.title", number=v.id, visitor=who), classes="heading")
            if level_post:
                yield Label(t("reception.handoff_level.prompt", level=level, post=post_label(level_post, t)),
                            id="handoff-level", classes="level-prompt")
            yield FieldRow("handoff_post", t("reception.field.post"),
                           ChoiceInput(posts, code or None, id="handoff_post"))
            yield FieldRow("handoff_person", t("reception.field.person"),
                           UnitInput(self.app.store, value=person or v.host, id="handoff_person", max_length=40))
            yield FieldRow("handoff_method", t("reception.field.method"),
                           ChoiceInput(methods, v.handoff_method, id="handoff_method"))
            yield FieldRow("handoff_description", t("reception.field.description"),
                           Input(description, id="handoff_description", max_length=200,
                                 select_on_focus=False))
            yield Label(t("reception.handoff.keys"), classes="keys")

    def on_mount(self) -> None:
        self.query_one("#handoff_post").focus()

    @on(Input.Submitted, "#handoff_description")
    def _last_field(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        clear_errors(self)
        post = self.query_one("#handoff_post", ChoiceInput).value
        person = self.query_one("#handoff_person", Input).value.strip()
        method = self.query_one("#handoff_method", ChoiceInput).value
        description = self.query_one("#handoff_description", Input).value
        value = f"{post}:{person}" if person else post
        actor, visit_id = self.app.actor, self.visit.id

        def refused(error: DeskError) -> None:
            if error.field == "handoff_post" and person:
                error.field = "handoff_person"
            show_desk_error(self, error)

        def saved(_result) -> None:
            t = self.app.t
            self.app.say(t("reception.handoff.done", post=post_label(value, t)))
            self.dismiss(True)

        save(self, lambda s: rs.record_handoff(s, actor, visit_id, post=value, method=method, description=description),
             saved, refused, note_in=self.query_one(Vertical))

    def action_cancel(self) -> None:
        self.dismiss(False)
