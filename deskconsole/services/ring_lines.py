"""The event interface of incoming calls (DOMAIN §2): ring / answer / hang_up / missed.

The receptionist's keys feed it (F7, Shift+F7, F8); a phone system feeds it through `feed`
(deskconsole/feeds: Asterisk AMI or the generic HTTP feed) with its own exact times. It holds
the live lines in memory (the monotonic start of each ring: elapsed is monotonic now minus that
start, never counted in ticks) and writes every event to the store at once through
services/calls.py (keys) or services/pbx_calls.py (a feed); `sync` follows lines another
terminal's feed wrote.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from deskconsole.cadence import Cadence
from deskconsole.services.calls import (
    open_calls,
    record_answer,
    record_hang_up,
    record_missed,
    ring_level,
    start_ring,
)
from deskconsole.services.context import Actor
from deskconsole.services.errors import DeskError
from deskconsole.services.pbx_calls import PbxEvent
from deskconsole.services.pbx_calls import apply as apply_pbx


@dataclass
class LiveCall:
    call_id: int
    line: str
    started_mono: float  # monotonic time of the first ring (the event)
    state: str = "ringing"  # ringing | talking
    answered_mono: float | None = None
    rings: int | None = None
    within_limit: bool | None = None
    belled: bool = False
    source: str = "keys"  # keys | pbx: where the ring's start came from
    phone: str | None = None  # the caller's number, when the phone system said it
    caller_name: str = ""
    guess: object = None  # services/caller_id.CallerGuess: who is probably calling
    draft: dict = field(default_factory=dict)  # the call form's fields while it is hidden


def _answered_elsewhere(call, live: LiveCall | None) -> bool:
    """The PBX said a neighbour's extension picked this desk's call up: it is no line here
    (a call answered here and ticked "covering" on the form stays)."""
    return (call.source == "pbx" and call.covering_neighbour and call.status == "answered"
            and (live is None or live.state != "talking"))


class PhoneEvents:
    """ring(line) / answer(call_id) / hang_up(call_id) / missed(call_id): the four events of an
    incoming call, from a key or (later) a PBX. Holds the live lines in memory; writes go to
    the store at once, so nothing is lost if the console stops."""

    def __init__(self, store, actor: Callable[[], Actor], cadence: Cadence, limit: int, *, clock=None) -> None:
        self.store = store
        self._actor = actor
        self._clock = clock  # given when the actor is looked up in the store (a feed's desk shift)
        self.cadence = cadence
        self.limit = limit
        self.live: dict[int, LiveCall] = {}
        self.picked: int | None = None
        self.listeners: list[Callable[[str, LiveCall], None]] = []
        # Events may arrive from a worker thread (or a PBX listener): one at a time. Readers
        # never take the lock; they work on a snapshot of the live lines.
        self._lock = threading.RLock()

    @property
    def clock(self):
        return self._clock or self._actor().clock

    def _emit(self, event: str, live: LiveCall) -> None:
        for listener in list(self.listeners):
            listener(event, live)

    def restore(self) -> None:
        """Bring back this desk's calls that were ringing or under way when the console stopped;
        their elapsed time comes from the stored UTC start."""
        actor = self._actor()
        now, mono = actor.clock.now(), actor.clock.monotonic()
        with self.store.read() as s:
            calls = open_calls(s, actor.desk_id, now)
        for c in calls:
            if c.id in self.live or _answered_elsewhere(c, None):
                continue
            start = mono - (now - c.started_at).total_seconds()
            live = LiveCall(c.id, c.line, start, rings=c.rings, within_limit=c.within_limit,
                            belled=True, source=c.source, phone=c.phone, caller_name=c.caller_name)
            if c.status == "answered":
                live.state = "talking"
                live.answered_mono = mono - (now - (c.answered_at or now)).total_seconds()
            self.live[c.id] = live

    # queries on the live lines
    def ringing(self) -> list[LiveCall]:
        """Longest-ringing first."""
        return sorted((c for c in list(self.live.values()) if c.state == "ringing"), key=lambda c: c.started_mono)

    def talking(self) -> list[LiveCall]:
        return sorted((c for c in list(self.live.values()) if c.state == "talking"), key=lambda c: c.started_mono)

    def elapsed(self, live: LiveCall) -> float:
        """Ringing: seconds since the first ring. Talking: talk time since the answer."""
        since = live.answered_mono if live.state == "talking" and live.answered_mono is not None else live.started_mono
        return max(self.clock.monotonic() - since, 0.0)

    def ring_number(self, live: LiveCall) -> int:
        return self.cadence.ring_number(self.elapsed(live))

    def level(self, live: LiveCall) -> str:
        return ring_level(self.ring_number(live), self.limit)

    def due_bells(self) -> list[LiveCall]:
        """Lines that reached the limit ring since the last look; each is returned once."""
        due = [c for c in self.ringing() if not c.belled and self.ring_number(c) >= self.limit]
        for c in due:
            c.belled = True
        return due

    def next_line(self) -> str:
        used = {c.line for c in list(self.live.values())}
        n = 1
        while str(n) in used:
            n += 1
        return str(n)

    def pick(self, call_id: int | None) -> None:
        self.picked = call_id if call_id in self.live else None

    def _target(self, call_id: int | None) -> LiveCall:
        if call_id is None and self.picked in self.live and self.live[self.picked].state == "ringing":
            call_id = self.picked
        if call_id is None:
            ringing = self.ringing()
            if not ringing:
                raise DeskError("phone.error.nothing_ringing")
            return ringing[0]
        live = self.live.get(call_id)
        if live is None or live.state != "ringing":
            raise DeskError("phone.error.not_ringing", id=call_id)
        return live

    # the four events. `at` is the monotonic time the event happened (the key press); it
    # defaults to now, and is passed when the write runs later in a worker thread.
    def ring(self, line: str | None = None, *, covering_neighbour: bool = False, at: float | None = None) -> LiveCall:
        mono = self.clock.monotonic() if at is None else at
        with self._lock:
            actor = self._actor()
            line = line or self.next_line()
            call = self.store.write(lambda s: start_ring(s, actor, line=line, covering_neighbour=covering_neighbour))
            live = self.live[call.id] = LiveCall(call.id, line, mono)
        self._emit("ring", live)
        return live

    def _ring_ends(self, call_id: int | None, at: float | None) -> tuple[LiveCall, float, float]:
        """The ringing call an answer or a miss is for, how long it rang, and the monotonic time
        the ringing ended. Called with the lock held."""
        mono = self.clock.monotonic() if at is None else at
        live = self._target(call_id)
        return live, max(mono - live.started_mono, 0.0), mono

    def _unpick(self, live: LiveCall) -> None:
        if self.picked == live.call_id:
            self.picked = None

    def answer(self, call_id: int | None = None, *, at: float | None = None) -> LiveCall:
        with self._lock:
            live, elapsed, mono = self._ring_ends(call_id, at)
            actor = self._actor()
            call = self.store.write(lambda s: record_answer(s, actor, live.call_id, elapsed=elapsed,
                                                            cadence=self.cadence, limit=self.limit))
            live.rings, live.within_limit, live.answered_mono = call.rings, call.within_limit, mono
            live.state = "talking"
            self._unpick(live)
        self._emit("answer", live)
        return live

    def ring_or_answer(self, *, at: float | None = None) -> tuple[str, LiveCall]:
        """F7: answer if a line rings, else a new ring; decided and done as one event."""
        with self._lock:
            if self.ringing():
                return "answer", self.answer(at=at)
            return "ring", self.ring(at=at)

    def missed(self, call_id: int | None = None, *, at: float | None = None) -> LiveCall:
        with self._lock:
            live, elapsed, _mono = self._ring_ends(call_id, at)
            actor = self._actor()
            call = self.store.write(lambda s: record_missed(s, actor, live.call_id, elapsed=elapsed,
                                                            cadence=self.cadence))
            live.rings = call.rings
            del self.live[live.call_id]
            self._unpick(live)
        self._emit("missed", live)
        return live

    def hang_up(self, call_id: int) -> LiveCall:
        with self._lock:
            live = self.live.get(call_id)
            if live is None or live.state != "talking":
                raise DeskError("phone.error.not_answered", id=call_id)
            actor = self._actor()
            self.store.write(lambda s: record_hang_up(s, actor, call_id))
            live.state = "ended"
            del self.live[call_id]
        self._emit("hang_up", live)
        return live

    # -- the phone system's events (services/pbx_calls.py) ------------------------------
    def _mono_of(self, at) -> float:
        """The monotonic time of a PBX event, from its UTC time."""
        clock = self.clock
        return clock.monotonic() - (clock.now() - at).total_seconds()

    def feed(self, ev: PbxEvent) -> tuple[str, LiveCall] | None:
        """One event from the phone system, written at once with the PBX's own time. Replayed
        events and calls already started by a key change nothing twice. Returns what changed
        on this console's lines (ring / answer / covered / missed / hang_up), or None."""
        with self._lock:
            actor = self._actor()
            line = self.next_line()
            call = self.store.write(lambda s: apply_pbx(s, actor, ev, cadence=self.cadence, limit=self.limit,
                                                        line=line))
            if call is None:
                return None
            change = self._follow(call)
        if change is not None:
            self._emit("feed." + change[0], change[1])
        return change

    def _follow(self, call) -> tuple[str, LiveCall] | None:
        """Bring the live line of a stored call in step with it (lock held)."""
        live = self.live.get(call.id)
        if call.status == "ringing":
            if live is not None:
                if call.source == "pbx":  # the PBX's start is exact (a key's stays as pressed)
                    live.source, live.started_mono = call.source, self._mono_of(call.started_at)
                return None
            live = self.live[call.id] = LiveCall(call.id, call.line, self._mono_of(call.started_at),
                                                 source=call.source, phone=call.phone,
                                                 caller_name=call.caller_name)
            self._identify(live)
            return "ring", live
        if call.status == "answered" and not _answered_elsewhere(call, live):
            if live is None:
                live = self.live[call.id] = LiveCall(call.id, call.line, self._mono_of(call.started_at),
                                                     source=call.source, phone=call.phone,
                                                     caller_name=call.caller_name, belled=True)
            was = live.state
            if was == "talking" and call.source != "pbx":
                return None
            live.state, live.rings, live.within_limit = "talking", call.rings, call.within_limit
            live.answered_mono, live.source = self._mono_of(call.answered_at), call.source
            self._unpick(live)
            return ("answer", live) if was != "talking" else None
        if live is None:
            return None
        del self.live[call.id]
        self._unpick(live)
        kind = {"missed": "missed", "answered": "covered"}.get(call.status, "hang_up")
        live.state, live.rings = "ended", call.rings
        return kind, live

    def _identify(self, live: LiveCall) -> None:
        """Who is probably calling, from the directory and past calls; the call form opens
        filled with it (a failed read only leaves the form blank)."""
        if not live.phone and not live.caller_name:
            return
        from deskconsole.services.caller_id import guess

        try:
            with self.store.read() as s:
                live.guess = guess(s, live.phone, live.caller_name, call_id=live.call_id, now=self.clock.now())
        except Exception:  # noqa: BLE001 - the call is registered; the guess is a help only
            return
        live.draft = live.guess.prefill(live.phone)

    def sync(self) -> list[tuple[str, LiveCall]]:
        """Follow the store: lines another terminal's feed (`deskconsole phone listen`) began,
        answered or ended show here too. Returns the changes."""
        actor = self._actor()
        from deskconsole.models import Call

        with self.store.read() as s:
            open_now = {c.id: c for c in open_calls(s, actor.desk_id, actor.clock.now())}
            gone = [s.get(Call, cid) for cid in list(self.live) if cid not in open_now]
        changes = []
        with self._lock:
            for call in [*open_now.values(), *(c for c in gone if c is not None)]:
                change = self._follow(call)
                if change is not None:
                    changes.append(change)
        for kind, live in changes:
            self._emit("feed." + kind, live)
        return changes
