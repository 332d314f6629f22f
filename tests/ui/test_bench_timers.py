"""bench/ui_probe.py pauses the console's interval timers during a timed key, so that the
header clock's tick is not taken for the key's frame. The kept ticket view is on no screen
stack when "open a ticket" is pressed: its clock has to be paused too."""

from bench.ui_probe import _timers
from deskconsole.services import tickets
from deskconsole.services.sla import rules_from
from deskconsole.ui.screens.ticket_view import TicketViewScreen, open_ticket
from deskconsole.ui.widgets.status_bar import StatusBar
from tests.ui.helpers import build_app, seed_operator, settle, sign_on


async def test_the_probe_pauses_the_clock_of_the_kept_ticket_view_before_it_is_shown_again(
        sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        ticket = sqlite_store.write(lambda s: tickets.create_ticket(
            s, app.actor, kind="inquiry", unit="1-101", description="d", rules=rules_from(app.config)))
        open_ticket(app, ticket.id)
        await settle(pilot)
        view = app.screen
        assert isinstance(view, TicketViewScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is not view and view not in app.all_screens()  # kept, on no stack
        clock_timers = set(view.query_one(StatusBar)._timers)
        assert clock_timers and clock_timers <= set(_timers(app))
