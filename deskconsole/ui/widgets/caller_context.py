"""What the desk must know about the person in front of it, as soon as a name, a number or a
unit is typed: a watch-list warning (the action; a supervisor also sees the reason) and the
open tickets of the unit or number ("2 open tickets for A-1201 (#680 报修, due 18:00)") so
every receptionist gives one consistent answer (DOMAIN §4 D).

One widget for the call form, the check-in form and the expected-visitor form: the form calls
`look_up(name=, phone=, unit=)` when one of them changes; the lookup runs off the event loop
and each watch-list entry met is recorded once per form (services/watch.record_hits)."""

from __future__ import annotations

from rich.text import Text
from textual import work

from deskconsole.services.phone_numbers import mask_for
from deskconsole.ui.text import Static


class CallerContext(Static):
    DEFAULT_CSS = """
    CallerContext { height: auto; display: none; column-span: 2; }
    CallerContext.-shown { display: block; }
    """

    def __init__(self, place: str, **kw) -> None:
        super().__init__("", **kw)
        self.place = place  # watch_hit place: call / check_in / expected
        self.recorded: set[int] = set()  # entries already recorded for this form
        self.asked: tuple = ()
        self.watch_lines: list[str] = []
        self.ticket_line = ""
        self._shown: tuple = ((), "")  # what the widget shows now

    def look_up(self, *, name: str = "", phone: str = "", unit: str = "") -> None:
        asked = (name.strip(), phone.strip(), unit.strip())
        if asked == self.asked or not self.app.store.is_open or self.app.actor is None:
            return
        if not any(asked):  # the form was cleared: the next person starts afresh
            self.reset()
            return
        self.asked = asked
        self._look_up(*asked)

    def reset(self) -> None:
        """The form was cleared for the next person."""
        self.asked, self.recorded = (), set()
        self.watch_lines, self.ticket_line = [], ""
        self._show()

    @work(thread=True, exclusive=True, exit_on_error=False, group="caller_context")
    def _look_up(self, name: str, phone: str, unit: str) -> None:
        from deskconsole.services import timeline as tl
        from deskconsole.services import watch
        from deskconsole.services.errors import DeskError
        from deskconsole.services.timeline import render

        app = self.app
        t, actor, tz = app.t, app.actor, app.config.tz
        with app.store.read() as s:
            matches = watch.match(s, actor.clock.now(), name=name, phone=phone)
            target = None
            try:
                target = tl.Target.of(unit=unit) if unit else tl.Target.of(phone=phone) if phone else None
            except DeskError:
                target = None  # a number still being typed
            banner = render.banner(t, target, *tl.open_tickets(s, target), tz, actor) if target else ""
        lines = []
        for m in matches:
            reason = m.reason_for(actor)
            who = m.name or mask_for(phone, actor)
            lines.append(t("watch.warning_reason", name=who, action=t(f"watch.action.{m.action}"), reason=reason)
                         if reason else t("watch.warning", name=who, action=t(f"watch.action.{m.action}")))
        app.call_from_thread(self._found, lines, banner, matches, name, phone, unit)

    def _found(self, lines: list[str], banner: str, matches, name: str, phone: str, unit: str) -> None:
        self.watch_lines, self.ticket_line = lines, banner
        self._show()
        new = [m for m in matches if m.entry_id not in self.recorded]
        if new:
            from deskconsole.services import watch
            from deskconsole.ui.store_work import save

            self.recorded.update(m.entry_id for m in new)
            actor, place = self.app.actor, self.place
            save(self, lambda s: watch.record_hits(s, actor, new, place=place, name=name, phone=phone, unit=unit),
                 lambda _ids: None, show_saving=False)

    def _show(self) -> None:
        # Unchanged (mostly: empty, cleared for the next person): no update, which would lay
        # out the whole form's screen again (a layout of every check-in's save, for nothing).
        shown = (tuple(self.watch_lines), self.ticket_line)
        if shown == self._shown:
            return
        self._shown = shown
        text = Text()
        for line in self.watch_lines:
            text.append(line + "\n", style="bold white on red")
        if self.ticket_line:
            text.append(self.ticket_line, style="bold yellow")
        text.rstrip()
        self.update(text)
        self.set_class(bool(self.watch_lines or self.ticket_line), "-shown")


def follow(owner, *, name_id: str = "name", phone_id: str = "phone", unit_id: str = "unit") -> None:
    """Look up what `owner`'s form holds now (a number shown masked is read behind its mask)."""
    from textual.widgets import Input

    from deskconsole.services.phone_numbers import resolve

    def value(wid: str) -> str:
        found = owner.query(f"#{wid}")
        return found.first(Input).value if found else ""

    contexts = owner.query(CallerContext)
    if contexts:
        contexts.first().look_up(name=value(name_id), phone=resolve(value(phone_id), getattr(owner, "held", None)),
                                 unit=value(unit_id))
