"""Snapshots of the F6 shift summary at 100x30 and 80x24 in zh-CN and en: a live
shift with calls, visitors and a ticket, the misses of the standard in red."""

from __future__ import annotations

from datetime import timedelta

import pytest

from deskconsole.models import Call, Visit
from tests.ui.helpers import build_app, seed_operator, settle, sign_on
from tests.ui.test_shift import open_items_for, skip_self_check_if_offered


def busy_morning(store, actor, clock) -> None:
    now = clock.now()
    st = actor.stamps()

    def work(s):
        for minutes, answer in ((5, 4.0), (20, 9.0), (50, 7.5), (70, 12.0), (95, 3.0)):
            at = now + timedelta(minutes=minutes)
            s.add(Call(started_at=at, answered_at=at + timedelta(seconds=answer), answer_seconds=answer,
                       within_limit=True, status="ended", category="repair", **st))
        for minutes, wait in ((10, 60), (40, 240), (80, 30)):
            at = now + timedelta(minutes=minutes)
            s.add(Visit(arrived_at=at, served_at=at + timedelta(seconds=wait), status="left", purpose="repair", **st))

    store.write(work)
    open_items_for(store, actor, clock)


@pytest.mark.parametrize("size", [(100, 30), (80, 24)])
@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_shift_summary_screen(snap_compare, sqlite_store, clock, tmp_path, language, size):
    seed_operator(sqlite_store, clock)
    # The fake clock jumps two hours: the 5 s idle check must not lock the desk mid-snapshot.
    app = build_app(sqlite_store, clock, tmp_path, language=language, idle_lock_minutes=0)

    async def run_before(pilot):
        await sign_on(pilot)
        await skip_self_check_if_offered(pilot)
        busy_morning(sqlite_store, pilot.app.actor, clock)
        clock.advance(2 * 3600)
        pilot.app.store_watch.poll(force=True)  # the header counters, without waiting for the 2 s poll
        await settle(pilot)
        await pilot.press("f6")
        pilot.app.clear_notifications()
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)
