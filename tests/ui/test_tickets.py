"""Tickets by keys only (DOMAIN §3): a complaint opened from a call, assigned, escalated,
resolved, followed up dissatisfied and reopened; refusals shown at their field; queues."""

from sqlmodel import select

from deskconsole.models import Call, FollowUp, Ticket
from deskconsole.services import tickets
from deskconsole.services.sla import rules_from
from deskconsole.ui.modals.ticket_action_form import TicketActionModal
from deskconsole.ui.modals.ticket_form import TicketFormModal
from deskconsole.ui.screens.ticket_view import TicketViewScreen
from deskconsole.ui.screens.tickets import TicketsScreen
from tests.conftest import make_config
from tests.ui.helpers import build_app, seed_operator, settle, sign_on, type_text


def _call(store, clock) -> int:
    """An answered incoming call, as the phone register (F3) leaves it."""
    from deskconsole.services import shifts

    def work(s):
        op = seed_operator_info(s)
        actor = shifts.sign_on(s, op, desk_name="Lobby-1", clock=clock)
        call = Call(direction="in", status="ended", started_at=clock.now(), answered_at=clock.now(),
                    caller_name="王", honorific="mr", phone="13800138000", unit="3-1201",
                    summary="楼上装修噪音,晚上十点还在施工", outcome="ticket", **actor.stamps())
        s.add(call)
        s.flush()
        return call.id

    return store.write(work)


def seed_operator_info(s):
    from deskconsole.models import Operator
    from deskconsole.services.operators import OperatorInfo

    op = s.execute(select(Operator).where(Operator.staff_no == "101")).scalar_one()
    return OperatorInfo(op.id, op.staff_no, op.name, op.role, op.active)


def _ticket(store) -> Ticket:
    with store.read() as s:
        return s.exec(select(Ticket)).one()


def error_text(screen, field: str) -> str:
    return str(screen.query_one(f"#error-{field}").render())


async def test_complaint_from_a_call_assigned_escalated_resolved_followed_up_dissatisfied_reopened(
        sqlite_store, clock, tmp_path):
    store = sqlite_store
    seed_operator(store, clock)
    call_id = _call(store, clock)
    app = build_app(store, clock, tmp_path, language="zh-CN")
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_on(pilot)
        # The phone register hands the caller over with the call's details (call_form.open_ticket_form).
        app.push_screen(TicketFormModal({"kind": "complaint", "customer_name": "王", "honorific": "mr",
                                         "phone": "13800138000", "unit": "3-1201", "source": "call",
                                         "call_id": call_id, "description": "楼上装修噪音,晚上十点还在施工"}))
        await settle(pilot)
        assert "来自来电" in str(app.screen.query_one("#ticket-linked").render())
        await pilot.press("ctrl+s")
        await settle(pilot)
        t = _ticket(store)
        assert (t.kind, t.source, t.call_id, t.status) == ("complaint", "call", call_id, "new")

        # F4, the ticket is in "mine"; Enter opens it
        await pilot.press("f4")
        await settle(pilot)
        assert isinstance(app.screen, TicketsScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TicketViewScreen)
        assert "来自来电" in str(app.screen.query_one("#ticket-header").render())

        # A: assign to a person in the security department, with a note; Enter on the last field saves
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, TicketActionModal)
        await type_text(pilot, "张师傅")
        await pilot.press("enter", "4", "enter")  # department: the 4th option (security)
        await type_text(pilot, "已电话通知")
        await pilot.press("enter")
        await settle(pilot)
        t = _ticket(store)
        assert (t.status, t.assignee_text, t.department) == ("assigned", "张师傅", "security")

        # E: escalate needs a reason, refused at the field, then given
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TicketActionModal)
        assert "原因" in error_text(app.screen, "ticket_reason")
        await type_text(pilot, "业主要求赔偿")
        await pilot.press("enter")
        await settle(pilot)
        t = _ticket(store)
        assert t.escalated_at is not None and t.escalation_reason == "业主要求赔偿"

        # R: resolve
        await pilot.press("r")
        await settle(pilot)
        await type_text(pilot, "已协调施工方停工")
        await pilot.press("enter")
        await settle(pilot)
        assert _ticket(store).status == "resolved"

        # F: follow-up call, dissatisfied (4th option), reopen (1st), comment
        await pilot.press("f")
        await settle(pilot)
        await pilot.press("4", "enter", "1", "enter")
        await type_text(pilot, "晚上还在施工")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TicketViewScreen)
        t = _ticket(store)
        assert (t.status, t.reopened_count, t.satisfaction) == ("assigned", 1, "dissatisfied")
        with store.read() as s:
            fu = s.exec(select(FollowUp)).one()
            out = s.get(Call, fu.call_id)
        assert fu.outcome == "reopened" and out.direction == "out"
        assert t.first_owner_id == app.actor.operator_id  # 首问负责 throughout


