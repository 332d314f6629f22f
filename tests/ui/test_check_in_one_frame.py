"""Issue 21: a check-in saved is drawn in one frame, the blanked form and the visitor's new
queue row together (the form was drawn blank in a frame of its own while the store wrote); the
other lists are read again right after that frame, so another desk's change still shows; and a
queue read again with the same people draws only a waiting time that reads differently."""

from deskconsole.services import reception as rs
from deskconsole.services import shifts
from deskconsole.ui.textual_compat import drawing
from deskconsole.ui.widgets.visit_lists import InBuildingTable, QueueTable
from tests.ui.helpers import build_app, on_frames, seed_operator, settle, type_text
from tests.ui.test_reception import check_in, open_reception


async def test_a_check_in_is_drawn_in_one_frame_with_its_queue_row(sqlite_store, clock, tmp_path, monkeypatch):
    # However slow the machine, the frame waits for the save (the console waits a frame period
    # at most: 17 ms; a write slower than that draws the blank form first, as before).
    monkeypatch.setattr(drawing, "_HOLD", 60.0)
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_reception(pilot)
        await check_in(pilot, "Smith")
        clock.advance(20)
        name, queue = app.screen.query_one("#name"), app.screen.query_one(QueueTable)
        await type_text(pilot, "Jones")
        await settle(pilot)
        frames = on_frames(app, lambda: (name.value, queue.row_count))
        await pilot.press("ctrl+s")
        await settle(pilot)
        # Every frame shows both (the header's clock may draw one more of its own meanwhile);
        # the blank form was drawn first with the queue as it was: ("", 1).
        assert frames and set(frames) == {("", 2)}
        assert "Jones" in str(queue.get_row_at(1)[1])


async def test_another_desks_change_shows_after_this_desks_check_in(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    other = seed_operator(sqlite_store, clock, staff_no="102", name="王芳")
    app = build_app(sqlite_store, clock, tmp_path, language="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_reception(pilot)
        inside = app.screen.query_one(InBuildingTable)
        assert inside.row_count == 0

        def at_the_other_desk(s):  # checked in and taken up, not yet seen by this console
            actor = shifts.sign_on(s, other, desk_name="Lobby-2", clock=clock)
            visit = rs.check_in(s, actor, rs.CheckInForm(name="Brown"))
            rs.serve(s, actor, visit.id, threshold_minutes=5)

        sqlite_store.write(at_the_other_desk)
        await check_in(pilot, "Smith")
        assert inside.row_count == 1 and "Brown" in str(inside.get_row_at(0)[1])
        assert app.screen.query_one(QueueTable).row_count == 1


async def test_the_queue_read_again_draws_only_a_waiting_time_that_reads_differently(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_reception(pilot)
        for name in ("Smith", "Jones"):
            await check_in(pilot, name)
        queue = app.screen.query_one(QueueTable)
        updated = []
        update_cell = queue.update_cell
        queue.update_cell = lambda *args, **kwargs: (updated.append(args[:2]), update_cell(*args, **kwargs))
        app.screen.refresh_queue()  # the same second: nothing reads differently
        assert updated == []
        clock.advance(61)
        app.screen.refresh_queue()
        assert len(updated) == 2 and all(column == "wait" for _, column in updated)
        await settle(pilot)


async def test_a_save_slower_than_a_frame_holds_no_later_frame(sqlite_store, clock, tmp_path, monkeypatch):
    """The store locked by another desk: the frame waits for the save once; what is typed next
    is drawn at once, not a frame period late at every key until the save ends."""
    from tests.ui.test_forms import HeldWrites, _until

    monkeypatch.setattr(drawing, "_HOLD", 60.0)  # the wait ends only when the test says
    monkeypatch.setattr(drawing, "_GAP", 0.0)
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_reception(pilot)
        name, queue = app.screen.query_one("#name"), app.screen.query_one(QueueTable)
        await type_text(pilot, "Jones")
        await settle(pilot)
        frames = on_frames(app, lambda: name.value)
        with HeldWrites(sqlite_store) as held:
            await pilot.press("ctrl+s")
            assert await _until(pilot, lambda: held.started)
            await pilot.pause()
            assert frames == []  # the blanked form waits for the save
            app.screen._draw_held()  # a frame period has passed
            assert frames == [""]
            await pilot.press("S")
            assert await _until(pilot, lambda: frames[-1] == "S")  # drawn at once,
            assert queue.row_count == 0  # the save still out
            held.gate.set()
            await settle(pilot)
        assert queue.row_count == 1
