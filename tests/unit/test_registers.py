"""The desk's other registers (DOMAIN §3, seed 003 §6.54, §6.13, §6.47): a key is with one
person at a time and overdue past its due time; a goods release is good for its day only and a
tenant's needs the owner's confirmation; a loan item goes out against a deposit or an ID note.
Every write is audited and voids, never deletes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from deskconsole.models import AuditEvent, GoodsRelease, KeyLoan
from deskconsole.services import audit, tickets
from deskconsole.services.errors import DeskError, NotAllowed
from deskconsole.services.registers import (
    ItemLendForm,
    KeyLendForm,
    ReleaseForm,
    check_release,
    figures,
    issue_release,
    keys,
    lend_item,
    lend_key,
    loans,
    return_item,
    return_key,
    rules,
    void,
)
from deskconsole.services.sla import rules_from
from tests.conftest import make_config

TZ = ZoneInfo("Asia/Shanghai")


def _lend(store, actor, key="PUMP-1", **kw):
    form = KeyLendForm(**{"key_code": key, "name": "张师傅", "purpose": "水泵检修", "company": "",
                          "phone": "138 0013 8000", **kw})
    return store.write(lambda s: lend_key(s, actor, form))


def _release(store, actor, **kw):
    form = ReleaseForm(**{"unit": "A-1201", "name": "李四", "items": "沙发一张\n纸箱三个",
                          "vehicle_plate": "粤b12345", **kw})
    return store.write(lambda s: issue_release(s, actor, form, tz=TZ))


def test_a_key_lent_is_out_to_its_borrower_with_a_due_time_and_audited(store, actor, clock):
    loan = _lend(store, actor, due_at=clock.now() + timedelta(hours=2))
    assert loan.key_code == "PUMP-1" and loan.is_out and not loan.overdue
    assert loan.phone == "138****8000"  # a receptionist sees the number masked
    with store.read() as s:
        row = s.get(KeyLoan, loan.id)
        assert row.phone == "13800138000" and row.operator_id == actor.operator_id
        assert row.shift_id == actor.shift_id and row.desk_id == actor.desk_id
        ev = s.execute(select(AuditEvent).where(AuditEvent.entity == "key_loan")).scalar_one()
        assert ev.action == "lend" and "13800138000" not in (ev.after or "") and "张" not in (ev.after or "")
        assert audit.verify(s).ok


def test_a_key_cannot_be_lent_twice(store, actor):
    _lend(store, actor)
    with pytest.raises(DeskError) as err:
        _lend(store, actor, name="赵工")
    assert err.value.key == "registers.error.key_out" and err.value.field == "key"


def test_a_returned_key_can_be_lent_again_and_records_who_took_it_back(store, actor, clock):
    _lend(store, actor)
    clock.advance(1800)
    back = store.write(lambda s: return_key(s, actor, "PUMP-1", "完好"))
    assert back.returned_at == clock.now() and back.returned_to == actor.operator_id and not back.is_out
    assert _lend(store, actor, name="赵工").is_out


def test_a_key_out_past_its_due_time_is_overdue_by_the_injected_clock(store, actor, clock):
    _lend(store, actor, due_at=clock.now() + timedelta(hours=1))
    with store.read() as s:
        assert keys.overdue_count(s, clock.now()) == 0
    clock.advance(3601)
    with store.read() as s:
        assert keys.overdue_count(s, clock.now()) == 1
        [late] = keys.out_keys(s, clock.now(), overdue_only=True)
    assert late.overdue and late.key_code == "PUMP-1"
    store.write(lambda s: return_key(s, actor, "PUMP-1"))
    with store.read() as s:
        assert keys.overdue_count(s, clock.now()) == 0


def test_the_default_due_time_comes_from_the_company_rules(store, actor, clock):
    loan = _lend(store, actor)
    assert loan.due_at == clock.now() + timedelta(hours=rules.rules().due_hours)


def test_a_key_lent_for_a_repair_ticket_links_it_and_takes_the_tickets_unit(store, actor, clock, tmp_path):
    sla = rules_from(make_config(tmp_path))
    ticket = store.write(lambda s: tickets.create_ticket(s, actor, kind="repair", unit="C-0808",
                                                         description="漏水", rules=sla))
    loan = _lend(store, actor, ticket=f"#{ticket.id}", borrower_kind="contractor", company="好帮手维修")
    assert loan.ticket_id == ticket.id and loan.unit == "C-0808"
    with store.read() as s:
        assert [v.id for v in keys.key_loans_for_unit(s, "C-0808", now=clock.now())] == [loan.id]
        assert [v.id for v in keys.key_loans_for_ticket(s, ticket.id, now=clock.now())] == [loan.id]
    with pytest.raises(DeskError) as err:
        _lend(store, actor, key="ROOF-A", ticket="99999")
    assert err.value.key == "registers.error.no_ticket"


def test_a_contractor_names_their_company_and_unknown_keys_are_refused(store, actor):
    with pytest.raises(DeskError) as err:
        _lend(store, actor, borrower_kind="contractor")
    assert err.value.field == "company"
    with pytest.raises(DeskError) as err:
        _lend(store, actor, key="NOPE")
    assert err.value.key == "registers.error.unknown_key"


def test_key_text_is_cleaned_of_terminal_escapes(store, actor, clock):
    loan = _lend(store, actor, name="张\x1b[31m师傅", purpose="检修\x07")
    assert loan.name == "张师傅" and loan.purpose == "检修"


def test_unit_timeline_pages_newest_first_by_keyset(store, actor, clock):
    ids = []
    for _ in range(3):
        ids.append(_lend(store, actor, key="3-1202").id)
        store.write(lambda s: return_key(s, actor, "3-1202"))
        clock.advance(60)
    with store.read() as s:
        first = keys.key_loans_for_unit(s, "3-1202", limit=2, now=clock.now())
        rest = keys.key_loans_for_unit(s, "3-1202", (first[-1].lent_at, first[-1].id), limit=2, now=clock.now())
    assert [v.id for v in first + rest] == ids[::-1]


def test_an_owners_release_is_good_until_the_end_of_its_day_site_time(store, actor, clock):
    clock.set(datetime(2026, 12, 3, 2, 0, tzinfo=UTC))  # 10:00 in Shanghai
    r = _release(store, actor)
    assert r.number.startswith("GR261203-") and r.vehicle_plate == "粤B12345"
    assert r.expires_at == datetime(2026, 12, 4, 0, 0, tzinfo=TZ)
    with store.read() as s:
        assert check_release(s, r.number.lower(), now=clock.now()).valid
    clock.set(datetime(2026, 12, 3, 15, 59, tzinfo=UTC))  # 23:59 site time
    with store.read() as s:
        assert check_release(s, r.number, now=clock.now()).reason == "valid"
    clock.advance(60)  # midnight site time
    with store.read() as s:
        assert check_release(s, r.number, now=clock.now()).reason == "expired"
        assert check_release(s, "GR000000-1", now=clock.now()).reason == "unknown"


def test_a_tenants_release_without_the_owners_confirmation_is_refused(store, actor):
    with pytest.raises(DeskError) as err:
        _release(store, actor, applicant_kind="tenant")
    assert err.value.key == "registers.error.owner_confirmation" and err.value.field == "confirmed_by"
    ok = _release(store, actor, applicant_kind="tenant", confirmed_by="王业主", confirmed_how="written")
    assert ok.confirmed_how == "written"
    with pytest.raises(DeskError):
        _release(store, actor, applicant_kind="tenant", confirmed_by="王业主", confirmed_how="email")


def test_the_company_may_let_tenants_release_alone(store, actor, tmp_path, monkeypatch):
    data = tmp_path / "home" / "data"
    data.mkdir(parents=True)
    (data / "registers.toml").write_text("[goods_release]\ntenant_needs_owner_confirmation = false\n",
                                         encoding="utf-8")
    monkeypatch.setenv("DESKCONSOLE_HOME", str(tmp_path / "home"))
    assert not rules.rules().tenant_needs_owner_confirmation
    assert _release(store, actor, applicant_kind="tenant").applicant_kind == "tenant"


def test_a_release_for_a_later_day_is_not_yet_valid_and_a_void_one_never(store, actor, supervisor, clock):
    tomorrow = (clock.now().astimezone(TZ) + timedelta(days=1)).date()
    later = _release(store, actor, valid_on=tomorrow.isoformat())
    with store.read() as s:
        assert check_release(s, later.number, now=clock.now()).reason == "not_yet"
    today = _release(store, actor)
    with pytest.raises(NotAllowed):
        store.write(lambda s: void(s, actor, "goods", today.id, "开错"))
    store.write(lambda s: void(s, supervisor, "goods", today.id, "开错"))
    with store.read() as s:
        assert check_release(s, today.number, now=clock.now()).reason == "void"
        assert s.get(GoodsRelease, today.id) is not None  # voided, not deleted
    with pytest.raises(DeskError):
        _release(store, actor, valid_on="2020-01-01")


def test_a_loan_item_needs_a_deposit_or_an_id_note_and_comes_back(store, actor, clock):
    with pytest.raises(DeskError) as err:
        store.write(lambda s: lend_item(s, actor, ItemLendForm("umbrella", "刘", deposit="")))
    assert err.value.key == "registers.error.deposit_or_id"
    loan = store.write(lambda s: lend_item(s, actor, ItemLendForm("umbrella", "刘", unit="B-0302")))
    assert loan.deposit == Decimal("20.00")  # the item's usual deposit
    by_id = store.write(lambda s: lend_item(s, actor, ItemLendForm("trolley", "陈", deposit="", id_note="身份证已验")))
    back = store.write(lambda s: return_item(s, actor, loan.id))
    assert back.returned_at == clock.now() and back.deposit_refunded
    with pytest.raises(DeskError):
        store.write(lambda s: return_item(s, actor, loan.id))
    with store.read() as s:
        assert [v.id for v in loans.out_items(s)] == [by_id.id]


def test_a_voided_key_loan_frees_the_key(store, actor, supervisor):
    loan = _lend(store, actor)
    store.write(lambda s: void(s, supervisor, "key", loan.id, "登记错了"))
    assert _lend(store, actor).is_out
    with store.read() as s:
        assert s.execute(select(func.count()).select_from(KeyLoan)).scalar_one() == 2
        assert audit.verify(s).ok


def test_register_figures_count_the_period_and_overdue_now(store, actor, clock):
    start = clock.now()
    _lend(store, actor, due_at=clock.now() + timedelta(minutes=30))
    _lend(store, actor, key="ROOF-A")
    store.write(lambda s: return_key(s, actor, "ROOF-A"))
    _release(store, actor)
    store.write(lambda s: lend_item(s, actor, ItemLendForm("umbrella", "刘")))
    clock.advance(3600)
    with store.read() as s:
        f = figures.register_figures(s, start, clock.now(), now=clock.now())
    assert (f.keys_lent, f.keys_returned, f.keys_overdue_now, f.releases_issued, f.items_lent, f.items_out_now) \
        == (2, 1, 1, 1, 1, 1)


def test_a_key_catalogue_comes_from_csv():
    body, count = rules.keys_toml_from_csv("code,kind,unit,zh,en\nK1,unit,A-1,A-1 钥匙,A-1 key\nK2,plant,,泵房,Pump\n")
    import tomllib

    assert count == 2 and [k["code"] for k in tomllib.loads(body)["key"]] == ["K1", "K2"]
    with pytest.raises(DeskError):
        rules.keys_toml_from_csv("code,kind\nK1,garage\n")


def test_overdue_keys_and_items_out_are_handed_over(store, actor, clock):
    from deskconsole.services import handover

    _lend(store, actor, due_at=clock.now() + timedelta(minutes=10))
    store.write(lambda s: lend_item(s, actor, ItemLendForm("umbrella", "刘")))
    clock.advance(3600)
    with store.read() as s:
        items = handover.open_items(s, desk_id=actor.desk_id, operator_id=actor.operator_id, now=clock.now(),
                                    timezone="Asia/Shanghai")
    assert items.count("key_overdue") == 1 and items.count("item_out") == 1
    assert [i.title for i in items.items if i.kind == "key_overdue"] == ["PUMP-1 张师傅"]


def test_the_summary_has_a_registers_section(store, actor, clock):
    from deskconsole.services.summary import Period, flatten, summarize

    start = clock.now()
    _lend(store, actor, due_at=clock.now() + timedelta(minutes=10))
    _release(store, actor)
    clock.advance(3600)
    with store.read() as s:
        data = summarize(s, Period.for_shift(s, actor.shift_id, "Asia/Shanghai", clock.now())).to_dict()
    assert data["registers"] == {"keys_lent": 1, "keys_returned": 0, "keys_overdue_now": 1, "releases_issued": 1,
                                 "items_lent": 0, "items_returned": 0, "items_out_now": 0}
    assert ("registers", "keys_overdue_now", 1) in flatten(data)
    assert start < clock.now()
