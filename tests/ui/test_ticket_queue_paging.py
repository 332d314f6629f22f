"""Issue 21: the ticket queue fetches and mounts only the rows that fit, refills its rows in
place, and the cursor keys at the edge of a page reach every ticket (keys only)."""

from deskconsole.services import tickets
from deskconsole.services.sla import rules_from
from tests.ui.helpers import build_app, on_frames, seed_operator, settle, sign_on

N = 60  # nearly three pages of 23 rows at 100x30


async def _queue_of(app, pilot, store, n: int = N):
    rules = rules_from(app.config)

    def many(s):
        return [tickets.create_ticket(s, app.actor, kind="inquiry", unit=f"1-{100 + i}",
                                      description=f"request {i}", rules=rules).id for i in range(n)]

    ids = store.write(many)
    await pilot.press("f4")
    await settle(pilot)
    await pilot.press("7")  # all tickets, newest first
    await settle(pilot)
    screen = app.screen
    return screen, screen.query_one("#tickets-table"), ids


def _queue_order(app, screen, store) -> list[int]:
    """The queue's own order, all of it (its ids)."""
    from deskconsole.services.tickets.queues import list_for_export

    with store.read() as s:
        return [r.id for r in list_for_export(s, app.actor, screen.query_state, limit=N + 10, rules=app.sla_rules)]


def _visible_rows(table) -> int:
    return table.scrollable_content_region.height - table.header_height


def _ticket_under_cursor(table) -> int:
    return int(str(table.get_row_at(table.cursor_row)[0]).rstrip("!"))


