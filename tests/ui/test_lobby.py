"""The lobby floor by keys (DOMAIN §1): the roll call counts the lobby too, visitors are
addressed by surname + title, the reception level shows, the hand-off script waits for the
hand-off, check-out asks first, directory suggestions are a short list."""

from textual.widgets import DataTable, Label

from deskconsole.ui.modals.roll_call import RollCallModal
from tests.ui.helpers import build_app, seed_operator, settle, type_text
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


async def test_directory_offers_a_short_list_and_down_walks_it(sqlite_store, clock, tmp_path):
    from textual.widgets import Input

    from deskconsole.models import DirectoryEntry
    from deskconsole.ui.widgets.unit_input import SuggestionList

    sqlite_store.write(lambda s: s.add_all([
        DirectoryEntry(kind="resident", name=name, unit=unit)
        for name, unit in (("张伟", "1-1201"), ("王建国", "1-1202"), ("李娜", "1-1203"))]))
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language="zh-CN")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_reception(pilot)
        await pilot.press("enter", "enter", "enter")  # name, title, phone: to the unit field
        await type_text(pilot, "1-12")
        await settle(pilot)
        shown = app.screen.query_one("#row-unit").query_one(SuggestionList)
        assert shown.has_class("-shown")
        assert all(x in str(shown.render()) for x in ("1-1201 张伟", "1-1202 王建国", "1-1203 李娜"))
        await pilot.press("down", "down")
        await settle(pilot)
        assert app.screen.query_one("#unit", Input).value == "1-1202"
        await pilot.press("up", "up")
        assert app.screen.query_one("#unit", Input).value == "1-12"


def cell_texts(table) -> list[str]:
    return [str(c) for row in range(table.row_count) for c in table.get_row_at(row)]


async def test_a_special_guest_is_tagged_prompted_to_the_named_post_and_addressed_by_surname(
        sqlite_store, clock, tmp_path):
    from textual.widgets import Input

    from deskconsole.ui.modals.confirm import ConfirmModal
    from deskconsole.ui.modals.handoff import HandoffModal
    from deskconsole.ui.widgets.choice import ChoiceInput
    from deskconsole.ui.widgets.script_panel import ScriptPanel
    from tests.ui.test_reception import visits

    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_reception(pilot)
        await type_text(pilot, "John Smith")
        await pilot.press("enter", "2", "enter", "enter", "enter", "enter", "enter", "enter", "3", "enter", "enter")
        await settle(pilot)
        assert [(v.name, v.honorific, v.level) for v in visits(sqlite_store)] == [("John Smith", "mr", "special")]
        assert any("VIP Mr Smith" in c for c in cell_texts(app.screen.query_one("#queue")))
        reception = app.screen
        await pilot.press("ctrl+n")
        await settle(pilot)
        # DOMAIN §1: a 特级 guest is handed on to the post the company names for it.
        assert isinstance(app.screen, HandoffModal)
        assert app.screen.query_one("#handoff_post", ChoiceInput).value == "duty_manager"
        assert "Duty manager" in label_text(app.screen, "#handoff-level")
        assert app.screen.query_one("#handoff_description", Input).value.startswith("Special Mr Smith")
        script = str(reception.query_one(ScriptPanel).render())
        assert "they know you are coming" not in script and "Mr Smith, one moment" in script
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "they know you are coming" in str(reception.query_one(ScriptPanel).render())
        assert any("VIP Mr Smith" in c for c in cell_texts(reception.query_one("#inside")))
        reception.query_one("#inside").focus()
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)  # check-out asks, as "left unserved" does
        await pilot.press("n")
        await settle(pilot)
        assert visits(sqlite_store)[0].status == "in_building"
        await pilot.press("o", "y")
        await settle(pilot)
        assert visits(sqlite_store)[0].status == "left"
        assert "Goodbye Mr Smith," in str(reception.query_one(ScriptPanel).render())
