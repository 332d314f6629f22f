"""The apology prompt above the reception queue (DOMAIN §1, 000 B)."""

from __future__ import annotations

from deskconsole.services import reception as rs
from deskconsole.services.people import salutation
from deskconsole.ui.store_work import save
from deskconsole.ui.widgets.quiet import update_if_changed


def show_apology_banner(banner, entries, app) -> None:
    """The apology prompt above the queue (DOMAIN §1, 000 B): who has waited past the threshold,
    and the phrase to say. Shown once, it is noted as shown (for the summary's figures)."""
    t = app.t
    due = [e for e in entries if e.apology_due]
    banner.set_class(bool(due), "-due")
    if not due:
        update_if_changed(banner, "")
        return
    names = ", ".join(salutation(e.visit.name, e.visit.honorific, t.language) or f"#{e.visit.id}"
                      for e in due[:3])
    update_if_changed(banner, t("reception.queue.apology_banner", names=names,
                                phrase=t("reception.queue.apology_phrase")))
    unseen = [e.visit.id for e in due if e.visit.apology_shown_at is None]
    if unseen:  # the banner owns this write, so it never holds up the receptionist's own
        actor = app.actor
        save(banner, lambda s: rs.mark_apology_shown(s, actor, unseen), show_saving=False)
