"""By keys: a watch-listed caller's call form warns (the action; a supervisor also sees the
reason) and the hit is recorded; the call form shows the unit's open tickets; Ctrl+Y in the
unit field opens the unit's timeline and Enter opens a ticket from it."""

from datetime import timedelta

from sqlalchemy import select

from deskconsole.models import Call, Ticket, WatchHit
from deskconsole.services import watch
from deskconsole.services.context import Actor
from deskconsole.ui.modals.call_form import CallFormModal
from deskconsole.ui.modals.timeline import TimelineModal
from deskconsole.ui.screens.ticket_view import TicketViewScreen
from tests.ui.helpers import build_app, seed_operator, settle, sign_on, type_text


def supervisor_actor(store, clock):
    op = seed_operator(store, clock, staff_no="001", name="王芳", role="supervisor", pin="135790")
    return Actor(op.id, "001", "王芳", "supervisor", None, None, "", clock)  # type: ignore[arg-type]


def context_text(app) -> str:
    return str(app.screen.query_one("#caller-context").render())


async def answer(pilot) -> None:
    await pilot.press("f7")
    await settle(pilot)
    await pilot.press("f7")
    await settle(pilot)
    assert isinstance(pilot.app.screen, CallFormModal)


async def test_a_watch_listed_callers_form_warns_with_the_action_and_records_the_hit(sqlite_store, clock, tmp_path):
    boss = supervisor_actor(sqlite_store, clock)
    sqlite_store.write(lambda s: watch.add(s, boss, phone="13812345678", reason="多次骚扰来电",
                                           action="call_security", valid_until=clock.now() + timedelta(days=7)))
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        await answer(pilot)
        await pilot.press("enter", "enter")  # name, honorific
        await type_text(pilot, "138 1234 5678")
        await settle(pilot)
        shown = context_text(app)
        assert "WATCH LIST" in shown and "call security" in shown
        assert "多次骚扰来电" not in shown  # the reason is for supervisors
        await type_text(pilot, "")
        await pilot.press("backspace")
        await type_text(pilot, "8")  # typed again: one hit per form, not per keystroke
        await settle(pilot)
    with sqlite_store.read() as s:
        hits = s.execute(select(WatchHit)).scalars().all()
    assert [(h.place, h.matched, h.action) for h in hits] == [("call", "phone", "call_security")]


async def test_the_call_form_shows_open_tickets_and_ctrl_y_opens_the_units_timeline(sqlite_store, clock, tmp_path):
    from deskconsole.services import shifts

    seed_operator(sqlite_store, clock)
    other = seed_operator(sqlite_store, clock, staff_no="102", name="赵敏", pin="1357")
    day_before = sqlite_store.write(lambda s: shifts.sign_on(s, other, desk_name="Lobby-2", clock=clock))

    def tickets(s):
        at = clock.now() - timedelta(days=1)
        stamps = day_before.stamps()
        rows = [Ticket(kind="repair", status="assigned", unit="A-1201", customer_name="王建国", description="卫生间漏水",
                       department="engineering", due_at=clock.now() + timedelta(hours=3),
                       first_owner_id=other.id, created_at=at, updated_at=at, shift_id=stamps["shift_id"],
                       desk_id=stamps["desk_id"]),
                Ticket(kind="complaint", status="new", unit="A-1201", customer_name="王建国", description="噪音",
                       first_owner_id=other.id, created_at=at + timedelta(hours=1), updated_at=at,
                       shift_id=stamps["shift_id"], desk_id=stamps["desk_id"])]
        s.add_all(rows)
        s.add(Call(started_at=at - timedelta(hours=1), unit="A-1201", status="missed", caller_name="王建国",
                   **stamps))
        s.flush()
        return rows[0].id

    repair_id = sqlite_store.write(tickets)
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        await answer(pilot)
        await pilot.press("enter", "enter", "enter")  # name, honorific, phone
        await type_text(pilot, "A-1201")
        await settle(pilot)
        assert f"2 open tickets for A-1201 (#{repair_id} Repair, due" in context_text(app)
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert isinstance(app.screen, TimelineModal)
        assert "Open tickets (2)" in str(app.screen.query_one("#timeline-open").render())
        table = app.screen.query_one("#timeline-lines")
        assert table.row_count == 3  # two tickets and the missed call, newest first
        await pilot.press("down")  # the repair ticket (the complaint is newer)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TicketViewScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, TimelineModal)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, CallFormModal)


async def test_a_supervisor_adds_and_removes_a_watch_list_entry_by_keys_signed_with_the_pin(
        sqlite_store, clock, tmp_path):
    from deskconsole.models import AuditEvent, WatchEntry
    from deskconsole.ui.modals.watch_list import WatchEntryModal, WatchListModal

    seed_operator(sqlite_store, clock, staff_no="001", name="王芳", role="supervisor", pin="135790")
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot, staff_no="001", pin="135790")
        await pilot.press("f6")
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, WatchListModal)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, WatchEntryModal)
        await type_text(pilot, "王建国")
        await pilot.press("enter")
        await type_text(pilot, "13812345678")
        await pilot.press("enter")
        await type_text(pilot, "former contractor")
        await pilot.press("enter", "down", "enter")  # call security
        await type_text(pilot, "2026-12-31")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await type_text(pilot, "135790")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, WatchListModal)
        assert app.screen.query_one("#watch-entries").row_count == 1
        await pilot.press("x")
        await settle(pilot)
        await type_text(pilot, "135790")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one("#watch-entries").row_count == 0
    with sqlite_store.read() as s:
        [entry] = s.execute(select(WatchEntry)).scalars().all()
        actions = [a for a, in s.execute(select(AuditEvent.action).where(AuditEvent.entity == "watch_entry"))]
    assert (entry.name, entry.phone, entry.action, entry.removed_at is not None) == (
        "王建国", "13812345678", "call_security", True)
    assert actions == ["watch_add", "watch_remove"]


async def test_a_receptionist_cannot_open_the_watch_list(sqlite_store, clock, tmp_path):
    from deskconsole.ui.modals.watch_list import WatchListModal

    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        await pilot.press("f6")
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        assert not isinstance(app.screen, WatchListModal)


async def test_a_supervisor_previews_a_resident_list_on_screen_then_imports_it(sqlite_store, clock, tmp_path):
    from pathlib import Path

    from deskconsole.models import DirectoryEntry
    from deskconsole.ui.modals.directory_import import DirectoryImportModal

    listing = Path(__file__).resolve().parents[1] / "fixtures" / "residents" / "pms_export_gb18030.csv"
    seed_operator(sqlite_store, clock, staff_no="001", name="王芳", role="supervisor", pin="135790")
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot, staff_no="001", pin="135790")
        await pilot.press("f6")
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, DirectoryImportModal)
        await type_text(pilot, str(listing))
        await pilot.press("ctrl+s")  # nothing previewed yet: nothing imported
        await settle(pilot)
        await pilot.press("enter", "enter", "enter")  # file, encoding (detected), columns: preview
        await settle(pilot)
        report = str(app.screen.query_one("#import-report").render())
        assert "身份证号" in report and "性别, 面积, 入住日期" in report and "gb18030" in report
        assert app.screen.query_one("#import-preview").row_count == 3
        with sqlite_store.read() as s:
            assert s.execute(select(DirectoryEntry)).first() is None  # a preview writes nothing
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, DirectoryImportModal)
    with sqlite_store.read() as s:
        units = [e.unit for e in s.execute(select(DirectoryEntry).order_by(DirectoryEntry.id)).scalars()]
    assert units == ["3-2-1201", "3-2-1202", "5-1-0801"]
