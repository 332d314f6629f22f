"""A terminal escape written by another terminal (or straight into the database) never
reaches the screen raw (reliability §4): services clean on write, and every record loaded
through the ORM is cleaned again on its way to a screen."""

from __future__ import annotations

from deskconsole.db.store import Store
from deskconsole.models import Visit
from deskconsole.services import operators, reception, shifts
from tests.ui.helpers import build_app, seed_operator, settle, sign_on

HOSTILE = "王\x1b]0;pwned\x07\x1b[2J\x1b[31mRED\x9b5m\u202e"


def _actor(store, clock):
    with store.read() as s:
        op = next(o for o in operators.list_operators(s) if o.staff_no == "101")
    return store.write(lambda s: shifts.sign_on(s, op, desk_name="Lobby-1", clock=clock))


def test_another_terminal_writing_escapes_through_the_services_stores_clean_text(sqlite_store, clock):
    seed_operator(sqlite_store, clock)
    other = Store(sqlite_store.url).open()  # the second terminal
    actor = _actor(other, clock)
    vid = other.write(lambda s: reception.check_in(s, actor, reception.CheckInForm(name=HOSTILE, unit="3-502\x1b[5m"))).id
    other.close()
    with sqlite_store.engine.connect() as conn:
        raw = conn.exec_driver_sql("SELECT name, unit FROM visit WHERE id = ?", (vid,)).one()
    assert tuple(raw) == ("王RED", "3-502")


def test_a_raw_escape_in_the_database_is_cleaned_when_loaded(sqlite_store, clock):
    seed_operator(sqlite_store, clock)
    actor = _actor(sqlite_store, clock)
    vid = sqlite_store.write(lambda s: reception.check_in(s, actor, reception.CheckInForm(name="王"))).id
    with sqlite_store.engine.begin() as conn:  # a script wrote straight into the database
        conn.exec_driver_sql("UPDATE visit SET name = ?, note = ? WHERE id = ?", (HOSTILE, "行一\n行二\x1b[8m", vid))
    with sqlite_store.read() as s:
        visit = s.get(Visit, vid)
        assert (visit.name, visit.note) == ("王RED", "行一\n行二")
    with sqlite_store.engine.connect() as conn:  # the database itself is not rewritten
        assert conn.exec_driver_sql("SELECT name FROM visit WHERE id = ?", (vid,)).scalar() == HOSTILE


async def test_the_waiting_queue_never_draws_a_raw_escape(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    actor = _actor(sqlite_store, clock)
    vid = sqlite_store.write(lambda s: reception.check_in(s, actor, reception.CheckInForm(name="王"))).id
    with sqlite_store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE visit SET name = ?, unit = ? WHERE id = ?", (HOSTILE, "3-502\x1b[5m", vid))
    app = build_app(sqlite_store, clock, tmp_path, language="zh-CN")
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        await settle(pilot)
        screen = app.export_screenshot()
    assert "王RED" in screen  # the visitor is listed, cleaned
    for raw in ("\x1b", "\x07", "\x9b", "\u202e"):
        assert raw not in screen, f"{raw!r} reached the screen"
