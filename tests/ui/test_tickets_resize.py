"""Resizing the terminal keeps the ticket queue's cursor on its ticket: the columns are made
again for the new width, and the cursor went back to the first row with them (Enter then
opened another ticket than the one the receptionist had chosen). Found by a review helper."""

from deskconsole.services import shifts, tickets
from deskconsole.services.sla import rules_from
from deskconsole.ui.screens.ticket_view import TicketViewScreen
from deskconsole.ui.screens.tickets import TicketsScreen
from tests.conftest import make_config
from tests.ui.helpers import build_app, seed_operator, settle, sign_on
from tests.ui.test_tickets import seed_operator_info


async def test_a_resize_keeps_the_cursor_on_the_chosen_ticket(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)

    def some(s):
        actor = shifts.sign_on(s, seed_operator_info(s), desk_name="Lobby-1", clock=clock)
        return [tickets.create_ticket(s, actor, kind="inquiry", customer_name="王", unit=f"{i}-101",
                                      description="d", rules=rules_from(make_config(tmp_path))).id
                for i in range(1, 6)]

    sqlite_store.write(some)
    app = build_app(sqlite_store, clock, tmp_path, language="zh-CN")
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        await pilot.press("f4")
        await settle(pilot)
        await pilot.press("7")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TicketsScreen)
        table = screen.query_one("#tickets-table")
        await pilot.press("down", "down")
        await settle(pilot)
        chosen = screen._rows[table.cursor_row].id
        assert table.cursor_row == 2
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert table.cursor_row == 2
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TicketViewScreen) and app.screen.ticket_id == chosen
