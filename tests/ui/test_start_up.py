"""What the console does before its first frame, the sign-on screen (bench/startup.py times
it): the stylesheet is parsed once, the footer is built once and its keys styled once."""

from __future__ import annotations

from pathlib import Path

from textual.css.stylesheet import Stylesheet
from textual.dom import DOMNode
from textual.screen import Screen

import deskconsole.ui
from deskconsole.ui.app import DeskApp
from deskconsole.ui.screens.signon import SignOnScreen
from deskconsole.ui.widgets.footer import DeskFooter
from tests.ui.helpers import build_app, seed_operator, settle, sign_on

UI = Path(deskconsole.ui.__file__).parent


def _counting(monkeypatch, cls, name: str) -> list:
    calls = []
    real = getattr(cls, name)

    def counted(self, *args, **kw):
        calls.append(self)
        return real(self, *args, **kw)

    monkeypatch.setattr(cls, name, counted)
    return calls


def test_the_app_reads_every_stylesheet_and_no_screen_brings_its_own():
    """A screen or modal with a CSS_PATH made Textual parse the whole stylesheet again and
    restyle every screen the first time it was shown."""
    import importlib
    import pkgutil

    for package in ("deskconsole.ui.screens", "deskconsole.ui.modals"):
        for info in pkgutil.iter_modules(importlib.import_module(package).__path__):
            importlib.import_module(f"{package}.{info.name}")
    own = []
    todo = [Screen]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("deskconsole.") and ("CSS_PATH" in cls.__dict__ or "CSS" in cls.__dict__):
            own.append(cls.__name__)  # an inline CSS makes Textual parse everything again just the same
    assert own == []
    listed = {UI / path for path in DeskApp.CSS_PATH}
    assert listed == set(UI.rglob("*.tcss"))


async def test_sign_on_screen_first_frame_parses_css_once_and_builds_the_footer_once(
        sqlite_store, clock, tmp_path, monkeypatch):
    seed_operator(sqlite_store, clock)
    reparsed = _counting(monkeypatch, Stylesheet, "reparse")
    rebuilt = _counting(monkeypatch, DeskFooter, "recompose")
    restyled = _counting(monkeypatch, DOMNode, "update_node_styles")
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SignOnScreen)
        # Once: the keys arrive after the footer is composed; not again once it is laid out.
        assert len(rebuilt) == 1
        keys = list(app.screen.query("FooterKey"))
        assert len(keys) >= 3
        # Each key mounted in the footer's look, not restyled as Textual's compact default first.
        assert not any(node in keys for node in restyled)
        assert reparsed == []
        await sign_on(pilot)
        await settle(pilot)
        assert reparsed == []  # nor when the F-key screens are shown
        for key in ("f3", "f4", "f5", "f6"):
            await pilot.press(key)
            await settle(pilot)
        assert reparsed == []


async def test_a_failing_footer_check_is_said_on_the_message_line_not_lost(sqlite_store, clock, tmp_path,
                                                                            monkeypatch):
    """The footer hears of new keys from Textual's signal, which only logs what its callbacks
    raise: a broken footer check went unseen, with the keys shown no longer true."""
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        await settle(pilot)

        def broken(self):
            raise RuntimeError("footer check failed")

        monkeypatch.setattr(DeskFooter, "_needs_rebuild", broken)
        await pilot.press("f4")
        await settle(pilot)
        shown = str(app.screen.query_one("MessageLine").render())
        assert app.t("error.unexpected", log=app.log_path) in shown
        assert "footer check failed" not in shown  # the error's own text goes to the log only


async def test_the_footer_keys_follow_a_change_of_its_compact_look(sqlite_store, clock, tmp_path):
    """The keys are made in the footer's look rather than bound to it: setting `compact`
    rebuilds them in the new look at once, not at the next change of keys."""
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        await settle(pilot)
        footer = app.screen.query_one(DeskFooter)
        keys = [k for k in footer.query("FooterKey") if not k.has_class("-command-palette")]
        assert keys and not any(k.has_class("-compact") for k in keys)
        footer.compact = True
        await settle(pilot)
        keys = [k for k in footer.query("FooterKey") if not k.has_class("-command-palette")]
        assert keys and all(k.has_class("-compact") and k.compact for k in keys)


async def test_no_frame_is_drawn_while_the_app_batches_and_the_first_is_the_whole_sign_on(
        sqlite_store, clock, tmp_path, monkeypatch):
    """Textual throws away a frame drawn while the app batches its updates (App._display),
    after clearing what it drew. The sign-on screen is mounted in the batch of the app's start:
    its whole first frame was drawn and thrown away (~10 ms before the first frame), and the
    first frame the terminal got held only the text that changed after it: no box, no fields,
    no background."""
    from textual._compositor import Compositor, LayoutUpdate

    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path)
    frames = []
    real = Compositor.render_update

    def render_update(compositor, *args, **kw):
        update = real(compositor, *args, **kw)
        frames.append((app._batch_count, update))
        return update

    monkeypatch.setattr(Compositor, "render_update", render_update)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SignOnScreen)
        drawn = [(batched, update) for batched, update in frames if update is not None]
        assert drawn and not any(batched for batched, _ in drawn)
        # The first frame drawn covers the whole screen: every line of it, the box included.
        first = drawn[0][1]
        assert isinstance(first, LayoutUpdate) or first.spans  # (a chops update names its lines)
        lines = first.region.height if isinstance(first, LayoutUpdate) else len({y for y, *_ in first.spans})
        assert lines == 30


async def test_the_sign_on_screen_is_not_restyled_whole_when_it_is_first_shown(
        sqlite_store, clock, tmp_path, monkeypatch):
    """Its widgets were styled as they mounted: Textual restyled them all again as the screen was
    shown (ScreenResume), ~20 widgets before the first frame."""
    seed_operator(sqlite_store, clock)
    restyled = _counting(monkeypatch, DOMNode, "update_node_styles")
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SignOnScreen)
        assert screen not in restyled
        # What changes is still restyled at once: the field the focus went to.
        assert screen.query_one("#staff_no") in restyled
