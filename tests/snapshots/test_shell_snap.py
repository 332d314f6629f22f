"""Snapshots of the sign-on and home screens at 100x30 in zh-CN and en (foundation §8)."""

import pytest

from tests.ui.helpers import build_app, seed_operator, settle, sign_on


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_sign_on_screen(snap_compare, sqlite_store, clock, tmp_path, language):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language=language)

    async def run_before(pilot):
        await settle(pilot)

    assert snap_compare(app, terminal_size=(100, 30), run_before=run_before)


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_home_screen(snap_compare, sqlite_store, clock, tmp_path, language):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language=language)

    async def run_before(pilot):
        await sign_on(pilot)
        pilot.app.action_go("home")
        pilot.app.clear_notifications()
        await settle(pilot)

    assert snap_compare(app, terminal_size=(100, 30), run_before=run_before)
