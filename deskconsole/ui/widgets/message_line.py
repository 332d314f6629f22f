"""What the console last said, in one fixed line above the footer, and the short log of what
it said before (F12 lists it). A message replaces the one before it; nothing floats over the
form or the lists, and a CJK character is never cut by a toast's border.

Every message goes through `DeskApp.say(text, severity=...)`: the text is data (STYLE §14),
so a visitor's name in it is shown as typed."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from datetime import datetime

from rich.text import Text
from textual.content import Content
from textual.signal import Signal
from textual.widget import Widget

from deskconsole.ui.text import plain

LOG_SIZE = 50  # the log keeps this many; older ones are dropped
SEVERITIES = ("information", "warning", "error")


@dataclass(frozen=True)
class Message:
    at: datetime
    text: Content
    severity: str


class MessageLog:
    """The last LOG_SIZE messages; `changed` is published with each new one."""

    def __init__(self, app, size: int = LOG_SIZE) -> None:
        self.entries: deque[Message] = deque(maxlen=size)
        self.changed: Signal[Message] = Signal(app, "messages")

    def add(self, text: str | Content | Text, severity: str, at: datetime) -> Message:
        message = Message(at, plain(text), severity if severity in SEVERITIES else "information")
        self.entries.append(message)
        self.changed.publish(message)
        return message

    @property
    def latest(self) -> Message | None:
        return self.entries[-1] if self.entries else None

    def newest_first(self) -> list[Message]:
        return list(reversed(self.entries))


class MessageLine(Widget):
    """One line: the time and the last message, coloured by its severity."""

    DEFAULT_CSS = """
    MessageLine { height: 1; padding: 0 1; background: $boost; color: $text-muted;
                  text-wrap: nowrap; text-overflow: ellipsis; }
    MessageLine.-information { color: $text; }
    MessageLine.-warning { color: $text-warning; background: $warning-muted; }
    MessageLine.-error { color: $text-error; background: $error-muted; text-style: bold; }
    MessageLine.-on-modal { dock: bottom; width: 100%; }
    """

    def on_mount(self) -> None:
        log: MessageLog = self.app.messages
        log.changed.subscribe(self, self._said)
        self._show(log.latest)

    def _said(self, message: Message) -> None:
        self._show(message)

    def _show(self, message: Message | None) -> None:
        for severity in SEVERITIES:
            self.set_class(message is not None and message.severity == severity, f"-{severity}")
        self.refresh()

    def render(self) -> Content:
        message = self.app.messages.latest
        if message is None:
            return Content("")
        at = message.at.astimezone(self.app.config.tz)
        return Content.assemble(f"{at:%H:%M} ", one_line(message.text))


def one_line(text: Content) -> Content:
    """The message on one line: its line breaks become spaces."""
    return Content(" ").join(text.split("\n")) if "\n" in text.plain else text


def show_on_modal(app, _message: Message) -> None:
    """A window on top (a form, a question) hides the screen's message line: the first message
    said while it is up gets a line of its own at the bottom of the window's screen, mounted
    once the window is drawn. Called as the message is said (DeskApp subscribes with
    immediate=True): queued with call_next, the call moved the reception screen's focus event
    after its served visitor's script line."""
    screen = app.screen
    if screen.is_modal and screen.id != "--command-palette" and not screen.query(MessageLine):
        screen.call_after_refresh(_mount_line, screen)


def _mount_line(screen) -> None:
    if screen.is_attached and not screen.query(MessageLine):
        screen.mount(MessageLine(classes="-on-modal"))
