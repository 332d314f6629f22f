"""Masked means masked (DOMAIN §1: privacy): a receptionist never sees a customer's whole
number on the screen, not through a recall, an expected arrival, a ticket form or a callback;
a form filled from a record carries the stored number behind the mask and saves it; to dial a
callback or a follow-up, Ctrl+D shows the number for that call only and the audit trail says so."""

from sqlalchemy import select
from textual.widgets import Input, Static

from deskconsole.models import AuditEvent, Call, Ticket, Visit
from deskconsole.services import reception as rs
from deskconsole.services import reception_query as rq
from deskconsole.services import shifts
from deskconsole.services.audit import PHONE_REVEAL
from deskconsole.ui.modals.call_form import CallFormModal
from deskconsole.ui.modals.ticket_action_form import TicketActionModal
from deskconsole.ui.modals.ticket_form import TicketFormModal
from deskconsole.ui.screens.phone import PhoneScreen
from deskconsole.ui.screens.ticket_view import TicketViewScreen
from tests.ui.helpers import build_app, seed_operator, settle, type_text
from tests.ui.test_reception import open_reception

NUMBER, MASKED = "13800138000", "138****8000"


def signed_on(store, clock, role="receptionist", staff_no="101"):
    op = seed_operator(store, clock, staff_no=staff_no, role=role)
    return store.write(lambda s: shifts.sign_on(s, op, desk_name="Lobby-1", clock=clock))


def missed_call(store, actor, clock) -> Call:
    """A missed call whose number the line gave (caller id)."""
    def work(s):
        call = Call(direction="in", status="missed", started_at=clock.now(), ended_at=clock.now(), rings=5,
                    within_limit=False, phone=NUMBER, **actor.stamps())
        s.add(call)
        s.flush()
        return call

    return store.write(work)


def visits(store) -> list[Visit]:
    with store.read() as s:
        return list(s.execute(select(Visit).order_by(Visit.id)).scalars())


def reveals(store) -> list[AuditEvent]:
    with store.read() as s:
        return list(s.execute(select(AuditEvent).where(AuditEvent.action == PHONE_REVEAL)).scalars())


def on_screen(app) -> str:
    """Every input value and static text of the screen shown."""
    parts = [w.value for w in app.screen.query(Input)]
    parts += [str(w.render()) for w in app.screen.query(Static)]
    return "\n".join(parts)


async def recall_by_name(pilot, name: str) -> None:
    await type_text(pilot, name)
    await pilot.press("tab")
    await settle(pilot)
    await pilot.press("ctrl+r")
    await settle(pilot)


