"""The console's default keys as plain data: binding id -> key, and where the binding lives.

The UI builds its global bindings from this table, and tests/ui/test_keymap.py fails when a
screen's own `Binding` and this table disagree, so the two never drift. config.py reads it,
without importing Textual, to check a `[keys]` section: an unknown binding id, a key name
Textual would not recognise, or two bindings on one key are refused in one located line.

Scope "app" is active on every screen; any other scope is the screen, modal or widget class
that holds the binding (a key is taken only within its own scope and the app's).
"""

from __future__ import annotations

APP = "app"

# (scope, binding id, default key(s); "a,b" means either key)
KEYMAP: tuple[tuple[str, str, str], ...] = (
    # app
    ("app", "help", "f1"),
    ("app", "lock", "ctrl+l"),
    ("app", "messages", "f12"),
    ("app", "mode.etiquette", "f5"),
    ("app", "mode.phone", "f3"),
    ("app", "mode.reception", "f2"),
    ("app", "mode.registers", "f10"),
    ("app", "mode.shift", "f6"),
    ("app", "mode.tickets", "f4"),
    ("app", "phone.missed", "f8"),
    ("app", "phone.ring", "f7"),
    ("app", "phone.ring_another", "shift+f7"),
    ("app", "quit", "ctrl+q"),
    ("app", "timeline", "ctrl+y"),
    # MessagesModal
    ("MessagesModal", "messages.close", "escape,f12"),
    # MissedNumberModal
    ("MissedNumberModal", "phone.missed_number_skip", "escape"),
    # UnitInput: the directory matches under a unit/host field
    ("UnitInput", "unit.next_match", "down"),
    ("UnitInput", "unit.previous_match", "up"),
    # CallFormModal
    ("CallFormModal", "phone.form_hide", "escape"),
    ("CallFormModal", "phone.reveal", "ctrl+d"),
    ("CallFormModal", "phone.form_save", "ctrl+s"),
    ("CallFormModal", "phone.hang_up", "f9"),
    # CheckResultModal
    ("CheckResultModal", "result.close", "escape"),
    # RegistersScreen (F10) and its release check
    ("RegistersScreen", "registers.check", "c"),
    ("RegistersScreen", "registers.lend", "l"),
    ("RegistersScreen", "registers.return", "r"),
    ("RegistersScreen", "registers.tab_goods", "2"),
    ("RegistersScreen", "registers.tab_keys", "1"),
    ("RegistersScreen", "registers.tab_loans", "3"),
    ("ReleaseCheckModal", "registers.check_close", "escape"),
    # ChecklistTable
    ("ChecklistTable", "checklist.cycle", "space"),
    ("ChecklistTable", "checklist.full_next", "enter"),
    ("ChecklistTable", "checklist.jump_a", "1"),
    ("ChecklistTable", "checklist.jump_b", "2"),
    ("ChecklistTable", "checklist.jump_c", "3"),
    ("ChecklistTable", "checklist.jump_d", "4"),
    ("ChecklistTable", "checklist.jump_e", "5"),
    ("ChecklistTable", "checklist.note", "n"),
    # ChoiceInput
    ("ChoiceInput", "choice.next", "right,space,down"),
    ("ChoiceInput", "choice.prev", "left,up"),
    # ConfirmModal
    ("ConfirmModal", "confirm.back", "escape"),
    ("ConfirmModal", "confirm.no", "n"),
    ("ConfirmModal", "confirm.yes", "y"),
    # DirectoryImportModal
    ("DirectoryImportModal", "directory_import.back", "escape"),
    ("DirectoryImportModal", "directory_import.commit", "ctrl+s"),
    # EtiquetteScreen
    ("EtiquetteScreen", "etiquette.inspect", "i"),
    ("EtiquetteScreen", "etiquette.self_check", "c"),
    # ExpectedModal
    ("ExpectedModal", "expected.back", "escape"),
    ("ExpectedModal", "expected.save", "ctrl+s"),
    # ExpectedTable
    ("ExpectedTable", "reception.arrived", "enter"),
    # FirstRunScreen
    ("FirstRunScreen", "firstrun.save", "ctrl+s"),
    # HandoffModal
    ("HandoffModal", "handoff.back", "escape"),
    ("HandoffModal", "handoff.save", "ctrl+s"),
    # HandoverAckModal
    ("HandoverAckModal", "shift.handover.ack", "enter"),
    ("HandoverAckModal", "shift.handover.ack_save", "ctrl+s"),
    # HandoverCloseModal
    ("HandoverCloseModal", "shift.handover.cancel", "escape"),
    ("HandoverCloseModal", "shift.handover.confirm", "ctrl+s"),
    # HelpModal
    ("HelpModal", "help.close", "escape"),
    ("HelpModal", "help.close_f1", "f1"),
    # InBuildingTable
    ("InBuildingTable", "reception.checkout", "o"),
    ("InBuildingTable", "reception.handoff", "enter,h"),
    ("InBuildingTable", "reception.ticket", "t"),
    # InspectionModal
    ("InspectionModal", "inspection.back", "escape"),
    ("InspectionModal", "inspection.comments", "ctrl+o"),
    ("InspectionModal", "inspection.kind", "ctrl+k"),
    ("InspectionModal", "inspection.sign", "ctrl+s"),
    # PeriodModal
    ("PeriodModal", "shift.period.apply", "ctrl+s"),
    ("PeriodModal", "shift.period.back", "escape"),
    # PhoneScreen
    ("PhoneScreen", "phone.call_back", "c"),
    ("PhoneScreen", "phone.line_missed", "x"),
    ("PhoneScreen", "phone.lines", "l"),
    ("PhoneScreen", "phone.missed_list", "m"),
    ("PhoneScreen", "phone.next_page", "n"),
    ("PhoneScreen", "phone.outgoing", "o"),
    ("PhoneScreen", "phone.prev_page", "p"),
    ("PhoneScreen", "phone.search", "ctrl+f"),
    # QueueTable
    ("QueueTable", "reception.apology_row", "a"),
    ("QueueTable", "reception.cancel", "x"),
    ("QueueTable", "reception.serve_this", "enter"),
    # ReceptionScreen
    ("ReceptionScreen", "reception.apology", "ctrl+g"),
    ("ReceptionScreen", "reception.checkout_number", "ctrl+o"),
    ("ReceptionScreen", "reception.discard", "escape"),
    ("ReceptionScreen", "reception.expect", "ctrl+t"),
    ("ReceptionScreen", "reception.recall", "ctrl+r"),
    ("ReceptionScreen", "reception.roll_call", "ctrl+b"),
    ("ReceptionScreen", "reception.save", "ctrl+s"),
    ("ReceptionScreen", "reception.search", "ctrl+f"),
    ("ReceptionScreen", "reception.serve_next", "ctrl+n"),
    # RollCallModal
    ("RollCallModal", "roll_call.close", "escape"),
    ("RollCallModal", "roll_call.csv", "c"),
    ("RollCallModal", "roll_call.text", "p"),
    # SelfCheckModal
    ("SelfCheckModal", "self_check.save", "ctrl+s"),
    ("SelfCheckModal", "self_check.skip", "escape"),
    # ShiftPickModal
    ("ShiftPickModal", "shift.pick.back", "escape"),
    ("ShiftPickModal", "shift.pick.close_left_open", "x"),
    # ShiftScreen
    ("ShiftScreen", "shift.close", "c"),
    ("ShiftScreen", "shift.live", "t"),
    ("ShiftScreen", "shift.next", "right_square_bracket"),
    ("ShiftScreen", "shift.pick_period", "d"),
    ("ShiftScreen", "shift.pick_shift", "s"),
    ("ShiftScreen", "shift.previous", "left_square_bracket"),
    ("ShiftScreen", "shift.refresh", "r"),
    ("ShiftScreen", "shift.watch_list", "w"),
    ("ShiftScreen", "shift.directory_import", "i"),
    # SignModal
    ("SignModal", "sign.back", "escape"),
    # SignOnScreen
    ("SignOnScreen", "signon.submit", "enter"),
    # TimelineModal
    ("TimelineModal", "timeline.close", "escape"),
    ("TimelineModal", "timeline.more", "pagedown"),
    ("TimelineModal", "timeline.open_record", "enter"),
    # TicketActionModal
    ("TicketActionModal", "ticket_action.reveal", "ctrl+d"),
    ("TicketActionModal", "ticket_action.back", "escape"),
    ("TicketActionModal", "ticket_action.save", "ctrl+s"),
    # TicketFormModal
    ("TicketFormModal", "ticket_form.back", "escape"),
    ("TicketFormModal", "ticket_form.save", "ctrl+s"),
    # TicketViewScreen
    ("TicketViewScreen", "ticket.assign", "a"),
    ("TicketViewScreen", "ticket.back", "escape"),
    ("TicketViewScreen", "ticket.cancel", "x"),
    ("TicketViewScreen", "ticket.check", "v"),
    ("TicketViewScreen", "ticket.close", "c"),
    ("TicketViewScreen", "ticket.edit", "u"),
    ("TicketViewScreen", "ticket.escalate", "e"),
    ("TicketViewScreen", "ticket.follow_up", "f"),
    ("TicketViewScreen", "ticket.note", "o"),
    ("TicketViewScreen", "ticket.progress_call", "p"),
    ("TicketViewScreen", "ticket.reopen", "z"),
    ("TicketViewScreen", "ticket.repair_step", "t"),
    ("TicketViewScreen", "ticket.resolve", "r"),
    ("TicketViewScreen", "ticket.skip_step", "s"),
    ("TicketViewScreen", "ticket.start", "w"),
    # TicketsScreen
    ("TicketsScreen", "tickets.clear", "escape"),
    ("TicketsScreen", "tickets.department", "d"),
    ("TicketsScreen", "tickets.kind", "k"),
    ("TicketsScreen", "tickets.new", "n"),
    ("TicketsScreen", "tickets.next_page", "right_square_bracket"),
    ("TicketsScreen", "tickets.prev_page", "left_square_bracket"),
    ("TicketsScreen", "tickets.progress_call", "p"),
    ("TicketsScreen", "tickets.queue.all", "7"),
    ("TicketsScreen", "tickets.queue.department", "2"),
    ("TicketsScreen", "tickets.queue.due_today", "5"),
    ("TicketsScreen", "tickets.queue.escalated", "3"),
    ("TicketsScreen", "tickets.queue.follow_up", "6"),
    ("TicketsScreen", "tickets.queue.mine", "1"),
    ("TicketsScreen", "tickets.queue.overdue", "4"),
    ("TicketsScreen", "tickets.search", "slash"),
    ("TicketsScreen", "tickets.sort", "s"),
    # WatchEntryModal
    ("WatchEntryModal", "watch_entry.back", "escape"),
    ("WatchEntryModal", "watch_entry.save", "ctrl+s"),
    # WatchListModal
    ("WatchListModal", "watch.change", "e"),
    ("WatchListModal", "watch.close", "escape"),
    ("WatchListModal", "watch.new", "n"),
    ("WatchListModal", "watch.remove", "x"),
    # VisitNumberModal
    ("VisitNumberModal", "visit_number.back", "escape"),
    # VisitSearchModal
    ("VisitSearchModal", "visit_search.close", "escape"),
    ("VisitSearchModal", "visit_search.more", "pagedown"),
)

