"""Nothing a receptionist reads is cut off at 80x24, in either language: every screen's header
counters and footer keys, and every reception label (fields, columns, headings, the modals'
titles and fields) appear whole on screen. Compared with the catalog, cell for cell (a CJK
character takes two cells)."""

import re

import pytest

from deskconsole.i18n import Translator
from tests.snapshots.test_reception_snap import seed_visits
from tests.ui.helpers import build_app, settle, type_text
from tests.ui.screen_text import screen_lines
from tests.ui.test_reception import open_reception

SIZE = (80, 24)
FIELDS = ["name", "honorific", "phone", "unit", "host", "purpose", "party_size", "level", "note"]


def cut_labels(text: str, labels: list[str]) -> list[str]:
    return [label for label in labels if label not in text]


def header_and_footer_cuts(app) -> list[str]:
    """Counters in the header whole (full or short label, then the figure); footer keys whole."""
    t, lines = app.t, screen_lines(app)
    header, footer = lines[0], lines[-1]
    bad = [key for key in app.counters
           if not re.search(rf"(^| )({re.escape(t('counter.' + key))}|{re.escape(t('counter.short.' + key))}) \d",
                            header)]
    for _node, binding, _enabled, _tip in app.screen.active_bindings.values():
        if not binding.show or not t.has(binding.description or ""):
            continue
        display = app.get_key_display(binding)
        if re.search(rf"(^|\s){re.escape(display)} ", footer) and f"{display} {t(binding.description)}" not in footer:
            bad.append(f"{display} {t(binding.description)}")
    return bad


def reception_labels(t) -> list[str]:
    return ([t(f"reception.field.{f}") for f in FIELDS]
            + [t(f"reception.col.{c}") for c in ("number", "visitor", "wait", "host", "handoff", "time")]
            + [t("reception.form_title"), t("reception.expected.title"), t("reception.script.title")])


@pytest.mark.parametrize("language", ["zh-CN", "en"])
async def test_every_screen_shows_its_header_and_footer_whole_at_80x24(sqlite_store, clock, tmp_path, language):
    seed_visits(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language=language)
    async with app.run_test(size=SIZE) as pilot:
        await open_reception(pilot)
        app.clear_notifications()
        await settle(pilot)
        assert cut_labels("\n".join(screen_lines(app)), reception_labels(app.t)) == []
        for key in ("f2", "f3", "f4", "f5", "f6"):
            await pilot.press(key)
            await settle(pilot)
            app.clear_notifications()
            await settle(pilot)
            assert header_and_footer_cuts(app) == [], f"{language} {key}"


@pytest.mark.parametrize("language", ["zh-CN", "en"])
async def test_every_reception_modal_shows_its_labels_whole_at_80x24(sqlite_store, clock, tmp_path, language):
    seed_visits(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language=language)
    t = Translator(language)
    modals = {
        "ctrl+b": [t("reception.col.where"), t("reception.col.number"), t("reception.col.visitor"),
                   t("reception.col.level"), t("reception.col.party"), t("reception.rollcall.keys")],
        "ctrl+t": [t("reception.expected.new_title"), t("reception.field.when"), t("reception.field.name"),
                   t("reception.field.note")],
        "ctrl+f": [t("reception.search.title"), t("reception.col.status")],
        "ctrl+o": [t("reception.checkout_title"), t("reception.field.visit_number"), t("reception.checkout_keys")],
    }
    async with app.run_test(size=SIZE) as pilot:
        await open_reception(pilot)
        for key, labels in modals.items():
            await pilot.press(key)
            await settle(pilot)
            app.clear_notifications()
            await settle(pilot)
            assert cut_labels("\n".join(screen_lines(app)), labels) == [], key
            await pilot.press("escape")
            await settle(pilot)
        # The hand-off of the visitor inside (visit 4).
        app.screen.query_one("#inside").focus()
        await pilot.press("enter")
        await settle(pilot)
        app.clear_notifications()
        await settle(pilot)
        labels = [t(f"reception.field.{f}") for f in ("post", "person", "method", "description")]
        assert cut_labels("\n".join(screen_lines(app)), labels) == []


@pytest.mark.parametrize("language", ["zh-CN", "en"])
async def test_the_first_run_box_fits_80x24_whole(sqlite_store, clock, tmp_path, language):
    """Four fields and two lines of intro: the box was two rows too tall at 80x24 (its bottom
    border and the message line under it cut off, the screen scrolled), three with an error."""
    from deskconsole.ui.screens.first_run import FirstRunScreen

    app = build_app(sqlite_store, clock, tmp_path, language=language)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, FirstRunScreen)
        def fits() -> bool:
            box = screen.query_one("#signon-box").region
            line = screen.query_one("MessageLine").region
            return screen.max_scroll_y == 0 and box.y >= 0 and box.bottom <= line.y and line.bottom <= SIZE[1] - 1

        assert fits()
        # And with a field's error under it (a row more): the PINs typed differ.
        for text in ("001", "王芳", "135790", "135791"):
            await type_text(pilot, text)
            await pilot.press("enter")
        await settle(pilot)
        assert screen.query_one("#row-pin_again").has_class("-invalid")
        assert fits()
