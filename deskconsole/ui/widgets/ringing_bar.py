"""The live lines at the top of whatever screen is shown (DOMAIN §2: the phone rings while the
receptionist registers a visitor). The phone controller's ticker (ui/controllers/phone.py) mounts it on the current screen and
keeps it in step with PhoneEvents; with no live line it takes no room."""

from __future__ import annotations

from textual.containers import Vertical

from deskconsole.ui.text import Static
from deskconsole.ui.widgets.ring_timer import RingTimer


class FeedOffline(Static):
    DEFAULT_CSS = "FeedOffline { height: 1; padding: 0 1; background: $warning; color: $text; }"


class RingingBar(Vertical):
    DEFAULT_CSS = """
    RingingBar { dock: top; height: auto; max-height: 4; display: none; }
    RingingBar.-live { display: block; }
    """

    def sync(self, phone, *, offline: bool = False) -> None:
        """Show one RingTimer per live line (ringing first, longest first), or hide; with the
        phone system's feed offline, a line first that says the keys still work."""
        if not self.is_mounted:
            return  # just mounted by the ticker: the next tick fills it
        notice = self.query(FeedOffline)
        if offline and not notice:
            self.mount(FeedOffline(self.app.t("phone.feed.offline_bar")), before=0 if self.children else None)
        elif not offline and notice:
            notice.remove()
        calls = [] if phone is None else [*phone.ringing(), *phone.talking()]
        wanted = [c.call_id for c in calls]
        have = {timer.call_id: timer for timer in self.query(RingTimer)}
        for call_id, timer in have.items():
            if call_id not in wanted:
                timer.remove()
        if [c for c in have if c in wanted] != wanted:
            # Order changed or new lines: rebuild (a handful of one-line widgets).
            for call_id in have:
                if call_id in wanted:
                    have[call_id].remove()
            timers = [RingTimer(phone, call_id) for call_id in wanted]
            self.mount_all(timers)
        else:
            timers = [have[c] for c in wanted]
        for timer in timers:
            timer.update_level()
        if self.has_class("-live") != bool(wanted or offline):
            self.set_class(bool(wanted or offline), "-live")
