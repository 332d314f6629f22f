"""Issue 21: a check-in adds its row to the waiting queue in place; the rows already there
are kept (no clear and refill of the whole list), and the cursor stays on its visitor."""

from deskconsole.ui.widgets.visit_lists import QueueTable
from tests.ui.helpers import build_app, seed_operator
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
