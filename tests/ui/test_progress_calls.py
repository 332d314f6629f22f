"""A progress call from the follow-up worklist, by keys only (DOMAIN §3, 000 C: keep the
complainant informed until it is solved)."""

from sqlmodel import select

from deskconsole.models import Call, ProgressCall
from deskconsole.services import operators, shifts, tickets
from deskconsole.services.sla import rules_from
from deskconsole.ui.modals.ticket_action_form import TicketActionModal
from deskconsole.ui.screens.ticket_view import TicketViewScreen
from deskconsole.ui.screens.tickets import TicketsScreen
from deskconsole.ui.text import DataTable
from tests.conftest import make_config
from tests.ui.helpers import build_app, seed_operator, settle, sign_on, type_text


def _complaint_received_this_morning(store, clock, tmp_path) -> int:
    """A complaint taken at 09:00 by a colleague at the other desk."""
    rules = rules_from(make_config(tmp_path))

    def work(s):
        op = operators.create_operator(s, staff_no="102", name="赵敏", role="receptionist", pin="1357",
                                       now=clock.now())
        colleague = shifts.sign_on(s, op, desk_name="Lobby-2", clock=clock)
        return tickets.create_ticket(s, colleague, kind="complaint", customer_name="王", honorific="mr",
                                     phone="13800138000", unit="3-1201", description="楼上装修噪音",
                                     rules=rules).id

    return store.write(work)


def _tasks(store):
    with store.read() as s:
        return list(s.exec(select(ProgressCall).order_by(ProgressCall.id)))


async def test_the_receptionist_logs_a_due_progress_call_from_the_worklist_by_keys(sqlite_store, clock, tmp_path):
    store = sqlite_store
    seed_operator(store, clock)
    tid = _complaint_received_this_morning(store, clock, tmp_path)
    clock.advance(9 * 3600)  # 18:00: the progress call was due at 17:00
    app = build_app(store, clock, tmp_path, language="zh-CN")
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        await pilot.press("f4", "6")  # Tickets, the follow-up worklist (待回访)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TicketsScreen) and screen.query_state.queue == "follow_up"
        table = screen.query_one("#tickets-table", DataTable)
        assert table.row_count == 1
        cells = [str(c) for c in table.get_row_at(0)]
        assert cells[0] == str(tid) and "-1:00" in cells and "进展" in cells  # an hour overdue

        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, TicketActionModal)
        await type_text(pilot, "施工方明天停工")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        done, nxt = _tasks(store)
        with store.read() as s:
            call = s.get(Call, done.call_id)
        assert (done.ticket_id, done.done_at, done.operator_id) == (tid, clock.now(), app.actor.operator_id)
        assert (call.direction, call.phone) == ("out", "13800138000")
        assert nxt.done_at is None and nxt.due_at > clock.now()
        assert table.row_count == 0  # done: off the worklist until the next one is due

        # The ticket's history shows the call (7: every ticket; Enter opens it)
        await pilot.press("7")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TicketViewScreen)
        history = app.screen.query_one("#ticket-history", DataTable)
        lines = [str(history.get_row_at(i)[2]) for i in range(history.row_count)]
        assert "进展回电: 施工方明天停工" in lines or "进展回电:施工方明天停工" in lines
        assert "进展回电须于" in str(app.screen.query_one("#ticket-followups").render())


async def test_p_is_not_offered_on_a_resolved_ticket_in_the_worklist(sqlite_store, clock, tmp_path):
    store = sqlite_store
    seed_operator(store, clock)
    tid = _complaint_received_this_morning(store, clock, tmp_path)
    rules = rules_from(make_config(tmp_path))

    def resolve(s):
        from deskconsole.services.context import Actor
        from deskconsole.services.tickets.history import get

        ticket = get(s, tid)
        colleague = Actor(operator_id=ticket.first_owner_id, staff_no="102", name="赵敏", role="receptionist",
                          shift_id=ticket.shift_id, desk_id=ticket.desk_id, desk_name="Lobby-2", clock=clock)
        tickets.assign_to(s, colleague, tid, who="张师傅")
        tickets.resolve(s, colleague, tid, note="已停工", rules=rules)

    store.write(resolve)
    app = build_app(store, clock, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        await pilot.press("f4", "6")
        await settle(pilot)
        assert app.screen.query_one("#tickets-table", DataTable).row_count == 1  # its follow-up call
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, TicketsScreen)
        assert [x.stopped_at is not None for x in _tasks(store)] == [True]
