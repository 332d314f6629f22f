"""A change of language (Ctrl+P) on the screens before the desk: sign-on, first run and the lock.
Each is rebuilt in the new language; what was typed stays, the focus stays on its field, and
the keys typed next go in. (The sign-on screen took no keys after a change of language, Enter
said the staff number was missing, and it still said the store was opening.)"""

from __future__ import annotations

from deskconsole.ui.screens.first_run import FirstRunScreen
from deskconsole.ui.screens.lock import LockScreen
from deskconsole.ui.screens.signon import SignOnScreen
from tests.ui.helpers import build_app, seed_operator, settle, sign_on, type_text


def _text(screen, selector: str) -> str:
    return str(screen.query_one(selector).render())


async def test_sign_on_after_a_change_of_language_keeps_what_was_typed_and_takes_the_next_keys(
        sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await type_text(pilot, "10")
        app.language = "zh-CN"
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SignOnScreen)
        assert _text(screen, "#signon-title") == app.t("signon.title") != "Sign on"
        assert _text(screen, "#signon-status") == ""  # the store is open: not "opening" again
        assert app.focused.id == "staff_no"
        await type_text(pilot, "1")
        await pilot.press("enter")
        await type_text(pilot, "2468")
        await pilot.press("enter")
        await settle(pilot)
        assert app.actor is not None and app.actor.staff_no == "101"


async def test_the_lock_after_a_change_of_language_takes_the_pin(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language="zh-CN")
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, LockScreen)
        await type_text(pilot, "24")
        app.language = "en"
        await settle(pilot)
        assert isinstance(app.screen, LockScreen) and app.focused.id == "pin"
        assert _text(app.screen, "#signon-title") == app.t("lock.title")
        await type_text(pilot, "68")
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, LockScreen) and not app.locked


async def test_first_run_after_a_change_of_language_keeps_the_fields_typed(sqlite_store, clock, tmp_path):
    app = build_app(sqlite_store, clock, tmp_path, language="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, FirstRunScreen)
        for text in ("001", "王芳"):
            await type_text(pilot, text)
            await pilot.press("enter")
        app.language = "zh-CN"
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, FirstRunScreen)
        assert [screen.query_one(f"#{f}").value for f in ("staff_no", "name")] == ["001", "王芳"]
        assert app.focused.id == "pin"
        for _ in range(2):
            await type_text(pilot, "135790")
            await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SignOnScreen)


async def test_keys_typed_while_the_screen_is_rebuilt_go_into_its_field(sqlite_store, clock, tmp_path):
    """The focus came back through Widget.focus, queued behind the keys typed meanwhile: the
    first of them went to no field (staff number 10 instead of 101, a PIN one digit short)."""
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await type_text(pilot, "10")
        app.language = "zh-CN"
        await pilot.press("1", "enter", "2", "4")  # no pause: typed as the screen is rebuilt
        app.language = "en"
        await pilot.press("6", "8", "enter")
        await settle(pilot)
        assert app.actor is not None and app.actor.staff_no == "101"


async def test_an_idle_lock_says_why_in_the_language_of_the_moment(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        clock.advance(6 * 60)
        app.session.check_idle()
        await settle(pilot)
        assert isinstance(app.screen, LockScreen)
        said_in_english = _text(app.screen, "#signon-subtitle")
        assert said_in_english == app.t("lock.idle", minutes=5)
        app.language = "zh-CN"
        await type_text(pilot, "24")
        await settle(pilot)
        assert app.t.language == "zh-CN"
        assert _text(app.screen, "#signon-subtitle") == app.t("lock.idle", minutes=5) != said_in_english
        await type_text(pilot, "68")
        await pilot.press("enter")
        await settle(pilot)
        assert not app.locked
