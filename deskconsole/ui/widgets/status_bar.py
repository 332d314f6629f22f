"""Header: site, desk, operator, shift clock, local time and the live counters. When the
terminal is narrow the counters keep their place (they are what the desk acts on): their
labels shorten first, then the site, the desk, the operator's name and the shift clock give way,
whole; nothing is cut in the middle of a word (CJK measured by cells, not characters)."""

from __future__ import annotations

from rich.cells import cell_len
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

    DROP_ORDER = ("site", "desk", "name", "elapsed")  # what gives way first on a narrow bar

    def parts(self, *, short: bool = False, drop: int = 0) -> list[tuple[str, str]]:
        """(text, style) pieces; `drop` leaves out that many of DROP_ORDER, whole."""
        app = self.app
        t = app.t
        cfg = app.config
        gone = self.DROP_ORDER[:drop]
        now = app.clock.now().astimezone(cfg.tz)
        actor = app.actor
        fields: list[tuple[str, str]] = []
        if "site" not in gone:
            fields.append((cfg.site_name or t("app.default_site"), "bold"))
        if "desk" not in gone:
            fields.append((cfg.desk_name, ""))
        if actor is not None:
            fields.append((actor.staff_no if "name" in gone else f"{actor.staff_no} {actor.name}", ""))
            if app.shift_started is not None and "elapsed" not in gone:
                fields.append((fmt_elapsed((app.clock.now() - app.shift_started).total_seconds()), ""))
        fields.append((f"{now:%H:%M}", ""))
        out = [(("" if i == 0 else " | ") + text, style) for i, (text, style) in enumerate(fields)]
        for key, value in app.counters.items():
            style = "bold reverse" if value and key in ("missed", "overdue", "keys_overdue") else ""
            out.append((" | ", ""))
            out.append((f"{t(('counter.short.' if short else 'counter.') + key)} {value}", style))
        return out

    def render(self) -> Text:
        width = self.content_size.width or self.app.size.width
        for short, drop in [(False, 0), (True, 0), (True, 1), (True, 2), (True, 3), (True, 4)]:
            parts = self.parts(short=short, drop=drop)
            if sum(cell_len(p) for p, _ in parts) <= width:
                break
        text = Text(no_wrap=True, overflow="crop")
        for part, style in parts:
            text.append(part, style=style)
        return text
