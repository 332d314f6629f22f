"""A screen covered by another draws nothing (ui/textual_compat.DrawsPendingRepaints): what it
skipped must show once it is uncovered. Every update the console writes is applied to a
terminal's grid, and compared with the screen rendered whole, after each step."""

from __future__ import annotations

import pytest

from deskconsole.services import tickets
from deskconsole.services.sla import rules_from
from deskconsole.ui.modals.confirm import ConfirmModal
from deskconsole.ui.modals.ticket_form import TicketFormModal
from deskconsole.ui.screens.ticket_view import TicketViewScreen, open_ticket
from tests.ui.helpers import build_app, seed_operator, settle, sign_on, type_text
from tests.ui.terminal import Terminal


async def _same(pilot, terminal, step: str) -> None:
    await settle(pilot)
    for _ in range(3):
        await pilot.pause()
    assert terminal.stale_lines() == [], step


async def test_what_changed_under_a_dialog_a_ticket_or_the_palette_shows_once_uncovered(
        sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        terminal = Terminal(app)
        await sign_on(pilot)
        await _same(pilot, terminal, "signed on")
        app.push_screen(TicketFormModal({"kind": "repair", "customer_name": "Li", "unit": "1-101"}))
        await _same(pilot, terminal, "the ticket form")
        await pilot.press("tab", "tab")
        await type_text(pilot, "a[/b]")
        await _same(pilot, terminal, "typed into the form")
        app.push_screen(ConfirmModal("sure?"))
        app.say("said while two dialogs are up")
        await _same(pilot, terminal, "a question over the form")
        app.pop_screen()
        await _same(pilot, terminal, "back to the form")
        app.pop_screen()
        await _same(pilot, terminal, "back to reception, the message said beneath")
        ticket = sqlite_store.write(lambda s: tickets.create_ticket(
            s, app.actor, kind="inquiry", unit="7-707", description="d", rules=rules_from(app.config)))
        open_ticket(app, ticket.id)
        await _same(pilot, terminal, "the ticket over reception")
        app.say("said over the ticket")
        await pilot.press("escape")
        await _same(pilot, terminal, "reception again")
        await pilot.press("ctrl+p")
        app.say("said under the palette")
        await _same(pilot, terminal, "the palette")
        await pilot.press("escape")
        await _same(pilot, terminal, "the palette closed")


@pytest.mark.parametrize("built_in_advance", [True, False])
async def test_a_ticket_opened_after_a_change_of_language_shows_its_history(
        sqlite_store, clock, tmp_path, built_in_advance):
    """The kept ticket view is rebuilt in the new language when shown again: its new history
    table had no columns, and the first line put in it stopped the console."""
    import gc

    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language="en")
    app.prepare_screens = built_in_advance
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await sign_on(pilot)
            await settle(pilot)
            rules = rules_from(app.config)

            def new_ticket(unit):
                return sqlite_store.write(lambda s: tickets.create_ticket(
                    s, app.actor, kind="inquiry", unit=unit, description="d", rules=rules)).id

            if not built_in_advance:  # the view made by a first ticket, before the change
                open_ticket(app, new_ticket("1-101"))
                await settle(pilot)
                await pilot.press("escape")
                await settle(pilot)
            app.language = "zh-CN"
            await settle(pilot)
            open_ticket(app, new_ticket("7-707"))
            await settle(pilot)
            await settle(pilot)
            view = app.screen
            assert isinstance(view, TicketViewScreen) and app.is_running
            table = view.query_one("#ticket-history")
            assert len(table.columns) == 3 and table.row_count == 1
            assert "7-707" in str(view.query_one("#ticket-header").render())
            assert str(table.columns[next(iter(table.columns))].label) == app.t("tickets.view.when")
    finally:
        gc.unfreeze()


@pytest.mark.parametrize("where", ["shown", "hidden"])
async def test_every_screen_keeps_its_tables_through_a_change_of_language(sqlite_store, clock, tmp_path, where):
    """A screen rebuilt in the other language (the one shown at once, the others when next
    shown) had tables without columns: the ticket queue and the phone's lists showed nothing."""
    from textual.widgets import DataTable

    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        sqlite_store.write(lambda s: tickets.create_ticket(
            s, app.actor, kind="inquiry", unit="7-707", description="d", rules=rules_from(app.config)))
        keys = [m.key for m in app.mode_specs if m.key]
        for key in keys:  # every screen built in English
            await pilot.press(key)
            await settle(pilot)
        for key in keys:
            if where == "shown":
                await pilot.press(key)
                await settle(pilot)
            app.language = "zh-CN" if app.language == "en" else "en"
            await settle(pilot)
            if where == "hidden":
                await pilot.press(key)
                await settle(pilot)
            screen = app.screen
            bare = [t.id for t in screen.query(DataTable) if t.display and not t.columns]
            assert app.is_running and bare == [], (key, type(screen).__name__)
            if type(screen).__name__ == "TicketsScreen":
                await pilot.press("7")
                await settle(pilot)
                assert screen.query_one("#tickets-table", DataTable).row_count == 1
