"""Registers (F10) by keys only (DOMAIN §3): lend a key against a repair ticket, see it overdue
in red and in the header, take it back; issue a goods release and check its number."""

from __future__ import annotations

from sqlmodel import select

from deskconsole.models import GoodsRelease, KeyLoan
from deskconsole.services import tickets
from deskconsole.services.sla import rules_from
from deskconsole.ui.modals.register_forms import RegisterFormModal, ReleaseCheckModal
from deskconsole.ui.screens.registers import RegistersScreen
from tests.conftest import make_config
from tests.ui.helpers import build_app, seed_operator, settle, sign_on, type_text


async def _fill(pilot, values: list[str | None]) -> None:
    """Type each field's value, Tab to the next (None: leave a choice as it is)."""
    for value in values:
        if value:
            await type_text(pilot, value)
        await pilot.press("tab")


async def test_lend_a_key_against_a_repair_ticket_and_take_it_back(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, stale_shift_hours=72, idle_lock_minutes=0)  # the day passes at once
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        rules = rules_from(make_config(tmp_path))
        ticket = sqlite_store.write(lambda s: tickets.create_ticket(
            s, app.actor, kind="repair", unit="C-0808", description="漏水", rules=rules))
        await pilot.press("f10")
        await settle(pilot)
        assert isinstance(app.screen, RegistersScreen)
        await pilot.press("down", "down")  # PUMP-1, the third key of the catalogue
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, RegisterFormModal)
        await pilot.press("tab")  # the key is filled in from the row
        await _fill(pilot, ["张师傅", None, "", "13800138000", "水泵检修", str(ticket.id)])
        await type_text(pilot, "23:59")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, RegistersScreen)
        with sqlite_store.read() as s:
            loan = s.exec(select(KeyLoan)).one()
        assert (loan.key_code, loan.ticket_id, loan.unit, loan.returned_at) == ("PUMP-1", ticket.id, "C-0808", None)

        clock.advance(24 * 3600)  # past its due time: red on the screen, counted in the header
        app.store_watch.poll(force=True)
        app.screen.refresh_view()
        await settle(pilot)
        assert app.counters.get("keys_overdue") == 1
        table = app.screen.query_one("#registers-table")
        cell = table.get_row_at(2)[0]
        assert "red" in str(cell.style)
        await pilot.press("r")
        await settle(pilot)
        with sqlite_store.read() as s:
            loan = s.exec(select(KeyLoan)).one()
        assert loan.returned_at == clock.now() and loan.returned_to == app.actor.operator_id
        app.store_watch.poll(force=True)
        await settle(pilot)
        assert "keys_overdue" not in app.counters


async def test_issue_a_goods_release_and_check_its_number(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        await pilot.press("f10")
        await settle(pilot)
        await pilot.press("2", "l")
        await settle(pilot)
        # A tenant without the owner's confirmation is refused at its field.
        await _fill(pilot, ["A-1201", "李四"])
        await pilot.press("right", "tab")  # a tenant
        await _fill(pilot, ["", "", None])
        await type_text(pilot, "沙发一张")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, RegisterFormModal)
        assert "owner" in str(app.screen.query_one("#error-confirmed_by").render())
        app.screen.query_one("#confirmed_by").focus()
        await type_text(pilot, "王业主")
        await pilot.press("tab", "right")  # confirmed in person
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, RegistersScreen)
        with sqlite_store.read() as s:
            release = s.exec(select(GoodsRelease)).one()
        assert release.applicant_kind == "tenant" and release.confirmed_how == "in_person"
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, ReleaseCheckModal)
        await type_text(pilot, release.number.lower())
        await pilot.press("enter")
        await pilot.pause()
        assert "is valid" in str(app.screen.query_one("#release-check-result").render())
        await pilot.press("ctrl+a")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, RegistersScreen)


async def test_every_tab_fits_80x24_whatever_was_typed(sqlite_store, clock, tmp_path):
    """A long purpose, name or item list is cut with '..', never a sideways scroll: at 80x24 the
    receptionist sees every column of every tab (it also kept the snapshots steady: the keys
    tab's horizontal scrollbar lingered a frame into the next tab under load)."""
    from tests.snapshots.test_registers_snap import _seed

    seed_operator(sqlite_store, clock)
    _seed(sqlite_store, clock)
    from deskconsole.services import operators, shifts
    from deskconsole.services.registers import (
        ItemLendForm,
        KeyLendForm,
        ReleaseForm,
        issue_release,
        lend_item,
        lend_key,
    )

    long = "很长的说明" * 12 + "[/b]"

    def more(s):
        op = next(o for o in operators.list_operators(s) if o.staff_no == "101")
        a = shifts.sign_on(s, op, desk_name="Lobby-1", clock=clock)
        lend_key(s, a, KeyLendForm("ROOF-A", long, long))
        issue_release(s, a, ReleaseForm("C-0808", long, long, applicant_kind="owner"), tz="Asia/Shanghai")
        lend_item(s, a, ItemLendForm("umbrella", long, unit="C-0808", deposit="", id_note=long))

    sqlite_store.write(more)
    app = build_app(sqlite_store, clock, tmp_path, idle_lock_minutes=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_on(pilot)
        await pilot.press("f10")
        await settle(pilot)
        for tab in "123":
            await pilot.press(tab)
            await settle(pilot)
            table = app.screen.query_one("#registers-table")
            assert table.row_count >= 2
            assert table.virtual_size.width <= table.size.width, (tab, table.virtual_size, table.size)
            assert not table.show_horizontal_scrollbar