async def test_keys_the_state_does_not_allow_are_not_offered(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        tid = sqlite_store.write(lambda s: tickets.create_ticket(
            s, app.actor, kind="inquiry", customer_name="Li", description="Parking permit",
            rules=rules_from(app.config))).id
        await pilot.press("f4")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        view = app.screen
        assert isinstance(view, TicketViewScreen) and view.ticket_id == tid
        await pilot.press("c")  # close: not allowed on a new ticket
        await pilot.press("x")  # cancel: supervisors only
        await pilot.press("f")  # follow-up: not resolved yet
        await settle(pilot)
        assert app.screen is view and _ticket(sqlite_store).status == "new"
        await pilot.press("w")  # start work: allowed
        await settle(pilot)
        assert _ticket(sqlite_store).status == "in_progress"


async def test_new_ticket_form_refuses_missing_request_at_its_field(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_on(pilot)
        await pilot.press("f4")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("enter", "enter")  # kind, priority
        await type_text(pilot, "Li")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TicketFormModal)
        assert error_text(app.screen, "ticket_description") == "What the customer asks is required"
        assert app.screen.focused.id == "ticket_description"
        await type_text(pilot, "Lift makes a noise")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TicketViewScreen)  # a new ticket opens at once
        assert _ticket(sqlite_store).customer_name == "Li"


async def test_queue_keys_switch_queue_and_search_finds_a_ticket(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        for unit in ("1-101", "2-202", "3-303"):
            sqlite_store.write(lambda s, unit=unit: tickets.create_ticket(
                s, app.actor, kind="repair", unit=unit, description="Leak", rules=rules_from(app.config)))
        await pilot.press("f4")
        await settle(pilot)
        screen = app.screen
        table = screen.query_one("#tickets-table")
        assert table.row_count == 3
        await pilot.press("3")  # escalated: none
        await settle(pilot)
        assert screen.query_state.queue == "escalated" and table.row_count == 0
        await pilot.press("slash")
        await type_text(pilot, "2-20")
        await pilot.press("enter")
        await settle(pilot)
        assert table.row_count == 1
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TicketViewScreen) and "2-202" in str(app.screen.query_one("#ticket-header").render())


async def test_the_ticket_view_is_reused_for_the_next_ticket(sqlite_store, clock, tmp_path):
    """Issue 8: opening a ticket shows the one installed view again, pointed at the new ticket."""
    from deskconsole.services import shifts
    from deskconsole.ui.screens.ticket_view import open_ticket

    store = sqlite_store
    seed_operator(store, clock)

    def two(s):
        actor = shifts.sign_on(s, seed_operator_info(s), desk_name="Lobby-1", clock=clock)
        return [tickets.create_ticket(s, actor, kind="inquiry", customer_name=name, unit=unit,
                                      description="d", rules=rules_from(make_config(tmp_path))).id
                for name, unit in (("王", "1-101"), ("李", "2-202"))]

    first, second = store.write(two)
    app = build_app(store, clock, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        open_ticket(app, first)
        await settle(pilot)
        view = app.screen
        assert isinstance(view, TicketViewScreen) and "1-101" in str(view.query_one("#ticket-header").render())
        await pilot.press("escape")
        await settle(pilot)
        open_ticket(app, second)
        await settle(pilot)
        assert app.screen is view and view.ticket_id == second
        assert "2-202" in str(view.query_one("#ticket-header").render())
        open_ticket(app, first)  # over the open view: a second one, the first is left as it is
        await settle(pilot)
        assert app.screen is not view and app.screen.ticket_id == first and view.ticket_id == second


async def test_a_repair_step_is_skipped_by_keys_only_with_a_reason(sqlite_store, clock, tmp_path):
    """DOMAIN §3 (001 §5.2.5.4): the steps go in order; one that does not apply is skipped with
    its reason (S), never left unticked. Offered only where ticking is (assigned / in progress)."""
    from deskconsole.models import RepairStep
    from tests.ui.screen_text import screen_lines

    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        sqlite_store.write(lambda s: tickets.create_ticket(
            s, app.actor, kind="repair", unit="1-101", description="Leak", rules=rules_from(app.config)))
        await pilot.press("f4")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        view = app.screen
        assert isinstance(view, TicketViewScreen)
        await pilot.press("s")  # a new ticket: nothing to skip yet
        await settle(pilot)
        assert app.screen is view and "Skip step" not in screen_lines(app)[-1]
        await pilot.press("w")  # start work
        await settle(pilot)
        assert "s Skip step" in screen_lines(app)[-1]
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, TicketActionModal)
        assert "Visit time agreed" in str(app.screen.query_one("#ticket-action-hint").render())
        await pilot.press("enter")  # no reason: refused at the field, nothing written
        await settle(pilot)
        assert isinstance(app.screen, TicketActionModal)
        assert "Say why this step is skipped" in error_text(app.screen, "ticket_note")
        with sqlite_store.read() as s:
            assert s.exec(select(RepairStep)).all() == []
        await type_text(pilot, "Owner was home, fixed at once")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is view
        with sqlite_store.read() as s:
            step = s.exec(select(RepairStep)).one()
        assert (step.step, step.skipped, step.note) == ("appointment", True, "Owner was home, fixed at once")
        steps = str(view.query_one("#ticket-steps").render())
        assert "[-] Visit time agreed  (skipped)" in steps and "steps 1/" in steps
        await pilot.press("t")  # the next step is ticked as usual
        await settle(pilot)
        assert "Work and fee confirmed" in str(app.screen.query_one("#ticket-action-hint").render())


def test_an_assignment_from_an_older_demo_store_is_named_in_the_users_language():
    """Demo stores made before 2026-12-03 hold assignments as field "assignee": the history
    names the field as for the console's own (not the raw "assignee")."""
    from deskconsole.i18n import Translator
    from deskconsole.ui.widgets.ticket_detail_text import _field_label

    for language in ("zh-CN", "en"):
        t = Translator(language)
        assert _field_label(t, "assignee") == _field_label(t, "assignee_text") == t("tickets.view.assignee_field")
        assert _field_label(t, "assignee") != "assignee"
