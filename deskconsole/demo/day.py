"""One day of front-desk life for the demo generator: shifts with handovers, visitors with
morning and lunch peaks, calls (some past three rings, some missed and called back), tickets
with their workflow, follow-ups, repair steps, self-checks and inspections.

Everything is drawn from the World's seeded Random, so the same seed gives the same data.
Nothing is generated after the World's `now`: the last day ends with a live queue (visitors
waiting or in the building, open tickets, missed calls not yet returned)."""

from __future__ import annotations

from datetime import date
from math import log as _log

from deskconsole.demo import left_open
from deskconsole.demo import names as N
from deskconsole.demo.sink import CLOCK, DATES
from deskconsole.services.audit import json_value

H = 3600
DAY = 86400
OPEN_S, CLOSE_S = 8 * H, 20 * H  # service-centre hours, local


def _arrival_table(size: int = 4096) -> list[int]:
    """Seconds after local midnight, spread like a lobby day: a morning peak (9-10:30), a
    lunch peak (12-13:30) and a smaller one before closing (17-18)."""
    weights = []
    for minute in range(OPEN_S // 60, CLOSE_S // 60):
        h = minute / 60
        w = 1.0
        if 9 <= h < 10.5:
            w = 3.2
        elif 12 <= h < 13.5:
            w = 2.6
        elif 17 <= h < 18:
            w = 1.6
        weights.append((minute * 60, w))
    total = sum(w for _, w in weights)
    out, acc, i = [], 0.0, 0
    for k in range(size):
        target = (k + 0.5) / size * total
        while acc + weights[i][1] < target:
            acc += weights[i][1]
            i += 1
        out.append(weights[i][0])
    return out


ARRIVALS = _arrival_table()
_L70, _L150, _L240 = 1 / 70, 1 / 150, 1 / 240  # rates of random.expovariate (mean 70 s, ...)
WEEKDAY = 7 / 6.1  # weekday factor so that weekdays x5 + weekends (x0.55) x2 average to 1


class Day:
    """Generates one local day into the World's sink. `w` is the World (generator.py); `index` is
    the date's ordinal (rotas and weekly/monthly rounds follow the calendar)."""

    def __init__(self, w, index: int, day0: int, weekday: int) -> None:
        self.w, self.index, self.day0, self.weekday = w, index, day0, weekday
        self.shift_of: dict[tuple[int, int], tuple[int, int]] = {}  # (desk, slot) -> (shift, op)
        self.starts: dict[int, int] = {}  # shift -> when it started
        self.forgotten: list[tuple] = []  # shifts whose operator forgot to sign off (demo/left_open.py)
        self.ticket_seeds: list[tuple] = []
        self.audit: list[tuple] = []

    def count(self, mean: float) -> int:
        r = self.w.rng.random
        factor = WEEKDAY if self.weekday < 5 else WEEKDAY * 0.55
        return int(mean * factor * (0.85 + 0.3 * r()) + r())

    # -- shifts --------------------------------------------------------------------------
    def shifts(self) -> None:
        w, r, ts = self.w, self.w.rng.random, self.w.ts
        for d, (desk_id, _name) in enumerate(w.desks):
            for slot in (0, 1):
                start = self.day0 + (OPEN_S if slot == 0 else 14 * H) - 600 + int(r() * 300)
                if start > w.now:
                    continue
                op = w.receptionists[(self.index * 2 * len(w.desks) + d * 2 + slot) % len(w.receptionists)]
                end = self.day0 + (14 * H if slot == 0 else CLOSE_S) + 120 + int(r() * 600)
                sid = w.next_id("shift")
                prev = w.last_shift.get(desk_id)
                # the handover is read once the previous shift has handed over (DOMAIN §6)
                ack = max(start, w.last_shift_end.get(desk_id, start)) + 60 + int(r() * 240) if prev else None
                if ack is not None and ack > w.now:
                    ack = None
                closed = end <= w.now
                note = w.rng.choice(N.HANDOVER_NOTES) if closed and r() < 0.6 else None
                forgot = closed and left_open.forgets(w, self.index, d, slot, self.day0, w.last_index)
                if forgot:  # open until a later sign-on closes it (left_open.close_forgotten)
                    closed, note = False, None
                    self.forgotten.append((len(w.sink.rows["shift"]), sid, op, desk_id, d, slot, start, end))
                w.sink.rows["shift"].append((sid, op, desk_id, ts(start), ts(end) if closed else None,
                                             note, prev, ts(ack), None))
                w.last_shift[desk_id] = sid
                w.last_shift_end[desk_id] = start if forgot else end  # handed over at the next sign-on
                self.shift_of[(d, slot == 1)] = (sid, op)
                self.starts[sid] = start
                pending = w.left_open.pop(desk_id, None)
                if pending:  # yesterday's forgotten shift, closed by this sign-on
                    self.audit.append(left_open.close_event(pending, start, op))
                self.audit.append((start, op, desk_id, sid, "sign_on", "shift", sid, None, None))
                if closed:
                    self.audit.append((end, op, desk_id, sid, "shift_end", "shift", sid, None,
                                       f'{{"handover_note": {json_value(note)}}}'))
                self.checks_for_shift(sid, op, desk_id, start)
        left_open.supervisor_shift(self)

    def slots(self) -> list[tuple]:
        """[desk index][afternoon?] -> (shift, operator) or None: the hot loops' self.stamp."""
        get = self.shift_of.get
        return [(get((d, False)), get((d, True))) for d in range(len(self.w.desks))]

    def stamp(self, t: int) -> tuple[int, int, int] | None:
        """(operator, shift, desk) of the shift on duty at t, at one of the desks."""
        w = self.w
        d = int(w.rng.random() * len(w.desks))
        got = self.shift_of.get((d, t >= self.day0 + 14 * H))
        if got is None:
            return None
        return got[1], got[0], w.desks[d][0]

    # -- visits --------------------------------------------------------------------------
    def visits(self) -> None:
        # Hot loop (~1M rows for five busy years): locals only, timestamps inlined as two table
        # look-ups (sink.ts), and the draws in a fixed order (same seed, same data).
        w = self.w
        rng, r, now, log = w.rng, w.rng.random, w.now, _log
        D, C, T, F = DATES, CLOCK, w.sink.true, w.sink.false
        day0, arr, n_arr = self.day0, ARRIVALS, len(ARRIVALS)
        times = sorted(day0 + arr[int(r() * n_arr)] + int(r() * 60) for _ in range(self.count(w.scale.visits)))
        residents, companies, pool = w.residents, w.companies, w.visitors
        n_res, n_comp, n_pool = len(residents), len(companies), len(pool)
        purposes, n_purp, front = w.purposes, len(w.purposes), {c for c, _ in w.companies[:3]}
        add, seed = w.sink.rows["visit"].append, self.ticket_seeds.append
        slots, desk_ids, nd, noon = self.slots(), [d for d, _ in w.desks], len(w.desks), day0 + 14 * H
        choice, notes, describe, kind_for = rng.choice, N.VISIT_NOTES, w.describe, w.kind_for_visit
        share, l70, l240 = w.scale.visit_ticket, _L70, _L240
        vid = w.ids["visit"]
        for t in times:
            if t > now:
                break
            d = int(r() * nd)
            got = slots[d][t >= noon]  # inline self.stamp(t)
            if got is None:
                continue
            sid, op = got
            desk = desk_ids[d]
            if r() < 0.4:  # a resident at the desk about their own unit
                name, hon, phone, unit = residents[int(r() * n_res)]
                host, purpose, stay = "", purposes[int(r() * 3)], 300 + int(r() * 900)
            else:
                name, hon, phone = pool[int(r() * n_pool)]
                if r() < 0.5:
                    host, _h, _p, unit = residents[int(r() * n_res)]
                else:
                    host, unit = companies[int(r() * n_comp)]
                purpose, stay = purposes[int(r() * n_purp)], 600 + int(r() * 5400)
            if r() < 0.5:
                name = name[0]  # often only the surname is asked (DOMAIN §1)
            vid += 1
            # Peaks make people wait; DOMAIN §1: apologise to those kept waiting.
            # (random.expovariate(1/m), inlined: -log(1 - u) / (1/m).)
            wait = int(-log(1.0 - r()) / l70) if r() < 0.8 else int(-log(1.0 - r()) / l240)
            served = t + wait
            cancelled = r() < 0.01
            apology = t + 180 if wait > 180 and not cancelled else None
            handoff = host and r() < 0.6 and not cancelled
            out = served + stay
            if cancelled:
                status, served_at, out_at = ("cancelled" if served <= now else "waiting"), None, None
            elif served > now:
                status, served_at, out_at = "waiting", None, None
            elif out > now:
                status, served_at, out_at = "in_building", served, None
            else:
                status, served_at, out_at = "left", served, out
            if served_at is None:
                handoff = False
                if apology is not None and apology > now:
                    apology = None
            request = None
            if status != "waiting" and not cancelled and r() < share:
                request = kind_for(r())
                seed((served + 120 + int(r() * 300), "visit", vid, None, name, hon, phone, unit,
                      request, op, sid, desk))
            voided = r() < 0.002 and status == "left"
            party = 1 if r() < 0.8 else 2 + int(r() * 3)
            level = "ordinary" if r() < 0.95 else ("senior" if r() < 0.8 else "special")
            note = choice(notes) if r() < 0.2 else None
            if served_at is None:
                served_ts, odd = None, F
            else:
                served_ts = D[served_at // 86400] + C[served_at % 86400]
                odd = T if r() < 0.02 else F
            apology_ts = ack_ts = None
            if apology is not None:
                apology_ts = D[apology // 86400] + C[apology % 86400]
                if apology + 40 <= now:
                    ack = apology + 8 + int(r() * 30)
                    ack_ts = D[ack // 86400] + C[ack % 86400]
            if handoff:
                post = "大堂前台" if host in front else "楼栋管家"
                method = "phone" if r() < 0.6 else ("radio" if r() < 0.5 else "in_person")
                looks = describe(r)
                h_at = served_at + 45
                h_ts = D[h_at // 86400] + C[h_at % 86400]
            else:
                post = method = looks = h_ts = None
            if out_at is None:
                out_ts = void_ts = None
            else:
                out_ts = D[out_at // 86400] + C[out_at % 86400]
                void_ts = D[(out_at + 600) // 86400] + C[(out_at + 600) % 86400] if voided else None
            add((vid, op, sid, desk, D[t // 86400] + C[t % 86400], name, hon, phone, unit, host, purpose,
                 party, level, note, status, served_ts, odd, apology_ts, ack_ts, post, method, looks, h_ts,
                 out_ts, request, void_ts, "重复登记" if voided else None))
        w.ids["visit"] = vid

    # -- calls ---------------------------------------------------------------------------
    def calls(self) -> None:
        w = self.w
        rng, r, now, log = w.rng, w.rng.random, w.now, _log
        D, C, T, F = DATES, CLOCK, w.sink.true, w.sink.false
        day0, arr, n_arr = self.day0, ARRIVALS, len(ARRIVALS)
        times = sorted(day0 + arr[int(r() * n_arr)] + int(r() * 60) for _ in range(self.count(w.scale.calls)))
        residents, pool = w.residents, w.visitors
        n_res, n_pool = len(residents), len(pool)
        add, seed, outgoing = w.sink.rows["call"].append, self.ticket_seeds.append, self.outgoing
        period, limit, share = w.ring_period, w.ring_limit, w.scale.call_ticket
        categories, summaries = w.call_categories, N.CALL_SUMMARIES
        n_cat, n_sum, staff, choice = len(categories), len(summaries), N.STAFF_TEXT, rng.choice
        slots, desk_ids, nd, noon = self.slots(), [d for d, _ in w.desks], len(w.desks), day0 + 14 * H
        close, kind_for, l150 = day0 + CLOSE_S, w.kind_for_call, _L150
        for t in times:
            d = int(r() * nd)
            got = slots[d][t >= noon]  # inline self.stamp(t)
            if got is None:
                continue
            sid, op = got
            desk = desk_ids[d]
            x = r()
            # Speed of answer: most within two rings, some on the third, a few late, some missed.
            if x < 0.70:
                secs = 1.0 + r() * 9.0
            elif x < 0.87:
                secs = 10.0 + r() * 4.9
            elif x < 0.955:
                secs = 15.0 + r() * 20.0
            else:
                secs = None
            hang = 18 + int(r() * 30)
            last = t + (hang if secs is None else int(secs) + 30 + int(-log(1.0 - r()) / l150))
            if last > now:
                continue  # still under way or not yet happened
            if r() < 0.6:
                name, hon, phone, unit = residents[int(r() * n_res)]
            else:
                (name, hon, phone), unit = pool[int(r() * n_pool)], ""
            if r() < 0.05:
                name, hon, phone = "", "", N.landline(rng)
            w.ids["call"] = cid = w.ids["call"] + 1
            at = D[t // 86400] + C[t % 86400]
            if secs is None:
                back = t + 300 + int(r() * 3000)
                if back > close:
                    back = day0 + DAY + OPEN_S + int(r() * 1800)
                returned = back if r() < 0.9 and back + 120 <= now else None
                end = t + hang
                add((cid, op, sid, desk, "in", "1", F, at, None, D[end // 86400] + C[end % 86400], None,
                     int(hang / period) + 1, F, "missed", name, hon, phone, unit, None, None, None, None,
                     None, None if returned is None else D[returned // 86400] + C[returned % 86400]))
                if returned is not None:
                    outgoing(returned, op, sid, desk, name, hon, phone, unit, returns=cid, summary="回电未接来电")
                continue
            answered = t + int(secs)
            rings = int(secs / period) + 1
            x = r()
            outcome = "resolved" if x < 0.62 else "ticket" if x < 0.62 + share else \
                "transferred" if x < 0.9 else "message"
            if outcome == "ticket":
                seed((last + 60, "call", None, cid, name, hon, phone, unit, kind_for(r()), op, sid, desk))
            add((cid, op, sid, desk, "in", "1" if r() < 0.8 else "2", T if r() < 0.03 else F, at,
                 D[answered // 86400] + C[answered % 86400], D[last // 86400] + C[last % 86400],
                 round(secs, 1), rings, T if rings <= limit else F, "ended", name, hon, phone, unit,
                 categories[int(r() * n_cat)], summaries[int(r() * n_sum)], outcome,
                 choice(staff) if outcome == "message" else None, None, None))

    def outgoing(self, t: int, op: int, sid: int, desk: int, name: str, hon: str, phone, unit: str,
                 *, returns: int | None = None, summary: str) -> int:
        w = self.w
        cid = w.next_id("call")
        r = w.rng.random
        w.sink.rows["call"].append((
            cid, op, sid, desk, "out", "1", w.sink.false, w.ts(t), w.ts(t + 6),
            w.ts(t + 70 + int(r() * 200)), None, None, None, "ended", name, hon, phone, unit, None, summary,
            "resolved", None, returns, None))
        return cid

    # -- etiquette -----------------------------------------------------------------------
    def checks_for_shift(self, sid: int, op: int, desk: int, start: int) -> None:
        w = self.w
        at = start + 120
        if at > w.now:
            return
        skipped = w.rng.random() < 0.05
        w.add_check("self", op, None, sid, desk, at, w.self_items, skipped, self.audit)

    def inspections(self) -> None:
        """DOMAIN §6: daily by the supervisor, weekly by the centre manager, monthly by head office."""
        w = self.w
        r = w.rng.random
        for d in range(len(w.desks)):
            for slot in (0, 1) if d == 0 else (0,):
                got = self.shift_of.get((d, slot == 1))
                if got is None:
                    continue
                sid, op = got
                at = self.day0 + (10 if slot == 0 else 15) * H + int(r() * 3 * H)
                if at > w.now:
                    continue
                kind = "daily"
                if slot == 1:
                    if self.weekday != 0:
                        continue
                    # The first Monday of a month is head office's monthly round.
                    kind = "monthly" if date.fromordinal(self.index).day <= 7 else "weekly"
                w.add_check(kind, op, w.supervisors[-1 if kind != "daily" else 0], sid, w.desks[d][0],
                            at, w.inspection_items, False, self.audit)
