"""The watch list for the demo generator (访客关注名单): a supervisor puts a few people on it on
the first day (a former contractor, a repeated nuisance caller, a person the owners'
committee asked the desk to refuse), and the desk meets them now and then: a call from the
nuisance caller's number, the former contractor at the check-in. Each hit is a row the timeline
shows and an audit event, as services/watch.record_hits writes them."""

from __future__ import annotations

from deskconsole.demo import names as N
from deskconsole.demo.day import DAY, OPEN_S, Day, H
from deskconsole.demo.registers import _after

# (reason, action, where they turn up): what a supervisor writes, in our own words.
ENTRIES = (
    ("前承包商,合同已终止,不得进入施工区域", "refuse_entry", "check_in"),
    ("多次来电辱骂前台,来电请转主管", "tell_supervisor", "call"),
    ("业委会通知:与业主有纠纷,到访请通知保安", "call_security", "check_in"),
)


def watch(day: Day) -> None:
    w = day.w
    if not w.watch_entries:
        _entries(day)
    r = w.rng.random
    for entry_id, name, phone, action, place in w.watch_entries:
        if r() >= 0.15:  # a hit every week or so for each
            continue
        t = day.day0 + OPEN_S + int(r() * 10 * H)
        st = day.stamp(t)
        if st is None or t > w.now:
            continue
        op, sid, desk = st
        unit = w.residents[int(r() * len(w.residents))][3] if place == "check_in" else ""
        matched = "phone" if place == "call" else "name"
        hid = w.next_id("watch_hit")
        w.sink.rows["watch_hit"].append((hid, op, sid, desk, entry_id, w.ts(t), place, matched,
                                         name if matched == "name" else "", phone if matched == "phone" else None,
                                         unit, action))
        day.audit.append((t, op, desk, sid, "watch_hit", "watch_hit", hid, None,
                          _after(entry=entry_id, place=place, matched=matched, action=action)))


def _entries(day: Day) -> None:
    """The list as a supervisor starts it, at the first day's opening."""
    w = day.w
    t = day.day0 + OPEN_S
    st = day.stamp(t) or (w.supervisors[0], None, None)
    _op, sid, desk = st
    by = w.supervisors[0]
    for reason, action, place in ENTRIES:
        name, _hon = N.person_name(w.rng)
        phone = N.mobile(w.rng)
        eid = w.next_id("watch_entry")
        until = w.now + 180 * DAY
        w.sink.rows["watch_entry"].append((eid, name, phone, reason, action, w.ts(until), w.ts(t), by))
        w.watch_entries.append((eid, name, phone, action, place))
        day.audit.append((t, by, desk, sid, "watch_add", "watch_entry", eid, None, _after(
            name=name, phone=phone[:3] + "****" + phone[-4:], reason=reason, action=action, valid_until=w.ts(until))))
