"""The shell by keys only: first run, sign-on, refusals at the field, lock, help, quit,
language switch."""

from contextlib import asynccontextmanager

from textual.widgets import Input

from deskconsole.services import operators
from deskconsole.ui import textual_compat
from deskconsole.ui.modals.confirm import ConfirmModal
from deskconsole.ui.modals.help import HelpModal
from deskconsole.ui.screens.first_run import FirstRunScreen
from deskconsole.ui.screens.home import HomeScreen
from deskconsole.ui.screens.lock import LockScreen
from deskconsole.ui.screens.phone import PhoneScreen
from deskconsole.ui.screens.signon import SignOnScreen
from tests.ui.helpers import build_app, seed_operator, settle, sign_on, type_text


def landed(app) -> bool:
    """Signed on and on the first screen a receptionist lands on."""
    return app.actor is not None and app.current_mode == app.mode_specs[0].name \
        and not isinstance(app.screen, (SignOnScreen, LockScreen, ConfirmModal, HelpModal))


def error_text(screen, field: str) -> str:
    return str(screen.query_one(f"#error-{field}").render())


async def test_first_run_creates_the_first_supervisor_with_a_chinese_name(sqlite_store, clock, tmp_path):
    app = build_app(sqlite_store, clock, tmp_path, language="zh-CN")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, FirstRunScreen)
        await type_text(pilot, "001")
        await pilot.press("enter")
        await type_text(pilot, "王芳")
        await pilot.press("enter")
        await type_text(pilot, "135790")
        await pilot.press("enter")
        await type_text(pilot, "135791")
        await pilot.press("enter")
        await settle(pilot)
        assert "两次输入的密码不一致" in error_text(app.screen, "pin_again")
        await pilot.press("backspace")
        await pilot.press("0", "enter")
        await settle(pilot)
        assert isinstance(app.screen, SignOnScreen)
        assert app.screen.query_one("#staff_no", Input).value == "001"
        await pilot.press("tab")
        await type_text(pilot, "135790")
        await pilot.press("enter")
        await settle(pilot)
        assert landed(app)
        assert app.actor.name == "王芳" and app.actor.role == "supervisor"
    with sqlite_store.read() as s:
        assert [o.name for o in operators.list_operators(s)] == ["王芳"]


async def test_wrong_pin_and_empty_fields_are_refused_at_the_field(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # nothing typed
        await pilot.press("enter")
        await settle(pilot)
        assert error_text(app.screen, "staff_no") == "Staff no. is required"
        await sign_on(pilot, "101", "1111")
        assert isinstance(app.screen, SignOnScreen)
        assert error_text(app.screen, "pin") == "Staff number or PIN is wrong"
        assert app.screen.query_one("#pin", Input).value == ""
        assert app.screen.focused.id == "pin"
        await type_text(pilot, "2468")
        await pilot.press("enter")
        await settle(pilot)
        assert landed(app) and app.actor.staff_no == "101"


async def test_mode_keys_do_nothing_before_sign_on(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+l")
        assert isinstance(app.screen, SignOnScreen) and app.actor is None


async def test_lock_hides_the_desk_and_only_the_pin_resumes(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, LockScreen)
        await type_text(pilot, "0000")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LockScreen)
        await type_text(pilot, "2468")
        await pilot.press("enter")
        await settle(pilot)
        assert landed(app) and not app.locked


async def test_idle_console_locks_itself(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, idle_lock_minutes=2)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        clock.advance(119)
        app.session.check_idle()
        await settle(pilot)
        assert not app.locked
        clock.advance(2)
        app.session.check_idle()
        await settle(pilot)
        assert isinstance(app.screen, LockScreen)


async def test_f1_help_lists_the_keys_of_this_screen_and_global_ones(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language="zh-CN")
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpModal)
        descriptions = [d for _, d, _ in app.screen.rows]
        assert "锁屏" in descriptions and "退出" in descriptions
        await pilot.press("escape")
        assert landed(app)


