"""User text is data, never markup (STYLE §14): a visitor called `a[/b]` or `[/]` is checked in,
listed, apologised to and handed over like any other, on every screen, and the console keeps
running. The hostile store (tests/fixtures/hostile.py) holds markup, escapes, bidi overrides,
formulas and 2,000-character strings in every column a person types."""

from __future__ import annotations

import html
import re
import shutil
from datetime import timedelta

import pytest
from textual.screen import ModalScreen

from deskconsole.db.store import Store
from deskconsole.services import operators, reception, shifts
from tests.fixtures import hostile
from tests.ui.helpers import build_app, seed_operator, settle, sign_on, type_text

RAW = ("\x1b", "\x07", "\x9b", "\u202e")


def screen_text(app) -> str:
    """What the terminal shows, as text (the SVG screenshot without its tags)."""
    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


def assert_running(app, where: str) -> None:
    assert app.return_code is None and app.is_running, f"the console stopped at {where}"


async def test_a_visitor_named_in_markup_is_checked_in_and_listed_as_typed(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        await type_text(pilot, "a[/b]")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert_running(app, "F2 check-in")
        shown = screen_text(app)
    assert "a[/b]" in shown  # in the queue, and in the message line that says it was saved


async def test_the_apology_banner_names_a_markup_visitor_without_stopping_the_console(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    with sqlite_store.read() as s:
        op = next(o for o in operators.list_operators(s) if o.staff_no == "101")
    actor = sqlite_store.write(lambda s: shifts.sign_on(s, op, desk_name="Lobby-2", clock=clock))
    for name in ("[/]", "b[/c]"):
        sqlite_store.write(lambda s, n=name: reception.check_in(s, actor, reception.CheckInForm(name=n)))
    clock.advance(timedelta(minutes=10).total_seconds())  # past the apology threshold
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)  # no key on the reception screen: the banner is drawn at once
        await settle(pilot)
        assert_running(app, "the apology banner")
        banner = str(app.screen.query_one("#apology-banner").render())
    assert "[/]" in banner and "b[/c]" in banner


async def test_the_returning_visitor_hint_shows_a_markup_name_as_typed(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    with sqlite_store.read() as s:
        op = next(o for o in operators.list_operators(s) if o.staff_no == "101")
    actor = sqlite_store.write(lambda s: shifts.sign_on(s, op, desk_name="Lobby-2", clock=clock))
    sqlite_store.write(lambda s: reception.check_in(s, actor, reception.CheckInForm(
        name="[b]x[/b]", phone="13800138000", unit="[/]")))
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        await type_text(pilot, "[b]x[/b]")
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert_running(app, "the returning-visitor hint")
        shown = screen_text(app)
        hint = str(app.screen.query_one("#recall-hint").render())
    assert "Returning visitor (Ctrl+R fills): [b]x[/b], last on" in hint and "[b]x[/b]" in shown


@pytest.fixture(scope="module")
def hostile_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("hostile") / "hostile.db"
    hostile.build(path)
    return path


async def _press(pilot, *keys: str, where: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)
    assert_running(pilot.app, where)
    shown = screen_text(pilot.app)
    for raw in RAW:
        assert raw not in shown, f"{raw!r} reached the screen at {where}"


async def _close_modals(pilot, where: str) -> None:
    """Esc out of whatever opened (answering y when a form asks before discarding)."""
    for _ in range(4):
        if not isinstance(pilot.app.screen, ModalScreen):
            return
        await _press(pilot, "escape", where=where)
        if type(pilot.app.screen).__name__ == "ConfirmModal":
            await _press(pilot, "y", where=where)


async def test_every_screen_and_modal_shows_a_hostile_store_as_typed(hostile_file, tmp_path):
    path = tmp_path / "tour.db"
    shutil.copy(hostile_file, path)
    store = Store(hostile.url_of(path))
    app = build_app(store, hostile.now_clock(), tmp_path, desk_name=hostile.DESK, idle_lock_minutes=0)
    seen: set[str] = set()
    shown_at_sign_on = ""
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await type_text(pilot, "001")
        await _press(pilot, "enter", where="staff number")
        await type_text(pilot, "135790")
        await _press(pilot, "enter", where="sign-on")
        # Sign-on steps: the handover left by the previous shift of this desk, the self-check.
        for _ in range(6):
            if not isinstance(app.screen, ModalScreen):
                break
            seen.add(type(app.screen).__name__)
            shown_at_sign_on = screen_text(app) if not seen - {"HandoverAckModal"} else shown_at_sign_on
            is_handover = "Handover" in type(app.screen).__name__
            await _press(pilot, "enter" if is_handover else "escape", where=type(app.screen).__name__)
            if type(app.screen).__name__ == "ConfirmModal":
                await _press(pilot, "y", where="self-check skip")
        assert "[/] 长[b]x[/b]" in shown_at_sign_on  # the handover note, as written

        # F2 reception: the queue (apology banner), recall, search, roll call, expected, hand-off.
        await _press(pilot, "f2", where="F2")
        assert "a[/b]" in screen_text(app) and "[link=x]y" in screen_text(app)
        assert "[/]" in str(app.screen.query_one("#apology-banner").render())
        await type_text(pilot, "[/]x")
        await _press(pilot, "enter", "enter", where="recall hint")
        await _press(pilot, "ctrl+r", where="recall")
        await _press(pilot, "ctrl+s", where="check-in of a markup name")
        for key in ("ctrl+f", "ctrl+b", "ctrl+t", "ctrl+o", "f1", "f12"):
            await _press(pilot, key, where=f"F2 {key}")
            seen.add(type(app.screen).__name__)
            if key == "ctrl+f":
                await type_text(pilot, "[/")
                await _press(pilot, "enter", where="search")
            await _close_modals(pilot, f"F2 {key}")
        await _press(pilot, "ctrl+g", where="apology")
        app.screen.query_one("#inside").focus()
        await _press(pilot, "h", where="hand-off")
        seen.add(type(app.screen).__name__)
        await _close_modals(pilot, "hand-off")
        app.screen.query_one("#expected").focus()
        await _press(pilot, "enter", where="expected arrival")
        await _close_modals(pilot, "expected arrival")
        await _press(pilot, "escape", where="discard")
        if isinstance(app.screen, ModalScreen):
            await _press(pilot, "y", where="discard")

        # F3 phone: the lines, missed calls, messages, the register and its search.
        await _press(pilot, "f3", where="F3")
        for key in ("ctrl+f", "f1"):
            await _press(pilot, key, where=f"F3 {key}")
            await _close_modals(pilot, f"F3 {key}")
        await _press(pilot, "f7", where="ring")
        await _press(pilot, "f7", where="answer: the call form")
        seen.add(type(app.screen).__name__)
        await _close_modals(pilot, "call form")

        # F4 tickets: queues, search, a ticket with its history, follow-ups and every action.
        await _press(pilot, "f4", where="F4")
        for digit in "1234567":
            await _press(pilot, digit, where=f"queue {digit}")
        await _press(pilot, "slash", where="ticket search")
        await type_text(pilot, "[/]")
        await _press(pilot, "enter", where="ticket search")
        await _press(pilot, "escape", where="clear search")
        await _press(pilot, "7", where="all tickets")
        app.screen.query_one("#tickets-table").focus()
        await _press(pilot, "enter", where="ticket view")
        seen.add(type(app.screen).__name__)
        for key in ("a", "w", "v", "e", "t", "r", "f", "c", "z", "o", "u", "x", "f1"):
            await _press(pilot, key, where=f"ticket action {key}")
            seen.add(type(app.screen).__name__)
            await _close_modals(pilot, f"ticket action {key}")
        await _press(pilot, "escape", where="back to tickets")
        await _press(pilot, "n", where="new ticket")
        seen.add(type(app.screen).__name__)
        await _close_modals(pilot, "new ticket")

        # F5 etiquette: inspections with comments, the inspection form, a result.
        await _press(pilot, "f5", where="F5")
        assert any(value in screen_text(app) for value in hostile.HOSTILE[:6])  # operators' names
        for key in ("i", "c", "f1"):
            await _press(pilot, key, where=f"F5 {key}")
            seen.add(type(app.screen).__name__)
            await _close_modals(pilot, f"F5 {key}")
        app.screen.query_one("#etq-history").focus()
        await _press(pilot, "enter", where="inspection result")
        seen.add(type(app.screen).__name__)
        await _close_modals(pilot, "inspection result")

        # F6 shift: the summary, past shifts, a period, the handover of this shift.
        await _press(pilot, "f6", where="F6")
        for key in ("s", "d", "c", "f1", "f12"):
            await _press(pilot, key, where=f"F6 {key}")
            seen.add(type(app.screen).__name__)
            if key == "s":
                await _press(pilot, "enter", where="a past shift picked")
            await _close_modals(pilot, f"F6 {key}")
        await _press(pilot, "left_square_bracket", where="previous period")
        assert_running(app, "the end of the tour")
    logged = app.log_path.read_text(encoding="utf-8") if app.log_path.exists() else ""
    assert "MarkupError" not in logged and "markup" not in logged.lower(), logged[-2000:]
    assert {"HandoverAckModal", "VisitSearchModal", "RollCallModal", "ExpectedModal", "HandoffModal",
            "CallFormModal", "TicketViewScreen", "HelpModal", "MessagesModal"} <= seen, seen


def test_screens_take_text_widgets_and_messages_only_from_the_one_place_that_keeps_text_as_data():
    """Static, Label and DataTable come from ui/text.py (markup off), messages go through
    DeskApp.say: a new screen cannot slip back to reading a name as markup."""
    from pathlib import Path

    import deskconsole.ui

    root = Path(deskconsole.ui.__file__).parent
    offenders = []
    for path in sorted(root.rglob("*.py")):
        src = path.read_text(encoding="utf-8")
        rel = path.relative_to(root).as_posix()
        for m in re.finditer(r"from textual\.widgets import ([^\n]+)", src):
            names = {n.strip() for n in m.group(1).split(",")}
            if rel != "text.py" and names & {"Label", "Static", "DataTable"}:
                offenders.append(f"{rel}: {m.group(0)}")
        if rel != "app.py" and re.search(r"\.notify\(", src):
            offenders.append(f"{rel}: notify (use app.say)")
        if "markup=True" in src:
            offenders.append(f"{rel}: markup=True")
    assert not offenders, offenders
