"""Snapshots of the reception screen with a queue of three (one owed an apology), one
visitor in the building and one expected, at 100x30 and 80x24, in zh-CN and en."""

import pytest

from deskconsole.services import reception as rs
from deskconsole.services import reception_query as rq
from deskconsole.services import shifts
from tests.ui.helpers import build_app, seed_operator, settle
from tests.ui.test_reception import open_reception

PEOPLE = [("王", "mr", "13800138000", "1-1202", "张三"), ("Smith", "ms", "+442079460958", "A-0501", ""),
          ("欧阳", "miss", "", "3-0801", "李四"), ("赵", "mrs", "01065528888", "2-1101", "")]


def seed_visits(store, clock):
    op = seed_operator(store, clock)
    actor = store.write(lambda s: shifts.sign_on(s, op, desk_name="Lobby-1", clock=clock))
    for i, (name, hon, phone, unit, host) in enumerate(PEOPLE):
        store.write(lambda s, n=name, h=hon, p=phone, u=unit, o=host, i=i: rs.check_in(
            s, actor, rs.CheckInForm(name=n, honorific=h, phone=p, unit=u, host=o, party_size=1 + i % 2)))
        clock.advance(75)
    store.write(lambda s: rs.serve(s, actor, 4, threshold_minutes=3))  # 赵 served out of order
    when = clock.now().replace(hour=6, minute=30)  # 14:30 in Shanghai
    store.write(lambda s: rq.expect(s, actor, when=when, name="陈", honorific="mr", host="1-1202 王",
                                    now=clock.now()))


@pytest.mark.parametrize("size", [(100, 30), (80, 24)], ids=["100x30", "80x24"])
@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_reception_with_a_queue_of_three(snap_compare, sqlite_store, clock, tmp_path, language, size):
    seed_visits(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language=language)

    async def run_before(pilot):
        await open_reception(pilot)
        pilot.app.clear_notifications()
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_an_f_key_on_the_expected_visit_form_says_so_on_the_form(snap_compare, sqlite_store, clock, tmp_path,
                                                                   language):
    """The form stays as typed; the line at the bottom of the window says to close it first."""
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language=language)

    async def run_before(pilot):
        await open_reception(pilot)
        await pilot.press("ctrl+t", "enter", "陈", "f4")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
