"""A check-in saved while the screen still writes something else (a visitor served with
Ctrl+N, the store slow or held by another desk) waits for that write and is saved after it.
The screen's second save was turned away: the visitor typed in was lost (the form was already
blank) and every check-in after it stayed queued, never written."""

from tests.ui.helpers import build_app, seed_operator, settle, type_text
from tests.ui.test_forms import HeldWrites, _until
from tests.ui.test_reception import check_in, open_reception, visits


async def test_a_check_in_saved_while_a_serve_is_written_is_saved_after_it(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_reception(pilot)
        await check_in(pilot, "Smith")
        with HeldWrites(sqlite_store) as held:
            await pilot.press("ctrl+n")  # serve Smith: the write waits
            assert await _until(pilot, lambda: held.started == 1)
            for name in ("Jones", "Brown"):
                await type_text(pilot, name)
                await pilot.press("ctrl+s")
                await pilot.pause()
            assert app.screen.query_one("#name").value == ""  # handed over, not lost
            assert app.screen.has_unsaved()
            held.gate.set()
            await settle(pilot)
            assert await _until(pilot, lambda: len(visits(sqlite_store)) == 3)
            await settle(pilot)
        assert [(v.name, v.status) for v in visits(sqlite_store)] == [
            ("Smith", "in_building"), ("Jones", "waiting"), ("Brown", "waiting")]
        assert not app.screen.has_unsaved()
