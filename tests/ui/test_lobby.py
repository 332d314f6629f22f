"""The lobby floor by keys (DOMAIN §1): the roll call counts the lobby too, visitors are
addressed by surname + title, the reception level shows, the hand-off script waits for the
hand-off, check-out asks first, directory suggestions are a short list."""

from textual.widgets import DataTable, Label

from deskconsole.ui.modals.roll_call import RollCallModal
from tests.ui.helpers import build_app, seed_operator, settle
from tests.ui.test_reception import check_in, open_reception


def label_text(screen, selector: str) -> str:
    return str(screen.query_one(selector, Label).render())


async def test_roll_call_on_screen_lists_the_waiting_and_those_inside(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_reception(pilot)
        await check_in(pilot, "Wang")
        await pilot.press("ctrl+n")
        await settle(pilot)
        await pilot.press("escape")
        await check_in(pilot, "Li")
        await check_in(pilot, "Zhao")
        await pilot.press("ctrl+b")
        await settle(pilot)
        assert isinstance(app.screen, RollCallModal)
        title = label_text(app.screen, "#rollcall-title")
        assert "3 visits, 3 persons" in title
        assert "Waiting in the lobby: 2 visits" in title and "In the building: 1 visit" in title
        assert app.screen.query_one(DataTable).row_count == 3
