"""Header: site, desk, operator, shift clock, local time and the live counters."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget


def fmt_elapsed(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 3600:d}:{seconds % 3600 // 60:02d}"


class StatusBar(Widget):
    DEFAULT_CSS = """
    StatusBar { height: 1; background: $primary; color: $text; padding: 0 1; }
    """
    counters: reactive[dict] = reactive(dict, always_update=True)

    def on_mount(self) -> None:
        self.set_interval(1.0, self.refresh)

    def render(self) -> Text:
        app = self.app
        t = app.t
        cfg = app.config
        now = app.clock.now().astimezone(cfg.tz)
        site = cfg.site_name or t("app.default_site")
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(f"{site} ", style="bold")
        text.append(f"| {cfg.desk_name} ")
        actor = app.actor
        if actor is not None:
            text.append(f"| {actor.staff_no} {actor.name} ")
            if app.shift_started is not None:
                elapsed = (app.clock.now() - app.shift_started).total_seconds()
                text.append(f"| {fmt_elapsed(elapsed)} ")
        text.append(f"| {now:%H:%M} ")
        for key, value in app.counters.items():
            style = "bold reverse" if value and key in ("missed", "overdue") else ""
            text.append(f"| {t('counter.' + key)} {value} ", style=style)
        return text
