"""An unexpected error stops the console with one calm line naming the log: never a
traceback, and never Textual's hint to run `textual run --dev` (it appears when more than one
error is pending as the app stops)."""

from __future__ import annotations

from textual.app import App

from deskconsole import logs
from deskconsole.clock import FakeClock
from deskconsole.i18n import Translator
from deskconsole.ui.errors import ErrorReporter
from tests.conftest import START


class TwoErrors(App):
    def on_mount(self) -> None:
        self.errors = ErrorReporter(self, Translator("en"), FakeClock(START), logs.log_file())
        self.set_timer(0.01, self.first)

    def first(self) -> None:
        self.call_later(self.second)  # a second error while the app is already stopping
        raise ValueError("first")

    def second(self) -> None:
        raise RuntimeError("second")


def test_two_errors_stop_the_console_with_one_line_and_no_textual_hint(capsys):
    app = TwoErrors()
    app.run(headless=True)
    err = capsys.readouterr().err
    assert app.return_code == 1
    assert "textual run --dev" not in err and "Traceback" not in err
    said = "".join(err.split("\n"))  # one message, wrapped at the terminal's width
    assert said.count("deskconsole stopped") == 1 and said.endswith(str(logs.log_file()))
