"""Tickets for the demo generator, each with a realistic workflow (DOMAIN §3): first-contact
owner, assignment, work, progress calls while it is open (some late), resolution, a
follow-up call with satisfaction (回访), closing; some escalated, reopened or cancelled;
repair tickets tick the in-home repair steps.

Each ticket's timeline is drawn whole, then cut at the World's `now`: what has not happened
yet is not written, so recent tickets are open and old ones are closed."""

from __future__ import annotations

from operator import itemgetter

from deskconsole.demo import names as N
from deskconsole.demo.day import DAY, OPEN_S, Day, H
from deskconsole.demo.sink import CLOCK, DATES
from deskconsole.services.audit import json_value

# Median hours to resolve, by kind (due times come from the SLA rules, as at the desk).
RESOLVE_H = {"repair": 6, "complaint": 20, "inquiry": 1, "suggestion": 72, "callback": 2}
SATISFACTION = ("very_satisfied",) * 45 + ("satisfied",) * 40 + ("neutral",) * 10 + ("dissatisfied",) * 5
_first = itemgetter(0)
DEPARTMENT = {"repair": "engineering", "complaint": None, "inquiry": "customer_service",
              "suggestion": "customer_service", "callback": "customer_service"}


def tickets(day: Day) -> None:
    w = day.w
    r = w.rng.random
    # A few tickets come neither from a registered visit nor a call (a patrol, a staff member).
    for _ in range(day.count(w.scale.other_tickets)):
        t = day.day0 + OPEN_S + int(r() * 11 * H)
        st = day.stamp(t)
        if st is None or t > w.now:
            continue
        name, hon, phone, unit = w.residents[int(r() * len(w.residents))]
        day.ticket_seeds.append((t, "walk_in" if r() < 0.7 else "other", None, None, name, hon, phone,
                                 unit, w.kind_for_visit(r()), *st))
    day.ticket_seeds.sort(key=lambda s: s[0])
    for seed in day.ticket_seeds:
        if seed[0] <= w.now:
            _ticket(day, *seed)


