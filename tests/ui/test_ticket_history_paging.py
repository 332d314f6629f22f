"""Issue 21: opening a ticket draws its header first and then a bounded number of history
lines; older lines are reached by keys (Up or Page Up at the first line shown), newer ones by Down or Page Down."""

from deskconsole.services import tickets
from deskconsole.services.sla import rules_from
from deskconsole.ui.screens.ticket_view import HISTORY_LINES, TicketViewScreen, open_ticket
from tests.ui.helpers import build_app, seed_operator, settle, sign_on

NOTES = 500


def _lines(table) -> list[str]:
    return [str(table.get_row_at(i)[2]) for i in range(table.row_count)]


async def test_a_ticket_with_500_history_lines_opens_with_its_header_and_a_bounded_history(
        sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        rules = rules_from(app.config)

        def long_and_short(s):
            long = tickets.create_ticket(s, app.actor, kind="inquiry", unit="1-101", description="long", rules=rules)
            for i in range(NOTES):
                tickets.add_note(s, app.actor, long.id, note=f"note {i}")
            short = tickets.create_ticket(s, app.actor, kind="inquiry", unit="2-202", description="short",
                                          rules=rules)
            return long.id, short.id

        long_id, short_id = sqlite_store.write(long_and_short)
        open_ticket(app, short_id)
        await settle(pilot)
        view = app.screen
        assert isinstance(view, TicketViewScreen)
        table = view.query_one("#ticket-history")
        assert table.row_count == 1

        # The first step draws the header only; the history follows after that frame.
        view.ticket_id = long_id
        view.refresh_view()
        assert "1-101" in str(view.query_one("#ticket-header").render())
        assert table.row_count == 0  # the short ticket's line is gone, the long one's not drawn yet
        await pilot.pause()
        assert table.row_count == HISTORY_LINES <= 20
        assert _lines(table)[-1].endswith(f"note {NOTES - 1}") and table.cursor_row == HISTORY_LINES - 1

        # Up at the first line shown: the lines before, by keys, back to the ticket's creation.
        for _ in range(2 * NOTES // HISTORY_LINES + 4):  # to the top of the page, then the page before
            await pilot.press("pageup")
        await settle(pilot)
        assert table.cursor_row == 0 and view._events[0].kind == "created"
        assert _lines(table)[1].endswith("note 0") and table.row_count == HISTORY_LINES
        # Down at the last line: the lines after, back to the newest.
        for _ in range(2 * NOTES // HISTORY_LINES + 4):
            await pilot.press("pagedown")
        await settle(pilot)
        assert _lines(table)[table.cursor_row].endswith(f"note {NOTES - 1}")