async def test_a_recalled_visitor_s_phone_is_masked_and_the_stored_number_is_saved(sqlite_store, clock, tmp_path):
    actor = signed_on(sqlite_store, clock)
    sqlite_store.write(lambda s: rs.check_in(s, actor, rs.CheckInForm(name="Wang Wei", phone=NUMBER, unit="1-1202")))
    clock.advance(86400)
    app = build_app(sqlite_store, clock, tmp_path, stale_shift_hours=72)  # the seed's shift is resumed
    async with app.run_test(size=(100, 30)) as pilot:
        await open_reception(pilot)
        await recall_by_name(pilot, "Wang Wei")
        assert app.screen.query_one("#phone", Input).value == MASKED
        assert NUMBER not in on_screen(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
    new = visits(sqlite_store)[-1]
    assert (len(visits(sqlite_store)), new.name, new.phone) == (2, "Wang Wei", NUMBER)


async def test_a_recalled_number_stays_masked_through_a_language_switch(sqlite_store, clock, tmp_path):
    actor = signed_on(sqlite_store, clock)
    sqlite_store.write(lambda s: rs.check_in(s, actor, rs.CheckInForm(name="Wang Wei", phone=NUMBER)))
    app = build_app(sqlite_store, clock, tmp_path, stale_shift_hours=72)  # the seed's shift is resumed
    async with app.run_test(size=(100, 30)) as pilot:
        await open_reception(pilot)
        await recall_by_name(pilot, "Wang Wei")
        app.language = "zh-CN"
        await settle(pilot)
        assert app.screen.query_one("#phone", Input).value == MASKED
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert visits(sqlite_store)[-1].phone == NUMBER


async def test_a_recalled_number_typed_over_saves_what_was_typed(sqlite_store, clock, tmp_path):
    actor = signed_on(sqlite_store, clock)
    sqlite_store.write(lambda s: rs.check_in(s, actor, rs.CheckInForm(name="Wang Wei", phone=NUMBER)))
    app = build_app(sqlite_store, clock, tmp_path, stale_shift_hours=72)  # the seed's shift is resumed
    async with app.run_test(size=(100, 30)) as pilot:
        await open_reception(pilot)
        await recall_by_name(pilot, "Wang Wei")
        phone = app.screen.query_one("#phone", Input)
        phone.focus()
        phone.value = ""
        await type_text(pilot, "13912345678")
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert visits(sqlite_store)[-1].phone == "13912345678"


async def test_a_supervisor_recalls_the_whole_number(sqlite_store, clock, tmp_path):
    actor = signed_on(sqlite_store, clock)
    sqlite_store.write(lambda s: rs.check_in(s, actor, rs.CheckInForm(name="Wang Wei", phone=NUMBER)))
    seed_operator(sqlite_store, clock, staff_no="900", role="supervisor", pin="135790")
    app = build_app(sqlite_store, clock, tmp_path, stale_shift_hours=72)  # the seed's shift is resumed
    async with app.run_test(size=(100, 30)) as pilot:
        from tests.ui.helpers import sign_on

        await sign_on(pilot, staff_no="900", pin="135790")
        for _ in range(3):
            if app.screen.query("#visit-form"):
                break
            await pilot.press("escape")
            await settle(pilot)
        app.screen.query_one("#name", Input).focus()
        await recall_by_name(pilot, "Wang Wei")
        assert app.screen.query_one("#phone", Input).value == NUMBER


async def test_an_expected_visitor_s_phone_is_masked_on_arrival_and_saved_whole(sqlite_store, clock, tmp_path):
    signed_on(sqlite_store, clock)
    sqlite_store.write(lambda s: rq.expect(s, None, when=clock.now(), now=clock.now(), name="Chen", phone=NUMBER))
    app = build_app(sqlite_store, clock, tmp_path, stale_shift_hours=72)  # the seed's shift is resumed
    async with app.run_test(size=(100, 30)) as pilot:
        await open_reception(pilot)
        await pilot.press("shift+tab")
        while app.screen.focused.id != "expected":
            await pilot.press("tab")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one("#name", Input).value == "Chen"
        assert app.screen.query_one("#phone", Input).value == MASKED
        assert NUMBER not in on_screen(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
    [visit] = visits(sqlite_store)
    assert (visit.expected_id, visit.phone) == (1, NUMBER)


async def test_a_ticket_opened_from_a_visitor_shows_the_phone_masked_and_keeps_it(sqlite_store, clock, tmp_path):
    actor = signed_on(sqlite_store, clock)
    visit = sqlite_store.write(lambda s: rs.check_in(s, actor, rs.CheckInForm(name="Wang", phone=NUMBER,
                                                                             unit="1-1202", note="leak")))
    app = build_app(sqlite_store, clock, tmp_path, stale_shift_hours=72)  # the seed's shift is resumed
    async with app.run_test(size=(100, 30)) as pilot:
        await open_reception(pilot)
        app.push_screen(TicketFormModal(rs.ticket_prefill(visit)))
        await settle(pilot)
        assert app.screen.query_one("#ticket_phone", Input).value == MASKED
        assert NUMBER not in on_screen(app)
        assert not app.screen.has_unsaved()
        await pilot.press("ctrl+s")
        await settle(pilot)
    with sqlite_store.read() as s:
        [ticket] = s.execute(select(Ticket)).scalars().all()
    assert ticket.phone == NUMBER


async def test_a_callback_shows_the_number_whole_only_on_ctrl_d_and_records_the_reveal(sqlite_store, clock,
                                                                                    tmp_path):
    actor = signed_on(sqlite_store, clock)
    missed = missed_call(sqlite_store, actor, clock)
    app = build_app(sqlite_store, clock, tmp_path, stale_shift_hours=72)  # the seed's shift is resumed
    async with app.run_test(size=(100, 30)) as pilot:
        from tests.ui.helpers import sign_on

        await sign_on(pilot)
        await pilot.press("f3")
        await settle(pilot)
        assert isinstance(app.screen, PhoneScreen)
        await pilot.press("c")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CallFormModal)
        assert form.query_one("#phone", Input).value == MASKED
        assert NUMBER not in on_screen(app)
        assert reveals(sqlite_store) == []
        await pilot.press("ctrl+d")
        await settle(pilot)
        assert form.query_one("#phone", Input).value == NUMBER
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, CallFormModal)
    [event] = reveals(sqlite_store)
    assert (event.entity, event.entity_id, event.operator_id) == ("call", str(missed.id), actor.operator_id)
    assert NUMBER not in f"{event.before}{event.after}"
    with sqlite_store.read() as s:
        back = s.execute(select(Call).where(Call.direction == "out")).scalar_one()
    assert (back.phone, back.returns_call_id) == (NUMBER, missed.id)


async def test_a_callback_saved_without_reveal_keeps_the_stored_number(sqlite_store, clock, tmp_path):
    actor = signed_on(sqlite_store, clock)
    missed_call(sqlite_store, actor, clock)
    app = build_app(sqlite_store, clock, tmp_path, stale_shift_hours=72)  # the seed's shift is resumed
    async with app.run_test(size=(100, 30)) as pilot:
        from tests.ui.helpers import sign_on

        await sign_on(pilot)
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert reveals(sqlite_store) == []
    with sqlite_store.read() as s:
        back = s.execute(select(Call).where(Call.direction == "out")).scalar_one()
    assert back.phone == NUMBER


async def test_a_follow_up_shows_the_number_to_dial_only_on_ctrl_d_and_records_it(sqlite_store, clock, tmp_path):
    from deskconsole.services import tickets
    from deskconsole.services.sla import rules_from
    from tests.conftest import make_config

    actor = signed_on(sqlite_store, clock)
    rules = rules_from(make_config(tmp_path))
    ticket = sqlite_store.write(lambda s: tickets.create_ticket(
        s, actor, kind="complaint", customer_name="Wang", phone=NUMBER, unit="1-1202", description="noise",
        source="walk_in", rules=rules))
    sqlite_store.write(lambda s: tickets.assign_to(s, actor, ticket.id, who="Zhang", department=None, note=""))
    sqlite_store.write(lambda s: tickets.resolve(s, actor, ticket.id, note="done", rules=rules))
    app = build_app(sqlite_store, clock, tmp_path, stale_shift_hours=72)  # the seed's shift is resumed
    async with app.run_test(size=(100, 30)) as pilot:
        from tests.ui.helpers import sign_on

        await sign_on(pilot)
        app.push_screen(TicketViewScreen(ticket.id))
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, TicketActionModal)
        assert MASKED in on_screen(app) and NUMBER not in on_screen(app)
        await pilot.press("ctrl+d")
        await settle(pilot)
        assert NUMBER in str(form.query_one("#ticket-action-hint").render())
    [event] = reveals(sqlite_store)
    assert (event.entity, event.entity_id) == ("ticket", str(ticket.id))
    assert NUMBER not in f"{event.before}{event.after}"