async def test_quit_asks_first_and_no_keeps_the_console(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("n")
        assert landed(app)
        await pilot.press("ctrl+q")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
    assert app.return_code == 0


async def test_language_switches_at_run_time(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        app.action_go("home")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "Desk overview" in str(app.screen.query_one(".heading").render())
        app.language = "zh-CN"
        await settle(pilot)
        assert "前台总览" in str(app.screen.query_one(".heading").render())


async def test_header_shows_site_desk_operator_and_counters(sqlite_store, clock, tmp_path):
    from deskconsole.ui.widgets.status_bar import StatusBar

    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(160, 30)) as pilot:
        await sign_on(pilot)
        clock.advance(3600 + 120)
        text = str(app.screen.query_one(StatusBar).render())
        for part in ("Harbour View", "Lobby-1", "101 李娜", "1:02", "Waiting 0", "Overdue tickets 0"):
            assert part in text


@asynccontextmanager
async def signed_on_with_screens_prepared(store, clock, tmp_path):
    """The console as a lobby runs it: the F-key screens built (and drawn) while the sign-on
    steps show; signed on and settled. Their freeze of the heap is undone after."""
    import gc

    seed_operator(store, clock)
    app = build_app(store, clock, tmp_path)
    app.prepare_screens = True
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await sign_on(pilot)
            await settle(pilot)
            yield app, pilot
    finally:
        gc.unfreeze()


async def test_f_key_screens_are_built_while_the_sign_on_steps_show(sqlite_store, clock, tmp_path):
    """The first F3 of a shift costs what every later one does; the first ticket opens in the
    view built at sign-on (styled and laid out), the ticket asked for, not an empty one."""
    from deskconsole.services import tickets
    from deskconsole.services.sla import rules_from
    from deskconsole.ui.screens.ticket_view import TicketViewScreen, open_ticket

    async with signed_on_with_screens_prepared(sqlite_store, clock, tmp_path) as (app, pilot):
        assert landed(app)
        assert all(textual_compat.is_mode_built(app, m.name) for m in app.mode_specs if m.key)
        phone = next(s for s in app.all_screens() if isinstance(s, PhoneScreen))
        assert textual_compat.is_styled_for_current_css(app, phone)  # no restyle on first show
        await pilot.press("f3")
        await settle(pilot)
        assert app.screen is phone
        assert app.t("phone.key.outgoing") in " ".join(str(k.render()) for k in phone.query("FooterKey"))

        built = [s for s in app._registry if isinstance(s, TicketViewScreen)]
        assert len(built) == 1 and built[0].is_mounted and built[0].detail is None
        assert textual_compat.is_styled_for_current_css(app, built[0])
        ticket = sqlite_store.write(lambda s: tickets.create_ticket(
            s, app.actor, kind="inquiry", unit="7-707", description="d", rules=rules_from(app.config)))
        open_ticket(app, ticket.id)
        await settle(pilot)
        assert app.screen is built[0]
        assert "7-707" in str(app.screen.query_one("#ticket-header").render())
        assert app.screen.query_one("#ticket-history").row_count == 1


async def test_footer_is_rebuilt_only_when_its_keys_or_language_change(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        await pilot.press("f3")
        await settle(pilot)
        phone = app.screen
        keys = list(phone.query("FooterKey"))
        assert keys
        for key in ("f2", "f3", "f4", "f3"):
            await pilot.press(key)
            await settle(pilot)
        assert app.screen is phone and list(phone.query("FooterKey")) == keys
        app.language = "zh-CN"
        await settle(pilot)
        await pilot.press("f2")
        await pilot.press("f3")
        await settle(pilot)
        rebuilt = list(phone.query("FooterKey"))
        assert rebuilt and rebuilt[0] is not keys[0]
        assert app.t("phone.key.outgoing") in " ".join(str(k.render()) for k in rebuilt)
        assert app.t("phone.key.outgoing") != "Outgoing call"


async def test_a_screen_shown_again_reloads_only_after_a_write_or_half_a_minute(sqlite_store, clock, tmp_path):
    """F3 F2 F3 within seconds shows what F3 had; a write, or 30 s, makes it reload."""
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        await pilot.press("f3")
        await settle(pilot)
        phone = app.screen
        app.store_watch.poll = lambda force=False: None  # the 2 s poll reloads the shown screen itself
        loads = []
        original = phone.refresh_view
        phone.refresh_view = lambda: (loads.append(1), original())[1]

        async def back_to_phone():
            await pilot.press("f2")
            await settle(pilot)
            await pilot.press("f3")
            await settle(pilot)

        await back_to_phone()
        assert loads == []
        seed_operator(sqlite_store, clock, staff_no="102", name="张敏")  # a write from elsewhere
        await back_to_phone()
        assert loads == [1]
        clock.advance(31)
        await back_to_phone()
        assert loads == [1, 1]


def test_every_mode_builds_the_screen_named_after_it():
    """The factories import their module only when called: each must name a real screen."""
    from deskconsole.ui.modes import MODES
    from deskconsole.ui.screens.base import DeskScreen

    for spec in MODES:
        screen = spec.build()
        assert isinstance(screen, DeskScreen) and screen.TITLE_KEY == f"mode.{spec.name}"


async def test_the_first_f6_of_a_shift_renders_nothing_it_rendered_while_the_sign_on_steps_showed(
        sqlite_store, clock, tmp_path, monkeypatch):
    """The screens built in advance are laid out and drawn too, once what they load at mount
    has come: a first show rendered every widget of the screen (F5 20-40 ms, F6 18-27 ms on the
    bench's five years), a later one only composes the lines each widget kept. Only what the
    reload on showing changed (the self-check skipped at sign-on: the etiquette figures) is
    rendered again."""
    from deskconsole.ui.screens.shift import ShiftScreen
    from deskconsole.ui.text import Static
    from deskconsole.ui.widgets.hour_chart import HourChart

    async with signed_on_with_screens_prepared(sqlite_store, clock, tmp_path) as (app, pilot):
        shift = next(s for s in app.all_screens() if isinstance(s, ShiftScreen))
        watched = list(shift.query("SummarySection, HourChart"))  # what shows above the fold
        rendered = []
        for cls in (Static, HourChart):
            def noting(self, real=cls.render):
                rendered.append(self.id)
                return real(self)

            monkeypatch.setattr(cls, "render", noting)
        await pilot.press("f6")
        await settle(pilot)
        assert app.screen is shift and len(watched) == 6
        assert {w.id for w in watched} & set(rendered) <= {"section-etiquette"}
