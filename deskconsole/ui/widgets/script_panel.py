"""The phrase the standard prescribes for this step of a visit (DOMAIN §1), in the current
language, with the site name, the visitor's surname + honorific and the operator's staff
number filled in. Phrases live in data/reception_scripts.toml, not in code."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from deskconsole import catalogs
from deskconsole.services.people import salutation
from deskconsole.ui.text import plain

STEPS = ("greet", "ask", "apology", "unsure", "guide", "handoff", "farewell")


def phrase(step: str, language: str, **values: str) -> str:
    for row in catalogs.load("reception_scripts.toml").get("step", []):
        if row["code"] == step:
            text = row["zh"] if language == "zh-CN" else row["en"]
            try:
                return text.format(**values)
            except (KeyError, IndexError, ValueError):
                return text
    return ""


class ScriptPanel(Widget):
    """As tall as the tallest phrase at its width, so that a change of step (a key typed, a
    check-in saved) repaints it without moving or cutting anything: with `height: auto` and the
    phrase changed by a repaint, a phrase one line longer lost its last line ("不确定时: ..."
    while the name was typed) and a shorter one left a blank row. A visitor's name that makes a
    phrase longer still grows it (one layout)."""

    DEFAULT_CSS = """
    ScriptPanel { height: auto; min-height: 4; border: round $accent; padding: 0 1; }
    """
    step: reactive[str] = reactive("greet")
    visitor: reactive[str] = reactive("")
    _tallest: tuple[tuple[int, str], int] | None = None  # ((width, language), lines of the tallest phrase)

    def show(self, step: str, visitor: str = "") -> None:
        self.step, self.visitor = step, visitor
        self._fit()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        width = self.content_region.width
        if width <= 0 or not self.is_mounted:
            return
        key = (width, self.app.t.language)
        if self._tallest is None or self._tallest[0] != key:
            self._tallest = key, max(self._lines(step, "", width) for step in STEPS)
        # Textual lays the panel out again only if the height set differs from the one it has.
        self.styles.height = max(self._tallest[1], self._lines(self.step, self.visitor, width)) \
            + self.styles.gutter.height

    def _lines(self, step: str, visitor: str, width: int) -> int:
        return len(self._text(step, visitor).wrap(self.app.console, width))

    def follow(self, focused, *, entries, inside, form) -> None:
        """The phrase for the step the receptionist is at (DOMAIN §1), from where the focus is:
        the queue (greet, or apologise), the building (before and after the hand-off), the form."""
        from deskconsole.ui.widgets.visit_lists import InBuildingTable, QueueTable

        lang = self.app.t.language

        def who(v) -> str:
            return salutation(v.name, v.honorific, lang) if v else ""

        if isinstance(focused, QueueTable):
            e = next((x for x in entries if x.visit.id == focused.selected_id()), None)
            self.show("apology" if e and e.apology_due else "greet", who(e.visit if e else None))
        elif isinstance(focused, InBuildingTable):
            v = next((x for x in inside if x.id == focused.selected_id()), None)
            if self.step != "farewell":
                self.show("handoff" if v and v.handoff_post else "guide", who(v))
        elif focused is not None and form in focused.ancestors:
            typed = form.read()
            self.show("ask" if typed.name or typed.phone else "greet", who(typed))

    def values(self, visitor: str) -> dict[str, str]:
        app = self.app
        t = app.t
        return {"site": app.config.site_name or t("app.default_site"),
                "visitor": visitor or t("reception.script.visitor_default"),
                "staff_no": app.actor.staff_no if app.actor else ""}

    def on_mount(self) -> None:
        # Set here, not while drawing: Textual repaints a widget whenever its border title is
        # set, so the panel drew itself again in a frame of its own after every change of step.
        # (A change of language builds the screen anew, and this panel with it.)
        self.border_title = plain(self.app.t("reception.script.title"))

    def render(self) -> Text:
        return self._text(self.step, self.visitor)

    def _text(self, step: str, visitor: str) -> Text:
        t = self.app.t
        values = self.values(visitor)
        text = Text()
        text.append(t(f"reception.script.step_{step}") + ": ", style="bold")
        text.append(phrase(step, t.language, **values), style="bold")
        if step != "unsure":
            # DOMAIN §1 (001 §5.2.5.3.3, 000 C): never "I don't know".
            text.append("\n" + t("reception.script.step_unsure") + ": ", style="dim")
            text.append(phrase("unsure", t.language, **values), style="dim")
        return text
