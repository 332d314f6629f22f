"""What the console says stays in one fixed line above the footer, replaced by the next
message; older ones are in a short log (F12). Nothing floats over the form or the lists."""

from __future__ import annotations

from deskconsole.ui.modals.help import HelpModal
from deskconsole.ui.modals.messages import MessagesModal
from deskconsole.ui.widgets.message_line import LOG_SIZE, MessageLine
from tests.ui.helpers import build_app, seed_operator, settle, sign_on, type_text


def line_text(app) -> str:
    return str(app.screen.query_one(MessageLine).render())


async def _check_in(pilot, name: str) -> None:
    await type_text(pilot, name)
    await pilot.press("ctrl+s")
    await settle(pilot)


async def test_the_last_message_shows_in_one_line_above_the_footer_replacing_the_one_before(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language="zh-CN")
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_on(pilot)
        await _check_in(pilot, "张伟")
        await _check_in(pilot, "李雷")
        line = app.screen.query_one(MessageLine)
        footer = app.screen.query_one("DeskFooter")
        assert line.region.height == 1 and line.region.bottom == footer.region.y  # right above the footer
        assert "李雷" in line_text(app) and "张伟" not in line_text(app)
        assert not app.screen.query("Toast")  # no toast covers the form or the lists


async def test_f12_lists_the_messages_newest_first_and_closes(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        await _check_in(pilot, "Alice")
        await _check_in(pilot, "Bob")
        await pilot.press("f12")
        await settle(pilot)
        assert isinstance(app.screen, MessagesModal)
        table = app.screen.query_one("#messages")
        texts = [str(table.get_row_at(n)[2]) for n in range(table.row_count)]
        assert "Bob" in texts[0] and "Alice" in texts[1]
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, MessagesModal)


async def test_the_message_log_keeps_only_the_last_fifty(sqlite_store, clock, tmp_path):
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        for n in range(LOG_SIZE + 10):
            app.say(f"message {n}")
        await pilot.pause()
        entries = app.messages.newest_first()
    assert len(entries) == LOG_SIZE
    assert entries[0].text.plain == f"message {LOG_SIZE + 9}" and entries[-1].text.plain == "message 10"


async def test_a_message_is_shown_as_said_never_as_markup(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        app.notify("[/] [b]x[/b]", severity="error")  # Textual's own route ends in the same line
        await pilot.pause()
        assert "[/] [b]x[/b]" in line_text(app)
        assert app.screen.query_one(MessageLine).has_class("-error")
        assert app.return_code is None


async def test_f1_help_names_the_messages_key(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpModal)
        assert any("Messages" in str(r) for r in app.screen.rows)
