"""An F-key for another screen pressed with a window on top: it did nothing and said nothing.
A window that only shows something (help, the message log, a timeline, the roll call, the
command palette) closes and the F-key goes on; a form or a question stays as it is, and the
message line says to close it first."""

import pytest

from deskconsole.ui.modals.expected import ExpectedModal
from deskconsole.ui.screens.tickets import TicketsScreen
from deskconsole.ui.widgets.message_line import MessageLine
from tests.ui.helpers import settle, type_text
from tests.ui.test_key_bursts import at_reception


async def test_an_f_key_on_a_form_keeps_the_form_and_says_to_close_it_first(sqlite_store, clock, tmp_path):
    async with at_reception(sqlite_store, clock, tmp_path) as (app, pilot):
        await pilot.press("ctrl+t")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ExpectedModal)
        await type_text(pilot, "Zhou")
        await pilot.press("f4")
        await settle(pilot)
        assert app.screen is form and app.current_mode == "reception"
        assert "Zhou" in [field.value for field in form.query("Input")]
        assert str(app.messages.entries[-1].text) == "F4: close this window first (Esc)"
        # said on the window itself: it hides the screen's own message line
        assert "F4: close this window first (Esc)" in str(form.query_one(MessageLine).render())


async def test_the_message_is_in_chinese_on_a_chinese_desk(sqlite_store, clock, tmp_path):
    async with at_reception(sqlite_store, clock, tmp_path) as (app, pilot):
        app.language = "zh-CN"
        await settle(pilot)
        await pilot.press("ctrl+t")
        await settle(pilot)
        await pilot.press("f6")
        await settle(pilot)
        assert str(app.messages.entries[-1].text).startswith("F6") and "请先关闭" in str(app.messages.entries[-1].text)


@pytest.mark.parametrize("opens", ["f1", "f12", "ctrl+p"])
async def test_an_f_key_on_a_window_that_only_shows_closes_it_and_goes_on(sqlite_store, clock, tmp_path, opens):
    async with at_reception(sqlite_store, clock, tmp_path) as (app, pilot):
        await pilot.press(opens)
        await settle(pilot)
        assert app.screen.is_modal
        await pilot.press("f4")
        await settle(pilot)
        assert isinstance(app.screen, TicketsScreen) and app.current_mode == "tickets"
        await pilot.press("f2")
        await settle(pilot)
        assert not app.screen.is_modal  # the window did not come back with the reception screen


async def test_an_f_key_on_a_timeline_opened_over_a_form_keeps_both(sqlite_store, clock, tmp_path):
    """Closing the timeline would leave the call form behind on a screen the F-key leaves (and
    F7 then opened a second form for the same call): the hint instead."""
    from deskconsole.ui.modals.call_form import CallFormModal
    from deskconsole.ui.modals.timeline import TimelineModal
    from tests.ui.test_phone import tick

    async with at_reception(sqlite_store, clock, tmp_path) as (app, pilot):
        await pilot.press("f7")
        await tick(pilot, clock, 2)
        await pilot.press("f7")
        await tick(pilot, clock, 1)
        form = app.screen
        assert isinstance(form, CallFormModal)
        form.query_one("#unit").focus()
        await settle(pilot)
        await type_text(pilot, "1-1202")
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert isinstance(app.screen, TimelineModal)
        await pilot.press("f4")
        await settle(pilot)
        assert isinstance(app.screen, TimelineModal) and app.current_mode == "reception"
        assert str(app.messages.entries[-1].text) == "F4: close this window first (Esc)"
