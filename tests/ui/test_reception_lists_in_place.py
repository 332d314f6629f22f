"""Issue 21: a check-in adds its row to the waiting queue in place; the rows already there
are kept (no clear and refill of the whole list), and the cursor stays on its visitor."""

from deskconsole.ui.widgets.visit_lists import QueueTable
from tests.ui.helpers import build_app, count_layouts, seed_operator, settle, type_text
from tests.ui.test_reception import check_in, open_reception


async def test_a_check_in_adds_its_row_to_the_queue_without_refilling_it(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_reception(pilot)
        for name in ("Smith", "Jones"):
            clock.advance(20)
            await check_in(pilot, name)
        queue = app.screen.query_one(QueueTable)
        assert queue.row_count == 2
        rows_before = [queue.rows[key] for key in queue.rows]
        cleared = []
        original = queue.clear

        def spy(*args, **kwargs):
            cleared.append(True)
            return original(*args, **kwargs)

        queue.clear = spy
        clock.advance(20)
        await check_in(pilot, "Brown")
        assert queue.row_count == 3 and cleared == []
        assert [queue.rows[key] for key in list(queue.rows)[:2]] == rows_before  # the same Row objects
        assert "Brown" in str(queue.get_row_at(2)[1])


async def test_typing_a_visitors_name_and_phone_repaints_the_fields_without_a_layout(sqlite_store, clock, tmp_path,
                                                                                      monkeypatch):
    """Every key typed into the check-in form laid out the whole reception screen (~70 widgets,
    15-30 ms a key): Textual's Input asks for a layout whenever its text gets longer. The
    console's fields repaint themselves only."""

    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language="zh-CN")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_reception(pilot)
        laid = count_layouts(monkeypatch)
        await type_text(pilot, "欧阳娜娜")
        await settle(pilot)
        await pilot.press("enter", "enter")  # honorific as it is, to the phone
        await settle(pilot)
        laid[0] = 0
        await type_text(pilot, "13800138000")
        await settle(pilot)
        assert laid[0] == 0
        assert app.screen.query_one("#phone").value == "13800138000"


async def test_ctrl_s_on_a_returning_visitor_answers_without_laying_the_screen_out(sqlite_store, clock, tmp_path,
                                                                                   monkeypatch):
    """At Ctrl+S the form is blanked for the next visitor and the returning-visitor hint with
    it. The hint was cleared with a layout of the whole reception screen, and the queue's new
    row laid it out again when the save came back, and once more because the hint had shrunk.
    Now Ctrl+S only repaints (the fields, the hint blanked where it stands: its two lines are
    fixed), and the save's answer, the queue's new row, lays nothing out either (the table's new
    row count laid the screen out: textual_compat.RowsWithoutLayout)."""
    import deskconsole.ui.store_work as store_work
    from tests.ui.test_forms import HeldWrites, _until

    monkeypatch.setattr(store_work, "SHOW_SAVING_AFTER", 60)  # no "saving..." note in this test
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_reception(pilot)
        empty = app.screen.query_one("#recall-hint").size.height
        await check_in(pilot, "Smith")
        clock.advance(20)
        await type_text(pilot, "Smith")
        await pilot.press("enter")  # leaving the name: the hint offers last time's details
        await settle(pilot)
        hint = app.screen.query_one("#recall-hint")
        assert "Smith" in str(hint.render()) and hint.size.height == empty == 2
        laid = count_layouts(monkeypatch)
        with HeldWrites(sqlite_store) as held:  # the save is out: what Ctrl+S itself costs
            await pilot.press("ctrl+s")
            assert await _until(pilot, lambda: held.started)
            await pilot.pause()
            assert laid[0] == 0 and str(hint.render()) == ""
            assert app.screen.query_one("#name").value == ""
            held.gate.set()
            await settle(pilot)
        assert app.screen.query_one(QueueTable).row_count == 2
        assert hint.size.height == empty and laid[0] == 0  # the queue's new row: a repaint
