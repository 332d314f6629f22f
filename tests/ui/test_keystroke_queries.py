"""A keystroke costs no more SQL statements on four weeks of history than on one (the console
must feel the same on day 1800 as on day 1). The demo draws each day from its own
seeded Random, so both databases have the same recent days and live desk. Statements are counted with
an engine event while the key is handled (its workers included); the header's two-second
counter poll is switched off so that only the key's own work is counted."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime

import pytest
from sqlalchemy import event
from textual.screen import ModalScreen

from deskconsole.clock import FakeClock
from deskconsole.db.store import Store
from tests.ui.helpers import build_app, settle, type_text

NOW = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)  # 11:00 in Shanghai, the demo's "now"
MAX_PER_KEY = 40
SLACK = 8  # statements over a whole key sequence


@pytest.fixture(scope="module")
def demo_files(tmp_path_factory):
    from deskconsole.demo import generate

    out = {}
    for days in (7, 28):
        path = tmp_path_factory.mktemp(f"days{days}") / "demo.db"
        store = Store(f"sqlite:///{path}").open()
        generate(store, days=days, seed=3, scale="normal", clock=FakeClock(NOW), pipeline=False)
        store.close()
        out[days] = path
    return out


async def _clear_sign_on_steps(pilot) -> None:
    """Acknowledge the handover (Enter), skip the self-check (Esc, then y)."""
    for _ in range(6):
        screen = pilot.app.screen
        if not isinstance(screen, ModalScreen):
            return
        await pilot.press("enter" if "Handover" in type(screen).__name__ else "escape")
        await settle(pilot)
        if pilot.app.screen is screen or type(pilot.app.screen).__name__ == "ConfirmModal":
            await pilot.press("y")
            await settle(pilot)


async def sign_on_as_supervisor(pilot, store) -> None:
    """Sign on as supervisor 001 once the store (opened in a worker after the first frame) is
    open, and clear the sign-on steps."""
    await settle(pilot)
    for _ in range(200):
        if store.is_open:
            break
        await pilot.pause(0.01)
    await settle(pilot)
    await type_text(pilot, "001")
    await pilot.press("enter")
    await type_text(pilot, "135790")
    await pilot.press("enter")
    await settle(pilot)
    await _clear_sign_on_steps(pilot)


async def _count(path, tmp_path, setup: list[str], keys: list[str]) -> list[int]:
    """Statements per key in `keys`, after `setup` keys, signed on as supervisor 001."""
    work = tmp_path / f"copy-{path.parent.name}.db"
    shutil.copy(path, work)
    store = Store(f"sqlite:///{work}")
    app = build_app(store, FakeClock(NOW), tmp_path, desk_name="desk-1", idle_lock_minutes=0)
    app.store_watch.poll = lambda force=False: None  # the header poll would add statements at random
    counts: list[int] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on_as_supervisor(pilot, store)
        for key in setup:
            await pilot.press(key)
            await settle(pilot)
        seen: list[str] = []

        def on_sql(conn, cursor, statement, *args) -> None:
            seen.append(statement)

        event.listen(store.engine, "before_cursor_execute", on_sql)
        try:
            for key in keys:
                seen.clear()
                await pilot.press(key)
                await settle(pilot)
                counts.append(len(seen))
        finally:
            event.remove(store.engine, "before_cursor_execute", on_sql)
    store.close()
    return counts


SCENARIOS = {
    # name: (mode that must exist, keys before counting, keys counted)
    "switching screens": (None, [], ["f2", "f3", "f4", "f5", "f6", "f2", "f3", "f4"]),
    "ticket queues, sort and paging": ("tickets", ["f4"], ["1", "7", "s", "right_square_bracket", "3"]),
    "typing in the visit search": ("reception", ["f2", "ctrl+f"], ["王", "3", "-", "1", "backspace"]),
    "phone register paging": ("phone", ["f3"], ["n", "p"]),
    "shift summary steps": ("shift", ["f6"], ["left_square_bracket", "right_square_bracket", "t"]),
}


@pytest.mark.parametrize("scenario", list(SCENARIOS))
async def test_a_keystroke_costs_no_more_statements_on_four_weeks_than_on_one(demo_files, tmp_path, scenario):
    from deskconsole.ui.modes import MODES

    mode, setup, keys = SCENARIOS[scenario]
    names = {m.name for m in MODES}
    assert mode is None or mode in names, f"no {mode} screen registered: the scenario names a mode that is gone"
    if mode is None:
        keys = [k for k in keys if any(m.key == k for m in MODES)]
    one_week = await _count(demo_files[7], tmp_path, setup, keys)
    four_weeks = await _count(demo_files[28], tmp_path, setup, keys)
    detail = dict(zip(keys, zip(one_week, four_weeks, strict=True), strict=True))
    # Which key of a burst runs a debounced query, and a screen's own timers (the live shift
    # figures, the queue's apology clock), move a few statements between keys and runs; a
    # query per row of history would multiply them by four.
    assert sum(four_weeks) <= sum(one_week) + SLACK, detail
    assert max(four_weeks) <= MAX_PER_KEY, detail
