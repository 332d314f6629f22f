"""Retention at sign-on: with `retention_days` set in the config, a
supervisor's sign-on anonymises what has passed the retention period, in a worker thread so
the desk is usable at once. Purging is a supervisor's act, so a receptionist's sign-on skips
it (the next supervisor's sign-on catches up). A sign-on step (ui/modes.py SIGN_ON_STEPS)."""

from __future__ import annotations

from deskconsole.services import retention


def purge_after_sign_on(app) -> None:
    days, actor = app.config.retention_days, app.actor
    if not days or actor is None or not actor.is_supervisor:
        return None

    def work() -> None:
        counts = app.store.write(lambda s: retention.purge_as(s, actor, days))
        if counts.total:
            cutoff = counts.cutoff.astimezone(app.config.tz).strftime("%Y-%m-%d %H:%M")
            app.say(app.t(
                "reliability.purge.done", cutoff=cutoff, visits=counts.visits,
                expected=counts.expected_visits, calls=counts.calls, tickets=counts.tickets,
                history=counts.ticket_history,
                notes=counts.follow_ups + counts.repair_steps + counts.handover_notes,
                registers=counts.registers))

    app.run_worker(work, thread=True, exclusive=True, exit_on_error=False, group="retention")
    return None
