"""One live line: seconds ringing and the ring under way, coloured by the standard (DOMAIN §2:
rings 1-2 calm, ring 3 warning, beyond ring 3 alarm); once answered, the talk time.

The numbers are computed at each render from the monotonic start held by PhoneEvents, never
counted in ticks, so a slow refresh can only show them late, never wrong."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

LEVELS = ("calm", "warning", "alarm", "talking")


def fmt_talk(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60:d}:{seconds % 60:02d}"


def caller_line(t, live, actor) -> str:
    """"138****8000 - Mrs Chen - A-1201 - 2 open tickets": the number (masked as elsewhere)
    and who the directory and past calls say it probably is."""
    from deskconsole.services.people import address
    from deskconsole.services.phone_numbers import mask_for

    guess = live.guess
    parts = [mask_for(live.phone, actor) if live.phone else ""]
    if guess is not None:
        parts += [address(guess.name, guess.honorific, t.language), guess.unit]
        if guess.open_tickets:
            parts.append(t("phone.bar.open_tickets", n=guess.open_tickets))
        if guess.watch_action:  # first, so a narrow bar still shows it
            parts.insert(0, t("phone.bar.watch", action=t(f"watch.action.{guess.watch_action}")))
    elif live.caller_name:
        parts.append(live.caller_name)
    return t("phone.bar.sep").join(p for p in parts if p)


class RingTimer(Widget):
    DEFAULT_CSS = """
    RingTimer { height: 1; padding: 0 1; }
    RingTimer.-calm { background: $success-darken-2; color: $text; }
    RingTimer.-warning { background: $warning; color: $text; text-style: bold; }
    RingTimer.-alarm { background: $error; color: $text; text-style: bold; }
    RingTimer.-talking { background: $panel; color: $text; }
    """

    def __init__(self, phone, call_id: int) -> None:
        super().__init__()
        self.phone = phone
        self.call_id = call_id

    def level(self) -> str:
        live = self.phone.live.get(self.call_id)
        if live is None or live.state != "ringing":
            return "talking"
        return self.phone.level(live)

    _shown_level = ""

    def update_level(self) -> None:
        level = self.level()
        if level != self._shown_level:  # restyling costs a CSS pass: only when the colour changes
            self._shown_level = level
            self.remove_class(*(f"-{name}" for name in LEVELS if name != level))
            self.add_class(f"-{level}")
        self.refresh()

    def render(self) -> Text:
        t = self.app.t
        live = self.phone.live.get(self.call_id)
        if live is None:
            return Text("")
        text = Text(no_wrap=True, overflow="ellipsis")
        if live.state == "ringing":
            elapsed = self.phone.elapsed(live)
            ring = self.phone.cadence.ring_number(elapsed)
            text.append(t("phone.bar.ringing", line=live.line, seconds=f"{elapsed:.1f}", ring=ring,
                          limit=self.phone.limit))
            if self.phone.picked == live.call_id:
                text.append(" " + t("phone.bar.picked"))
            caller = caller_line(t, live, self.app.actor)
            if caller:
                text.append(t("phone.bar.sep") + caller)
            text.append("  " + t("phone.bar.ringing_keys"))
        else:
            verdict = t("phone.bar.within" if live.within_limit else "phone.bar.outside", limit=self.phone.limit)
            text.append(t("phone.bar.talking", line=live.line, talk=fmt_talk(self.phone.elapsed(live)),
                          rings=live.rings or "-", verdict=verdict))
            if getattr(self.app.screen, "form_of_call", None) != live.call_id:  # its form is hidden: say how to reopen
                text.append("  " + t("phone.bar.talking_keys"))
        return text
