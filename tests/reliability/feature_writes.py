"""Writes through the feature services, for the kill harness's storm:
a visit checked in, a call rung/answered/registered, a ticket opened. Each returns the
records it made, acknowledged only after store.write returned."""

from __future__ import annotations


def _visit(store, actor, i):
    from deskconsole.services import reception

    v = store.write(lambda s: reception.check_in(s, actor, reception.CheckInForm(
        name=f"王{i}", honorific="mr", phone="13800138000", unit="3-502", note="kill harness")))
    return [("visit", v.id)]


def _call(store, actor, i):
    from deskconsole.services import calls as phone

    call = store.write(lambda s: phone.log_outgoing(s, actor, phone="13700137000", caller_name=f"李{i}",
                                                    summary="回访"))
    return [("call", call.id)]


def _ticket(store, actor, i):
    from deskconsole.config import load_config
    from deskconsole.services import tickets
    from deskconsole.services.sla import rules_from

    rules = rules_from(load_config())
    t = store.write(lambda s: tickets.create_ticket(s, actor, kind="repair", customer_name=f"赵{i}",
                                                    phone="13600136000", description="漏水", rules=rules))
    return [("ticket", t.id)]


def available() -> list:
    out = []
    for module, fn in (("reception", _visit), ("phone", _call), ("tickets", _ticket)):
        try:
            __import__(f"deskconsole.services.{module}")
        except ImportError:
            continue
        out.append(fn)
    return out
