"""The registers for the demo generator (DOMAIN §3): keys lent and returned (a key is with one
person at a time; a few come back late, and the last days leave some out and overdue), goods
releases (a tenant's with the owner's confirmation), and the lending counter. Rows go to the
sink like every other table; each line's audit event is hashed with the day's others (the
demo's events carry no `before`, as the sink writes none)."""

from __future__ import annotations

import json
from datetime import date
from functools import cache

from deskconsole.demo import names as N
from deskconsole.demo.day import DAY, OPEN_S, Day, H
from deskconsole.services.registers import rules as reg_rules

CONTRACTORS = ("好帮手维修", "安居水电", "明亮电梯保养", "绿源园林")
KEY_PURPOSES = ("入户维修", "水泵房巡检", "配电房检修", "天台防水检查", "会所布置", "电梯机房保养")
GOODS = ("旧沙发一张", "纸箱五个", "冰箱一台", "书桌一张, 椅子两把", "装修余料若干", "行李箱三个")
PLATES = ("粤B", "沪A", "京N", "浙A")


@cache
def _catalogue() -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, int], ...], float]:
    keys = tuple((k.code, k.unit) for k in reg_rules.keys().values())
    items = tuple((i.code, int(i.deposit or 0)) for i in reg_rules.items().values())
    return keys, items, reg_rules.rules().due_hours


def _after(**values) -> str:
    return json.dumps(values, ensure_ascii=False, sort_keys=True, default=str)


def _back(w, back: int, ret: tuple | None) -> tuple:
    """returned_at, returned_to, returned_shift_id, returned_desk_id of a return (or none)."""
    if ret is None:
        return None, None, None, None
    op, sid, desk = ret
    return w.ts(back), op, sid, desk


def registers(day: Day) -> None:
    keys, items, due_hours = _catalogue()
    if keys:
        _keys(day, keys, due_hours)
    _goods(day)
    if items:
        _loans(day, items)


def _keys(day: Day, keys, due_hours: float) -> None:
    w, r = day.w, day.w.rng.random
    recent = w.now - day.day0 < 2 * DAY  # the last days: some keys are still out, a few overdue
    times = sorted(day.day0 + OPEN_S + int(r() * 10 * H) for _ in range(day.count(2.5)))
    for t in times:
        st = day.stamp(t)
        if st is None or t > w.now:
            continue
        op, sid, desk = st
        code, unit = keys[int(r() * len(keys))]
        if w.key_free.get(code, 0) > t:
            continue  # that key is out: the register would refuse it
        contractor = r() < 0.5
        name, _hon = N.person_name(w.rng)
        company = w.rng.choice(CONTRACTORS) if contractor else ""
        ticket = w.ids["ticket"] - int(r() * 10) if w.ids["ticket"] and r() < 0.4 else None
        due = t + int(due_hours * H)
        back = t + 1800 + int(r() * 4 * H) + (int(r() * 6 * H) if r() < 0.1 else 0)  # some late
        if recent and r() < (0.6 if due < w.now else 0.25):
            back = w.now + DAY  # not back yet: overdue once past its due time
        ret = (day.stamp(back) or st) if back <= w.now else None  # taken back by whoever is on duty then
        returned = ret is not None
        w.key_free[code] = back if returned else 10**12
        lid = w.next_id("key_loan")
        w.sink.rows["key_loan"].append((
            lid, op, sid, desk, code, unit, name, company, N.mobile(w.rng), "contractor" if contractor else "staff",
            w.rng.choice(KEY_PURPOSES), ticket, w.ts(t), w.ts(due), *_back(w, back, ret)))
        day.audit.append((t, op, desk, sid, "lend", "key_loan", lid, None, _after(
            key_code=code, unit=unit, borrower_kind="contractor" if contractor else "staff", ticket_id=ticket,
            due_at=w.ts(due))))
        if returned:
            day.audit.append((back, ret[0], ret[2], ret[1], "return", "key_loan", lid, None,
                              _after(returned_at=w.ts(back), late=back > due)))


def _goods(day: Day) -> None:
    w, r = day.w, day.w.rng.random
    valid_on = date.fromordinal(day.index)
    for _ in range(day.count(1.2)):
        t = day.day0 + OPEN_S + int(r() * 10 * H)
        st = day.stamp(t)
        if st is None or t > w.now:
            continue
        op, sid, desk = st
        name, _hon, phone, unit = w.residents[int(r() * len(w.residents))]
        tenant = r() < 0.3
        owner, _h = N.person_name(w.rng)
        how = w.rng.choice(("in_person", "phone", "written")) if tenant else None
        plate = f"{w.rng.choice(PLATES)}{int(r() * 90000) + 10000}" if r() < 0.6 else ""
        gid = w.next_id("goods_release")
        number = f"GR{valid_on:%y%m%d}-{gid:03d}"
        w.sink.rows["goods_release"].append((
            gid, op, sid, desk, number, unit, name, "tenant" if tenant else "owner", phone, owner if tenant else "",
            how, w.rng.choice(GOODS), plate, valid_on.isoformat(), w.ts(t), w.ts(day.day0 + DAY)))
        day.audit.append((t, op, desk, sid, "issue", "goods_release", gid, None, _after(
            number=number, unit=unit, applicant_kind="tenant" if tenant else "owner", confirmed_how=how,
            valid_on=valid_on.isoformat(), vehicle_plate=plate)))


def _loans(day: Day, items) -> None:
    w, r = day.w, day.w.rng.random
    for _ in range(day.count(3)):
        t = day.day0 + OPEN_S + int(r() * 10 * H)
        st = day.stamp(t)
        if st is None or t > w.now:
            continue
        op, sid, desk = st
        code, deposit = items[int(r() * len(items))]
        name, _hon, phone, unit = w.residents[int(r() * len(w.residents))]
        id_note = "" if deposit else "身份证已验"
        back = t + 600 + int(r() * 5 * H)
        ret = (day.stamp(back) or st) if back <= w.now else None
        returned = ret is not None
        iid = w.next_id("item_loan")
        w.sink.rows["item_loan"].append((
            iid, op, sid, desk, code, name, unit, phone, w.sink.money(deposit) if deposit else None, id_note,
            w.ts(t), *_back(w, back, ret), w.sink.true if returned and deposit else w.sink.false))
        day.audit.append((t, op, desk, sid, "lend", "item_loan", iid, None, _after(
            item_code=code, deposit=f"{deposit}.00" if deposit else None, id_note=bool(id_note))))
        if returned:
            day.audit.append((back, ret[0], ret[2], ret[1], "return", "item_loan", iid, None,
                              _after(returned_at=w.ts(back), deposit_refunded=bool(deposit))))