def _ticket(day: Day, c: int, source: str, visit_id, call_id, name: str, hon: str, phone, unit: str,
            kind: str, op: int, sid: int, desk: int) -> None:
    w = day.w
    rng, r, ts, now = w.rng, w.rng.random, w.ts, w.now
    tid = w.next_id("ticket")
    priority = "normal" if r() < 0.7 else ("high" if r() < 0.5 else ("low" if r() < 0.67 else "urgent"))
    due = w.due(kind, priority, c)  # by the SLA: business hours, holidays
    department = DEPARTMENT[kind] or w.rng.choice(N.DEPARTMENTS)
    assignee_text = rng.choice(N.STAFF_TEXT) if kind == "repair" or r() < 0.3 else None
    assignee = None if assignee_text else w.receptionists[int(r() * len(w.receptionists))]
    events: list[tuple] = [(c, op, "created", None, None, kind, None)]
    assign_at = c + 300 + int(r() * 3300)
    work_at = assign_at + 600 + int(r() * 4 * H)
    resolve_at = c + int(RESOLVE_H[kind] * H * rng.lognormvariate(0, 0.8)) + 900
    resolve_at = max(resolve_at, work_at + 300)
    first_checked = c + 1800 + int(r() * 5 * H) if kind == "complaint" else None
    escalated = c + H + int(r() * 20 * H) if r() < (0.08 if kind == "complaint" else 0.01) else None
    if escalated:  # the manager decides: days, with the customer kept informed meanwhile
        resolve_at = max(resolve_at, escalated + DAY + int(r() * 4 * DAY))
    cancelled = c + 600 + int(r() * DAY) if r() < 0.04 else None
    ev = events.append
    # As the console's own assignment writes it (services/tickets/actions.assign): the column set.
    ev((assign_at, op, "assign", "assignee_text" if assignee_text else "assignee_id", None,
        assignee_text or str(assignee), None))
    ev((assign_at, op, "status", "status", "new", "assigned", None))
    ev((work_at, op, "status", "status", "assigned", "in_progress", None))
    if escalated:
        ev((escalated, op, "escalate", None, None, None, "客户不满意处理进度,上报经理"))
    fu = None
    if cancelled and cancelled < resolve_at:
        events = [e for e in events if e[0] < cancelled]
        events.append((cancelled, op, "status", "status", None, "cancelled", "客户已自行解决"))
        resolve_at = None
    else:
        cancelled = None
        ev((resolve_at, op, "status", "status", "in_progress", "resolved", None))
        if w.rules.needs_follow_up(kind):  # DOMAIN §3: call back after the request is handled
            # in business hours, 1 to 17 of them after: some calls are made late (overdue)
            done = w.business(resolve_at, 1 + r() * 16)
            x = r()
            outcome = "closed" if x < 0.95 else ("reopened" if x < 0.99 else "escalated")
            fu = (resolve_at, w.business(resolve_at, w.rules.follow_up_hours), done, outcome)
            ev((done, op, "status", "status", "resolved", "followed_up", None))
            if outcome == "reopened":
                ev((done, op, "status", "status", "followed_up", "in_progress", "回访不满意,重新处理"))
                ev((done + DAY, op, "status", "status", "in_progress", "resolved", None))
                ev((done + DAY + 3 * H, op, "status", "status", "resolved", "closed", None))
            else:
                ev((done + 600, op, "status", "status", "followed_up", "closed", None))
        else:
            ev((resolve_at + H + int(r() * DAY), op, "status", "status", "resolved", "closed", None))
    if w.rules.needs_progress_calls(kind):  # DOMAIN §3: keep them informed until it is solved
        _progress_calls(day, tid, c, resolve_at or cancelled, ev, op, sid, desk, name, hon, phone, unit)
    events.sort(key=_first)  # stable: same-time events keep their order
    # Apply what has happened by now.
    status, updated = "new", c
    stamps = {"resolved": None, "followed_up": None, "closed": None, "cancelled": None}
    reopened, escalated_at, add, D, C = 0, None, w.sink.rows["ticket_event"].append, DATES, CLOCK
    eid = w.ids["ticket_event"]
    for at, by, ekind, field, old, new, note in events:
        if at > now:
            break
        if ekind == "status":
            old = status
            if old == "followed_up" and new == "in_progress":
                reopened += 1
            if new in stamps:
                stamps[new] = at
            status = new
        elif ekind == "escalate":
            escalated_at = at
        updated = at
        eid += 1
        add((eid, tid, D[at // 86400] + C[at % 86400], by, ekind, field, old, new, note))
    w.ids["ticket_event"] = eid
    satisfaction = None
    if fu is not None and fu[2] <= now:
        satisfaction = SATISFACTION[int(r() * len(SATISFACTION))]
    fee = None
    if kind == "repair" and r() < 0.3:
        fee = w.sink.money(20 + int(r() * 28) * 10)
    w.sink.rows["ticket"].append((
        tid, kind, status, priority, name, hon, phone, unit, source, visit_id, call_id,
        w.rng.choice(N.TICKET_TEXTS[kind]), w.ticket_category(kind, r()), department, op, assignee,
        assignee_text, ts(due), ts(escalated_at),
        "客户不满意处理进度,上报经理" if escalated_at else None, ts(stamps["resolved"]),
        ts(stamps["followed_up"]), ts(stamps["closed"]), ts(stamps["cancelled"]),
        "客户已自行解决" if stamps["cancelled"] else None,
        ts(first_checked) if first_checked and first_checked <= now else None, reopened, satisfaction,
        fee, "CNY" if fee is not None else None, ts(c), ts(updated), sid, desk))
    day.audit.append((c, op, desk, sid, "create", "ticket", tid, None,
                      f'{{"kind": "{kind}", "source": "{source}", "unit": {json_value(unit)}}}'))
    if fu is not None and fu[0] <= now:
        _follow_up(day, tid, fu, satisfaction, op, sid, desk, name, hon, phone, unit)
    if kind == "repair" and resolve_at and r() < 0.7:
        _repair_steps(day, tid, assign_at, resolve_at, op)


def _follow_up(day: Day, tid: int, fu: tuple, satisfaction, op, sid, desk, name, hon, phone, unit) -> None:
    w = day.w
    created, due, done, outcome = fu
    call_id = None
    if done <= w.now:
        call_id = day.outgoing(done - 240, op, sid, desk, name, hon, phone, unit, summary="回访")
    else:
        done = outcome = None
    fid = w.next_id("follow_up")
    w.sink.rows["follow_up"].append((
        fid, tid, w.ts(created), w.ts(due), w.ts(done), call_id, satisfaction,
        w.rng.choice(N.FOLLOW_UP_COMMENTS) if done and w.rng.random() < 0.5 else None, outcome,
        op if done else None, sid if done else None))
    if done:
        day.audit.append((done, op, desk, sid, "follow_up", "ticket", tid, None,
                          f'{{"outcome": {json_value(outcome)}, "satisfaction": {json_value(satisfaction)}}}'))


def _progress_calls(day: Day, tid: int, received: int, solved: int | None, ev, op, sid, desk, name, hon,
                    phone, unit) -> None:
    """The progress calls of an open ticket (services/tickets/progress_calls.py): each due
    `progress_call_hours` business hours after receipt or the last call, most made in the hour
    before, some one to six business hours late; the one pending when the ticket is
    solved stops, the one pending now stays (overdue once past due)."""
    w = day.w
    r, now, hours, rows = w.rng.random, w.now, w.rules.progress_call_hours, w.sink.rows["progress_call"]
    since = received
    while True:
        due = w.business(since, hours)
        made = w.business(due, 1 + r() * 5) if r() < 0.25 else w.business(since, hours - 1 + r() * 0.9)
        if due <= now < made or now - 2 * DAY < due <= now and r() < 0.6:
            made = now + 1  # the desk is behind on the last two days' calls: some overdue now

        end = solved if solved is not None and solved <= made else None  # solved first: stopped
        if end is not None or made > now:
            rows.append((w.next_id("progress_call"), tid, w.ts(since), w.ts(due), None,
                         w.ts(end) if end is not None and end <= now else None, None, None, None))
            return
        call_id = day.outgoing(made - 240, op, sid, desk, name, hon, phone, unit, summary=f"#{tid} 进展回电") \
            if phone else None
        pid = w.next_id("progress_call")
        rows.append((pid, tid, w.ts(since), w.ts(due), w.ts(made), None, call_id, op, sid))
        ev((made, op, "progress_call", None, None, None if call_id is None else str(call_id),
            w.rng.choice(N.PROGRESS_NOTES)))
        day.audit.append((made, op, desk, sid, "done", "progress_call", pid, None,
                          f'{{"call_id": {json_value(call_id)}, "ticket_id": {tid}}}'))
        since = made


def _repair_steps(day: Day, tid: int, start: int, end: int, op: int) -> None:
    """DOMAIN §3, 001 §5.2.5.4: the in-home repair steps, in order, between dispatch and done."""
    w = day.w
    steps = w.repair_steps
    span = max(end - start, len(steps))
    rows = w.sink.rows["repair_step"]
    for i, step in enumerate(steps):
        at = start + span * (i + 1) // (len(steps) + 1)
        if at > w.now:
            break
        rows.append((w.next_id("repair_step"), tid, step, w.ts(at), op))
