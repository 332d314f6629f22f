"""A screen loads what it shows once per showing: its first showing (mounted, then resumed)
and a ticket opened load once, not twice (they did: the mount loaded it and the resume that
follows loaded it again, a second round of queries on every first F-key and every ticket)."""

from __future__ import annotations

from collections import Counter

from deskconsole.services import tickets
from deskconsole.services.sla import rules_from
from deskconsole.ui.modes import MODES
from deskconsole.ui.screens.base import DeskScreen
from tests.conftest import make_config
from tests.ui.helpers import build_app, on_frames, seed_operator, settle, sign_on, type_text


def _all_screen_classes() -> list[type]:
    import importlib
    import pkgutil

    import deskconsole.ui.screens as package

    for info in pkgutil.iter_modules(package.__path__):  # every screen class defined
        importlib.import_module(f"{package.__name__}.{info.name}")
    out, todo = [], [DeskScreen]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            out.append(sub)
            todo.append(sub)
    return out


def _count_loads(monkeypatch) -> Counter:
    loads: Counter = Counter()
    for cls in _all_screen_classes():
        if "refresh_view" in cls.__dict__:
            original = cls.__dict__["refresh_view"]

            def counted(self, _original=original):
                loads[type(self).__name__] += 1
                return _original(self)

            monkeypatch.setattr(cls, "refresh_view", counted)
    return loads


async def test_each_screen_loads_once_when_first_shown(sqlite_store, clock, tmp_path, monkeypatch):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, idle_lock_minutes=0)  # screens built on first showing
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        app.store_watch.poll = lambda force=False: None  # only the keys' own loads are counted
        loads = _count_loads(monkeypatch)
        shown = []
        for spec in MODES:
            if not spec.key:
                continue
            loads.clear()
            before = app.screen
            await pilot.press(spec.key)
            await settle(pilot)
            if app.screen is before:  # the screen sign-on showed (reception): shown already
                continue
            screen = type(app.screen).__name__
            shown.append(screen)
            assert loads[screen] == 1, (spec.key, dict(loads))
        assert len(set(shown)) >= 4, shown


async def test_a_change_of_language_reloads_the_screen_shown_once(sqlite_store, clock, tmp_path, monkeypatch):
    """The screen rebuilt in the other language loads what it shows again, once (reception's
    own rebuild loaded it, and recompose_in_language again)."""
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language="en", idle_lock_minutes=0)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        app.store_watch.poll = lambda force=False: None
        for spec in MODES:
            if not spec.key:
                continue
            await pilot.press(spec.key)
            await settle(pilot)
            loads = _count_loads(monkeypatch)
            app.language = "zh-CN" if app.language == "en" else "en"
            await settle(pilot)
            screen = type(app.screen).__name__
            assert loads[screen] == 1, (spec.key, dict(loads))
            monkeypatch.undo()


async def test_a_ticket_opened_loads_once(sqlite_store, clock, tmp_path, monkeypatch):
    from deskconsole.services import shifts
    from deskconsole.services.tickets import queues
    from deskconsole.ui.screens.ticket_view import open_ticket
    from tests.ui.test_tickets import seed_operator_info

    seed_operator(sqlite_store, clock)

    def two(s):
        actor = shifts.sign_on(s, seed_operator_info(s), desk_name="Lobby-1", clock=clock)
        return [tickets.create_ticket(s, actor, kind="inquiry", customer_name=name, unit=unit,
                                      description="d", rules=rules_from(make_config(tmp_path))).id
                for name, unit in (("王", "1-101"), ("李", "2-202"))]

    first, second = sqlite_store.write(two)
    details: list[int] = []
    original = queues.ticket_detail
    monkeypatch.setattr(queues, "ticket_detail", lambda s, ticket_id, **kw: details.append(ticket_id) or original(s, ticket_id, **kw))
    app = build_app(sqlite_store, clock, tmp_path, idle_lock_minutes=0)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        app.store_watch.poll = lambda force=False: None
        for ticket_id in (first, second, first):
            details.clear()
            open_ticket(app, ticket_id)
            await settle(pilot)
            assert details == [ticket_id]
            await pilot.press("escape")
            await settle(pilot)


async def test_the_store_poll_after_a_save_does_not_reload_what_the_save_reloaded(sqlite_store, clock, tmp_path,
                                                                                  monkeypatch):
    from deskconsole.ui.screens.reception import ReceptionScreen
    from tests.ui.test_reception import open_reception

    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, idle_lock_minutes=0)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_reception(pilot)
        loads = _count_loads(monkeypatch)
        lists = []
        read_lists = ReceptionScreen._refresh_lists
        monkeypatch.setattr(ReceptionScreen, "_refresh_lists", lambda self: (lists.append(1), read_lists(self)))
        await type_text(pilot, "王")
        await pilot.press("ctrl+s")
        await settle(pilot)
        # The save reads the waiting list, then the other lists once (after its frame).
        assert loads["ReceptionScreen"] == 0 and len(lists) == 1
        app.store_watch.poll()  # the 2-second poll that follows sees the save's own write
        await settle(pilot)
        assert loads["ReceptionScreen"] == 0 and len(lists) == 1
        # Another terminal's write is loaded by the poll.
        from deskconsole.services import reception as rs
        from deskconsole.services import shifts
        from tests.ui.test_tickets import seed_operator_info

        def other(s):
            actor = shifts.sign_on(s, seed_operator_info(s), desk_name="Lobby-2", clock=clock)
            rs.check_in(s, actor, rs.CheckInForm(name="李"))

        sqlite_store.write(other)
        app.store_watch.poll()
        await settle(pilot)
        assert loads["ReceptionScreen"] == 1 and len(lists) == 2


async def test_an_f_key_draws_the_screen_it_shows_once(sqlite_store, clock, tmp_path, monkeypatch):
    """Textual lays the screen out as the mode switches and draws that layout at once, then
    draws the whole screen again when the screen's resume (queued at the switch) is handled:
    every F-key drew its screen twice. A frame now waits, a frame period at most, for the
    messages the screen has queued, so the screen is drawn once, resumed. (A frame of the
    status bar alone is its clock or counters, not the key's.)"""
    from textual.screen import Screen

    from deskconsole.ui.widgets.status_bar import StatusBar

    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        for key in ("f3", "f2"):  # both built and shown once
            await pilot.press(key)
            await settle(pilot)
        asked = []
        real = Screen._compositor_refresh

        def noting(self) -> None:
            asked.append({type(w) for w in self._dirty_widgets})
            real(self)

        monkeypatch.setattr(Screen, "_compositor_refresh", noting)
        frames = []
        on_frames(app, lambda: frames.append(asked[-1]))
        await pilot.press("f3")
        await settle(pilot)
        assert type(app.screen).__name__ == "PhoneScreen"
        assert len([drawn for drawn in frames if drawn != {StatusBar}]) == 1
