"""Issue 21: Ctrl+S starts the check-in's write in the key's own handler. The form was handed
over only once each of its nine fields had had a turn of its queue (4-5 ms), and the write
started only once the event loop got round to the worker's task (4-9 ms more, behind the
blanked form's messages). Keys typed before Ctrl+S still go with the visitor they were
typed for (tests/ui/test_key_bursts.py)."""

import threading

from deskconsole.services.errors import DeskError
from deskconsole.ui.screens.reception import ReceptionScreen
from deskconsole.ui.widgets.visit_form import VisitForm
from tests.ui.helpers import build_app, seed_operator, settle, type_text
from tests.ui.test_reception import open_reception


async def test_ctrl_s_hands_the_form_over_and_starts_the_write_before_its_handler_returns(
        sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language="zh-CN")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_reception(pilot)
        await type_text(pilot, "王芳")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReceptionScreen)
        started, go_on = threading.Event(), threading.Event()
        write = sqlite_store.write

        def held_write(fn):
            started.set()
            go_on.wait(10)
            return write(fn)

        sqlite_store.write = held_write
        try:
            screen.action_save()  # the loop does not run until this test awaits again
            assert screen.saver.saving is not None and screen.saver.saving.name == "王芳"
            assert screen.query_one("#name").value == ""  # blank for the next visitor
            assert started.wait(5)  # the write's thread is already in the store
        finally:
            go_on.set()
        await settle(pilot)
        sqlite_store.write = write
        assert "王芳" in str(screen.query_one("#queue").get_row_at(0)[1])


async def test_a_refusal_taken_at_once_still_puts_the_focus_on_its_field(sqlite_store, clock, tmp_path, monkeypatch):
    """The form handed over in the key's handler is checked there too: the refusal's field gets
    the focus after the handler has sent it to the name for the next visitor."""
    from deskconsole.services import reception as rs

    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_reception(pilot)
        await type_text(pilot, "Smith")
        await settle(pilot)

        def refused(values):
            raise DeskError("reception.error.required", field="unit")

        monkeypatch.setattr(rs, "validate", refused)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.focused is app.screen.query_one("#unit")
        assert app.screen.query_one(VisitForm).read().name == "Smith"  # given back, nothing lost
