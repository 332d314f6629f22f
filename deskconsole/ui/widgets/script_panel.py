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
    DEFAULT_CSS = """
    ScriptPanel { height: auto; min-height: 4; border: round $accent; padding: 0 1; }
    """
    step: reactive[str] = reactive("greet")
    visitor: reactive[str] = reactive("")

    def show(self, step: str, visitor: str = "") -> None:
        self.step, self.visitor = step, visitor

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

    def values(self) -> dict[str, str]:
        app = self.app
        t = app.t
        return {"site": app.config.site_name or t("app.default_site"),
                "visitor": self.visitor or t("reception.script.visitor_default"),
                "staff_no": app.actor.staff_no if app.actor else ""}

    def on_mount(self) -> None:
        # Set here, not while drawing: Textual repaints a widget whenever its border title is
        # set, so the panel drew itself again in a frame of its own after every change of step.
        # (A change of language builds the screen anew, and this panel with it.)
        self.border_title = plain(self.app.t("reception.script.title"))

    def render(self) -> Text:
        t = self.app.t
        values = self.values()
        text = Text()
        text.append(t(f"reception.script.step_{self.step}") + ": ", style="bold")
        text.append(phrase(self.step, t.language, **values), style="bold")
        if self.step != "unsure":
            # DOMAIN §1 (001 §5.2.5.3.3, 000 C): never "I don't know".
            text.append("\n" + t("reception.script.step_unsure") + ": ", style="dim")
            text.append(phrase("unsure", t.language, **values), style="dim")
        return text
