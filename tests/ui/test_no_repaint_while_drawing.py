"""No widget asks to be drawn again while the screen is drawing it. A widget that changes a
reactive of its own in `render` (the reception script panel set its border title there) is
drawn a second time, in a frame of its own, after every change: invisible to a snapshot, a
frame's worth of work each time. The tour covers every F-key screen on a week of demo data,
the keys the bench times (a check-in, the visit search, the ticket queues, a ticket) and a call."""

from __future__ import annotations

import shutil
from collections import Counter
from datetime import UTC, datetime

import pytest
from textual._compositor import Compositor
from textual.widget import Widget

from deskconsole.clock import FakeClock
from deskconsole.db.store import Store
from tests.ui.helpers import build_app, settle, type_text
from tests.ui.test_keystroke_queries import _clear_sign_on_steps, sign_on_as_supervisor

NOW = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def week(tmp_path_factory):
    from deskconsole.demo import generate

    path = tmp_path_factory.mktemp("week") / "demo.db"
    store = Store(f"sqlite:///{path}").open()
    generate(store, days=7, seed=3, scale="normal", clock=FakeClock(NOW), pipeline=False)
    store.close()
    return path


def _asked_while_drawing(monkeypatch) -> Counter:
    drawing = [0]
    asked: Counter = Counter()
    for name in ("render_update", "render_full_update"):
        real = getattr(Compositor, name)

        def drawn(self, *args, _real=real, **kw):
            drawing[0] += 1
            try:
                return _real(self, *args, **kw)
            finally:
                drawing[0] -= 1

        monkeypatch.setattr(Compositor, name, drawn)
    refresh = Widget.refresh

    def noted(self, *args, **kw):
        if drawing[0]:
            asked[type(self).__name__] += 1
        return refresh(self, *args, **kw)

    monkeypatch.setattr(Widget, "refresh", noted)
    return asked


async def tour(pilot, store) -> None:
    """Signed on as a supervisor: every F-key screen, two check-ins (one a hostile name), the
    lists, the visit search, every ticket queue, two tickets and their history, a call, F6."""
    await sign_on_as_supervisor(pilot, store)
    for key in ("f2", "f3", "f4", "f5", "f6", "f2"):
        await pilot.press(key)
        await settle(pilot)
        await _clear_sign_on_steps(pilot)
    for name in ("王芳", "a[/b]"):
        await type_text(pilot, name)
        await pilot.press("enter", "ctrl+s")
        await settle(pilot)
    await pilot.press("tab", "down", "down", "up")
    await settle(pilot)
    await pilot.press("ctrl+f")
    await type_text(pilot, "王3")
    await pilot.press("escape")
    await settle(pilot)
    await pilot.press("f4")
    await settle(pilot)
    for key in "1234567":
        await pilot.press(key)
        await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    await pilot.press("down", "down", "escape", "down", "enter")
    await settle(pilot)
    await pilot.press("escape", "f3", "f7")
    await settle(pilot)
    await pilot.press("f6", "tab", "tab")
    await settle(pilot)


@pytest.mark.parametrize("language", ["en", "zh-CN"])
async def test_no_widget_asks_to_be_drawn_again_while_it_is_drawn(week, tmp_path, monkeypatch, language):
    work = tmp_path / "desk.db"
    shutil.copy(week, work)
    store = Store(f"sqlite:///{work}")
    app = build_app(store, FakeClock(NOW), tmp_path, language=language, desk_name="desk-1", idle_lock_minutes=0)
    asked = _asked_while_drawing(monkeypatch)
    async with app.run_test(size=(100, 30)) as pilot:
        await tour(pilot, store)
        assert app.actor is not None
    # Textual's OptionList (F5's operator list) measures its options as it draws them, once per
    # change of the list: Textual's own, left as it is.
    asked.pop("OptionList", None)
    assert asked == Counter()
