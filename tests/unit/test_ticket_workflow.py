"""The ticket state machine: every legal transition leads where it should,
every illegal one is refused whole, on the pure table and through the services."""

import pytest
from sqlmodel import select

from deskconsole.models import Ticket, TicketEvent
from deskconsole.models.tickets import TICKET_STATUSES
from deskconsole.services import tickets
from deskconsole.services.errors import DeskError, NotAllowed
from deskconsole.services.sla import rules_from
from deskconsole.services.tickets import followups
from deskconsole.services.tickets.workflow import TicketError, available_actions, target
from tests.conftest import make_config

# Written out by hand from DOMAIN §3, independently of TRANSITIONS.
LEGAL = {
    ("assign", "new"): "assigned", ("assign", "assigned"): "assigned", ("assign", "in_progress"): "assigned",
    ("start", "new"): "in_progress", ("start", "assigned"): "in_progress",
    ("resolve", "assigned"): "resolved", ("resolve", "in_progress"): "resolved",
    ("follow_up", "resolved"): "followed_up",
    ("close", "followed_up"): "closed",
    ("reopen", "resolved"): "assigned", ("reopen", "followed_up"): "assigned", ("reopen", "closed"): "assigned",
    ("cancel", "new"): "cancelled", ("cancel", "assigned"): "cancelled", ("cancel", "in_progress"): "cancelled",
    ("cancel", "resolved"): "cancelled",
}
STATUS_ACTIONS = ("assign", "start", "resolve", "follow_up", "close", "reopen", "cancel")


@pytest.mark.parametrize("status", TICKET_STATUSES)
@pytest.mark.parametrize("action", STATUS_ACTIONS)
def test_state_machine_table(action, status):
    expected = LEGAL.get((action, status))
    if expected is None:
        with pytest.raises(TicketError) as err:
            target(action, status, has_assignee=True)
        assert err.value.key == "tickets.error.transition"
    else:
        assert target(action, status, has_assignee=True) == expected


def test_reopened_ticket_without_an_assignee_goes_back_to_new():
    assert target("reopen", "closed", has_assignee=False) == "new"


def test_flags_need_an_open_ticket():
    for status in ("new", "assigned", "in_progress"):
        assert target("escalate", status) == status and target("check", status) == status
    for status in ("resolved", "followed_up", "closed", "cancelled"):
        for action in ("escalate", "check"):
            with pytest.raises(TicketError):
                target(action, status)


def test_refusal_names_the_action_and_status_in_the_users_language():
    from deskconsole.i18n import Translator

    with pytest.raises(TicketError) as err:
        target("close", "new")
    assert err.value.message(Translator("zh-CN")) == "无法关闭:工单状态为「新建」"
    assert err.value.message(Translator("en")) == "Cannot close: the ticket is New"


def test_only_allowed_actions_are_offered_and_cancel_only_to_a_supervisor():
    offered = available_actions("new", kind="complaint", escalated=False, checked=False, is_supervisor=False)
    assert "cancel" not in offered and {"assign", "start", "escalate", "check", "note"} <= set(offered)
    assert "cancel" in available_actions("new", kind="complaint", escalated=False, checked=False, is_supervisor=True)
    assert "escalate" not in available_actions("new", kind="inquiry", escalated=True, checked=False,
                                               is_supervisor=False)
    assert "repair_step" in available_actions("in_progress", kind="repair", escalated=False, checked=False,
                                              is_supervisor=False)
    assert available_actions("cancelled", kind="repair", escalated=False, checked=False, is_supervisor=True) == ["note"]


# -- through the services, on SQLite and PostgreSQL ------------------------------------------
@pytest.fixture
def rules(tmp_path):
    return rules_from(make_config(tmp_path))


def _new(store, actor, rules) -> int:
    return store.write(lambda s: tickets.create_ticket(
        s, actor, kind="repair", customer_name="王", honorific="mr", unit="3-1201",
        description="厨房水管漏水", rules=rules)).id


def _drive(store, sup, tid, status, rules) -> None:
    path = {
        "new": [], "assigned": ["assign"], "in_progress": ["assign", "start"],
        "resolved": ["assign", "start", "resolve"], "followed_up": ["assign", "start", "resolve", "follow_up"],
        "closed": ["assign", "start", "resolve", "follow_up", "close"], "cancelled": ["cancel"],
    }[status]
    for action in path:
        _do(store, sup, tid, action, rules)


def _do(store, actor, tid, action, rules):
    calls = {
        "assign": lambda s: tickets.assign(  # a reassignment names someone else
            s, actor, tid, assignee_text="李师傅" if s.get(Ticket, tid).assignee_text == "张师傅" else "张师傅"),
        "start": lambda s: tickets.start(s, actor, tid),
        "resolve": lambda s: tickets.resolve(s, actor, tid, note="换了阀门", rules=rules),
        "follow_up": lambda s: followups.record(s, actor, tid, satisfaction="satisfied", rules=rules),
        "close": lambda s: tickets.close(s, actor, tid),
        "reopen": lambda s: tickets.reopen(s, actor, tid, reason="又漏了", rules=rules),
        "cancel": lambda s: tickets.cancel(s, actor, tid, reason="业主撤回"),
    }
    return store.write(calls[action])


def _state(store, tid):
    with store.read() as s:
        t = s.get(Ticket, tid)
        n = len(s.exec(select(TicketEvent).where(TicketEvent.ticket_id == tid)).all())
        return t.status, t.updated_at, t.assignee_text, t.resolved_at, n


@pytest.mark.parametrize("status", TICKET_STATUSES)
def test_every_action_from_every_status_through_the_services(store, supervisor, clock, rules, status):
    for action in STATUS_ACTIONS:
        tid = _new(store, supervisor, rules)
        _drive(store, supervisor, tid, status, rules)
        clock.advance(60)
        before = _state(store, tid)
        expected = LEGAL.get((action, status))
        if expected is None:
            with pytest.raises(DeskError):
                _do(store, supervisor, tid, action, rules)
            assert _state(store, tid) == before, f"{action} from {status} was half-applied"
        else:
            _do(store, supervisor, tid, action, rules)
            after = _state(store, tid)
            assert after[0] == expected, (action, status)
            assert after[4] > before[4], "the change is in the history"


def test_a_receptionist_may_not_cancel(store, actor, rules):
    tid = _new(store, actor, rules)
    with pytest.raises(NotAllowed) as err:
        store.write(lambda s: tickets.cancel(s, actor, tid, reason="不需要了"))
    assert err.value.params["action"] == "tickets.action.cancel"
    assert _state(store, tid)[0] == "new"
