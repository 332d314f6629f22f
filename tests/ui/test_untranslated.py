"""Text a receptionist reads is in their language and true of the moment: the palette's
prompt, counts of one, the lock screen's refusal, a refusal under a field already corrected,
an unticked box."""

from textual.app import App
from textual.widgets import Input, Label

from deskconsole.i18n import Translator
from deskconsole.ui.screens.lock import LockScreen
from deskconsole.ui.widgets.tick_box import TickBox
from tests.ui.helpers import build_app, seed_operator, settle, type_text
from tests.ui.test_reception import open_reception


async def test_the_command_palette_prompt_is_in_chinese(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language="zh-CN")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_reception(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert app.screen.query_one(Input).placeholder == "搜索命令..."


def test_one_idle_minute_is_not_minutes():
    assert "1 idle minutes" not in Translator("en")("lock.idle", minutes=1)


async def test_the_lock_screen_says_the_pin_is_wrong_not_the_staff_number(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language="zh-CN")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_reception(pilot)
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, LockScreen)
        await type_text(pilot, "1111")
        await pilot.press("enter")
        await settle(pilot)
        said = str(app.screen.query_one("#error-pin", Label).render())
        assert said == "密码错误"


async def test_a_refusal_leaves_its_field_once_the_field_is_corrected(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language="zh-CN")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_reception(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        row = app.screen.query_one("#row-name")
        assert row.has_class("-invalid")
        await type_text(pilot, "王")
        await settle(pilot)
        assert not row.has_class("-invalid")


async def test_an_unticked_box_shows_no_mark():
    class Boxes(App):
        def compose(self):
            yield TickBox("off", False, id="off")
            yield TickBox("on", True, id="on")

    app = Boxes()
    async with app.run_test() as pilot:
        await pilot.pause()
        assert "X" not in str(app.query_one("#off").render())
        assert "X" in str(app.query_one("#on").render())