async def test_the_queue_mounts_only_the_rows_that_fit(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        screen, table, _ids = await _queue_of(app, pilot, sqlite_store)
        visible = _visible_rows(table)
        assert 10 < visible < N
        assert table.row_count == visible  # a full page: the rows that fit, no more
        assert len(screen._rows) == visible  # and only those were fetched


async def test_down_and_page_down_at_the_last_row_reach_every_ticket_and_up_comes_back(
        sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        screen, table, ids = await _queue_of(app, pilot, sqlite_store)
        newest_first = _queue_order(app, screen, sqlite_store)
        assert sorted(newest_first) == sorted(ids)
        seen = [_ticket_under_cursor(table)]
        for _ in range(N + 3):  # past the end: the last row stays
            await pilot.press("down")
            await settle(pilot)
            seen.append(_ticket_under_cursor(table))
        assert list(dict.fromkeys(seen)) == newest_first  # every ticket, in order, none twice
        for _ in range(N + 3):
            await pilot.press("up")
            await settle(pilot)
        assert _ticket_under_cursor(table) == newest_first[0] and len(screen._starts) == 1

        on_pages = set()
        for _ in range(12):  # Page Down: to the bottom of the page, then the next page
            await pilot.press("pagedown")
            await settle(pilot)
            on_pages.add(_ticket_under_cursor(table))
        assert newest_first[-1] in on_pages and len(screen._starts) == 3
        await pilot.press("pageup")  # to the top of the last page
        await settle(pilot)
        await pilot.press("pageup")  # then the last row of the page before
        await settle(pilot)
        assert len(screen._starts) == 2
        assert _ticket_under_cursor(table) == newest_first[2 * _visible_rows(table) - 1]


async def test_refilling_the_queue_updates_its_rows_in_place(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        screen, table, ids = await _queue_of(app, pilot, sqlite_store)
        keys_before = list(table.rows)
        calls = []
        for name in ("clear", "add_row", "remove_row"):
            original = getattr(table, name)

            def spy(*args, _name=name, _original=original, **kwargs):
                calls.append(_name)
                return _original(*args, **kwargs)

            setattr(table, name, spy)
        updates = []
        original_update = table.update_cell

        def update_spy(*args, **kwargs):
            updates.append(args)
            return original_update(*args, **kwargs)

        table.update_cell = update_spy
        screen.refresh_view()  # the same tickets again (what the 2 s poll does after a write)
        await settle(pilot)
        assert calls == [] and updates == []  # nothing cleared, added, removed or even redrawn
        assert list(table.rows) == keys_before

        first = _ticket_under_cursor(table)
        await pilot.press("right_square_bracket")  # the next page: other tickets in the same rows
        await settle(pilot)
        assert calls == [] and updates  # rows reused, their cells updated
        assert list(table.rows) == keys_before
        assert _ticket_under_cursor(table) == screen._rows[table.cursor_row].id != first


async def _resolved_and_open(app, pilot, store):
    """The queue of two tickets, the one under the cursor (row 0) resolved, the other open."""
    screen, table, _ids = await _queue_of(app, pilot, store, n=2)
    under = _ticket_under_cursor(table)

    def done(s):
        tickets.start(s, app.actor, under)
        tickets.resolve(s, app.actor, under, note="done", rules=app.sla_rules)

    store.write(done)
    screen.refresh_view()
    await settle(pilot)
    return screen, table


async def test_moving_between_an_open_and_a_resolved_ticket_keeps_the_footer_keys(sqlite_store, clock, tmp_path):
    """P (progress call) is offered on an open ticket only: the footer's key widgets are kept
    and P is greyed in place, not every key unmounted and mounted again."""
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        screen, table = await _resolved_and_open(app, pilot, sqlite_store)
        keys = list(screen.query("FooterKey"))
        progress = [k for k in keys if k.action == "progress_call"]
        assert progress and progress[0].has_class("-disabled")  # the resolved ticket
        await pilot.press("down")  # the open one
        await settle(pilot)
        assert list(screen.query("FooterKey")) == keys  # the same widgets
        assert not progress[0].has_class("-disabled")
        await pilot.press("up")
        await settle(pilot)
        assert list(screen.query("FooterKey")) == keys and progress[0].has_class("-disabled")


async def test_the_footer_changes_in_the_frame_that_shows_the_row(sqlite_store, clock, tmp_path):
    """The cursor moved to an open ticket and P offered are one frame: never a frame with the
    new row and the old footer (the footer's own frame came up to two frame periods later)."""
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        screen, table = await _resolved_and_open(app, pilot, sqlite_store)
        progress = next(k for k in screen.query("FooterKey") if k.action == "progress_call")
        frames = on_frames(app, lambda: (table.cursor_row, progress.has_class("-disabled")))
        for key in ("down", "up", "down"):
            await pilot.press(key)
            await settle(pilot)
        assert frames and {row for row, _ in frames} == {0, 1}
        resolved_row = 0
        assert all(disabled == (row == resolved_row) for row, disabled in frames), frames


async def test_page_keys_faster_than_the_pages_load_never_count_a_page_that_is_not_there(
        sqlite_store, clock, tmp_path):
    """Down at the last row, pressed again before the next page has loaded (a held key, a
    burst): the page shown and the page number agree, and no page is skipped or counted twice."""
    from textual import events

    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        screen, table, _ids = await _queue_of(app, pilot, sqlite_store)
        order = _queue_order(app, screen, sqlite_store)
        per_page = table.row_count
        table.move_cursor(row=per_page - 1)
        await settle(pilot)
        for _ in range(3):  # all queued at once, before the next page can load
            app.post_message(events.Key("down", None))
        await settle(pilot)
        await settle(pilot)
        assert len(screen._starts) == 2, screen._starts  # page 2, counted once
        shown = [int(str(table.get_row_at(i)[0]).rstrip("!")) for i in range(table.row_count)]
        assert shown == order[per_page:2 * per_page]  # the page after, not the one after that
        info = str(screen.query_one("#tickets-info").render())
        assert "2" in info.split("|")[0], info


def _tab_shown(screen) -> str:
    """The digit of the queue the tab line highlights."""
    from deskconsole.ui.text import Static

    text = screen.query_one("#tickets-tabs", Static).content
    marked = [text.plain[s.start:s.end] for s in text.spans if "reverse" in str(s.style)]
    return marked[0].split()[0] if marked else ""


async def test_a_queue_key_draws_its_tab_with_its_page(sqlite_store, clock, tmp_path, monkeypatch):
    """The tab line changes with the page it names, in one frame: drawn at the key, it made the
    page's frame wait for the next frame period. A page slower than TABS_ALONE_AFTER shows the
    tab line by itself first (here: after a millisecond)."""
    import threading

    from deskconsole.services.tickets import queues
    from deskconsole.ui.screens import tickets as tickets_screen
    from tests.ui.test_forms import _until

    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        screen, table, _ids = await _queue_of(app, pilot, sqlite_store, n=3)
        assert _tab_shown(screen) == "7" and table.row_count == 3
        gate, real = threading.Event(), queues.fetch_page

        def held(*args, **kw):
            gate.wait(10)
            return real(*args, **kw)

        monkeypatch.setattr(queues, "fetch_page", held)
        for alone_after, key, then in ((60, "1", "1"), (0.001, "7", "7")):
            monkeypatch.setattr(tickets_screen, "TABS_ALONE_AFTER", alone_after, raising=False)
            gate.clear()
            await pilot.press(key)
            if alone_after < 1:  # past the threshold (a real timer): the loop turns until it fires
                assert await _until(pilot, lambda k=key: _tab_shown(screen) == k)
            await pilot.pause()
            assert _tab_shown(screen) == ("7" if alone_after > 1 else then)  # the page is not back yet
            gate.set()
            await settle(pilot)
            assert _tab_shown(screen) == then


async def test_a_page_with_another_number_of_rows_lays_nothing_out(sqlite_store, clock, tmp_path, monkeypatch):
    """Queue pages of 23 and 0 rows in turn repaint the table and lay out nothing (the table's
    new virtual size laid the whole screen out: 5 queue keys of 7 on the bench), and show what
    they hold."""
    from tests.ui.helpers import count_layouts
    from tests.ui.screen_text import screen_lines

    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        screen, table, ids = await _queue_of(app, pilot, sqlite_store)
        full, before = table.row_count, screen_lines(app)
        shown = [line for line in before if "request " in line]
        assert len(shown) == full
        laid = count_layouts(monkeypatch)
        await pilot.press("3")  # escalated: none
        await settle(pilot)
        assert table.row_count == 0 and laid[0] == 0
        assert not any("request " in line for line in screen_lines(app))
        await pilot.press("7")
        await settle(pilot)
        assert table.row_count == full and laid[0] == 0
        assert [line for line in screen_lines(app) if "request " in line] == shown