DEFAULT_KEYS: dict[str, str] = {bid: key for _, bid, key in KEYMAP}
SCOPES: dict[str, str] = {bid: scope for scope, bid, _ in KEYMAP}

MODIFIERS = ("ctrl", "shift", "alt", "meta", "super", "hyper")
# Textual's names for the keys that are not a letter or a digit.
NAMED_KEYS = frozenset((
    "escape", "enter", "tab", "space", "backspace", "delete", "insert", "home", "end", "pageup",
    "pagedown", "up", "down", "left", "right",
    *(f"f{n}" for n in range(1, 25)),
    "exclamation_mark", "quotation_mark", "number_sign", "dollar_sign", "percent_sign", "ampersand",
    "apostrophe", "left_parenthesis", "right_parenthesis", "asterisk", "plus", "comma", "minus",
    "full_stop", "slash", "colon", "semicolon", "less_than_sign", "equals_sign", "greater_than_sign",
    "question_mark", "at", "left_square_bracket", "backslash", "right_square_bracket",
    "circumflex_accent", "underscore", "grave_accent", "left_curly_bracket", "vertical_line",
    "right_curly_bracket", "tilde",
))


def key_names(keys: str) -> list[str]:
    """"enter,h" -> ["enter", "h"]; spaces and case are not significant."""
    return [k.strip().lower() for k in keys.split(",") if k.strip()]


def is_valid_key(key: str) -> bool:
    """ctrl+shift+f7, f12, a, 5, left_square_bracket: what a Textual binding accepts."""
    *mods, name = key.split("+")
    if len(set(mods)) != len(mods) or any(m not in MODIFIERS for m in mods):
        return False
    return name in NAMED_KEYS or (len(name) == 1 and (name.isascii() and name.isalnum()))


def clash(keymap: dict[str, str], binding_id: str) -> str | None:
    """The binding that already holds one of `binding_id`'s keys in the keymap given (defaults
    updated with the user's), or None. Two bindings clash when they share a scope or one of
    them is the app's (active everywhere); keys the defaults already share are not a clash."""
    mine = set(key_names(keymap[binding_id]))
    scope = SCOPES[binding_id]
    for other, keys in keymap.items():
        shared = mine & set(key_names(keys))
        if other == binding_id or not shared:
            continue
        if shared <= set(key_names(DEFAULT_KEYS[binding_id])) & set(key_names(DEFAULT_KEYS[other])):
            continue  # shared by design (F1 opens help and closes it)
        if SCOPES[other] == scope or APP in (scope, SCOPES[other]):
            return other
    return None
