"""The Asterisk Manager Interface feed (FreePBX, Issabel and most IP-PBXs expose AMI).

A small client of our own over asyncio streams (README: why not panoramisk): the protocol is
a banner line, then blocks of `Key: Value` lines ended by a blank line; an action carries an
ActionID and its response names it back. The client logs in, lists the channels under way
(CoreShowChannels) to reconcile what happened while it was away, then follows the events:

- a desk channel (the first of `[phone] extensions`) going to Ringing starts a line, at the
  event's `Timestamp` (manager.conf `timestampevents = yes`), with the caller's number
  (ConnectedLineNum on the desk's channel; CallerIDNum when that is unknown);
- that channel going Up (or DialEnd ANSWER) answers it; a neighbour's channel (the other
  extensions) going Up on the same call (Linkedid) is "covered by a neighbour";
- Hangup, or DialEnd NOANSWER/CANCEL/BUSY, of the desk's channel before anyone answered is a
  missed call with the number; the hang-up of the channel that answered ends the call;
- a lost connection is retried with back-off (1, 2, 4 ... 30 s; `on_state("offline")`);
  after the next login the channel list reconciles: calls still under way are replays
  (never a second row), calls that ended meanwhile end now (missed if they were ringing).
The PBX call id is the Linkedid: one id for the whole call, whichever extension rings.

Outgoing calls (a callback, a follow-up): the desk's channel starting a call (Newchannel or
Newstate "Ring" with the dialled number in Exten, or DialBegin from it) opens one; DialEnd
ANSWER or its Newstate Up answers it (ConnectedLineNum then names the number reached); its
Hangup logs it once, with the PBX's dialled / answered / ended times (feeds/ami_out.py).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from deskconsole.feeds.ami_out import Outgoing
from deskconsole.logs import log
from deskconsole.services.pbx_calls import PbxEvent

MISSED_DIAL = {"NOANSWER", "CANCEL", "BUSY", "CONGESTION", "CHANUNAVAIL"}
MAX_BACKOFF = 30.0
UNKNOWN = {"", "<unknown>", "unknown"}


class LoginRefused(Exception):
    pass


@dataclass
class _Call:
    linkedid: str
    channels: set[str] = field(default_factory=set)  # ours and the neighbours', alive
    answered_by: str | None = None
    ended: bool = False


def device(channel: str) -> str:
    """PJSIP/8001-0000002a -> PJSIP/8001."""
    return channel.rsplit("-", 1)[0] if "-" in channel else channel


def _matches(channel: str, ext: str) -> bool:
    dev = device(channel)
    return dev == ext if "/" in ext else dev.split("/", 1)[-1] == ext


async def read_block(reader: asyncio.StreamReader) -> dict[str, str] | None:
    """One block as a dict; None at the end of the stream. A line that is not `Key: Value`
    makes the block garbled: it is read to its end and returned as {"__garbled__": ...}."""
    block: dict[str, str] = {}
    garbled = False
    while True:
        raw = await reader.readline()
        if not raw:
            return None
        line = raw.decode("utf-8", "replace").rstrip("\r\n")
        if not line:
            if block or garbled:
                return {"__garbled__": "1"} if garbled else block
            continue
        key, sep, value = line.partition(":")
        if not sep or not key.strip():
            garbled = True
            continue
        block[key.strip()] = value.strip()


def action(name: str, action_id: str, **fields: str) -> bytes:
    lines = [f"Action: {name}", f"ActionID: {action_id}", *(f"{k}: {v}" for k, v in fields.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


class AmiFeed:
    def __init__(self, phone, settings, secret: str, clock, *, on_state: Callable[[str], None] = lambda _s: None,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        self.phone, self.settings, self.secret, self.clock = phone, settings, secret, clock
        self.on_state, self.sleep = on_state, sleep
        self.own = settings.extensions[0]
        self.neighbours = settings.extensions[1:]
        self.calls: dict[str, _Call] = {}
        self.outgoing = Outgoing(self.own, self._send)
        self.state = "offline"
        self._ids = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task | None = None
        self._thread: threading.Thread | None = None

    # -- running ------------------------------------------------------------------------
    def _set(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.on_state(state)

    async def run(self, max_sessions: int | None = None) -> None:
        """Connect, follow, reconnect with back-off; stops on a refused login (the secret is
        wrong: trying again would not help) or after `max_sessions` (tests)."""
        backoff, sessions = 1.0, 0
        while max_sessions is None or sessions < max_sessions:
            sessions += 1
            try:
                await self.session()
                backoff = 1.0  # it had connected: the next try starts quick again
            except LoginRefused:
                log.error("ami: the PBX refused the login")
                self._set("refused")
                return
            except (OSError, asyncio.IncompleteReadError) as error:
                log.warning("ami: connection failed: %s", type(error).__name__)
            self._set("offline")
            if max_sessions is not None and sessions >= max_sessions:
                return
            await self.sleep(backoff)
            backoff = min(backoff * 2, MAX_BACKOFF)

    async def session(self) -> None:
        reader, writer = await asyncio.open_connection(self.settings.ami_host, self.settings.ami_port)
        try:
            await reader.readline()  # "Asterisk Call Manager/7.0.3"
            writer.write(action("Login", self._next_id(), Username=self.settings.ami_user, Secret=self.secret,
                                Events="call"))
            await writer.drain()
            reply = await self._response(reader)
            if reply.get("Response", "").lower() != "success":
                raise LoginRefused()
            self._set("online")
            writer.write(action("CoreShowChannels", self._next_id()))
            await writer.drain()
            await self._reconcile(reader)
            while (block := await read_block(reader)) is not None:
                self.handle(block)
        finally:
            writer.close()

    def _next_id(self) -> str:
        self._ids += 1
        return f"deskconsole-{self._ids}"

    async def _response(self, reader) -> dict[str, str]:
        action_id = f"deskconsole-{self._ids}"
        while (block := await read_block(reader)) is not None:
            if "Response" in block and block.get("ActionID") == action_id:
                return block
        raise ConnectionResetError("closed before the response")

    async def _reconcile(self, reader) -> None:
        """The channels under way now: the calls we knew that are gone ended while we were away."""
        seen: set[str] = set()
        while (block := await read_block(reader)) is not None:
            name = block.get("Event", "")
            if name == "CoreShowChannel":
                seen.add(block.get("Linkedid", ""))
                self._channel_now(block)
            elif name == "CoreShowChannelsComplete":
                break
            elif "Response" not in block:
                self.handle(block)
        now = self.clock.now()
        self.outgoing.reconciled(seen, now)
        for call in [c for c in self.calls.values() if not c.ended and c.linkedid not in seen]:
            self._feed("hangup", call.linkedid, now, exact=False)
            call.ended = True
        self.calls = {k: c for k, c in self.calls.items() if not c.ended}

    def _channel_now(self, block: dict[str, str]) -> None:
        channel, linkedid = block.get("Channel", ""), block.get("Linkedid", "")
        if not linkedid or not self._ours(channel):
            return
        h, m, s = (int(x) for x in (block.get("Duration", "0:0:0").split(":") + ["0", "0"])[:3])
        at = self.clock.now() - timedelta(hours=h, minutes=m, seconds=s)
        if linkedid not in self.calls and self.outgoing.under_way(block, at, self.clock.now()):
            return  # the desk is calling out: not a ringing line
        if not _matches(channel, self.own) and linkedid not in self.calls:
            return  # a neighbour's call that never rang here
        call = self.calls.setdefault(linkedid, _Call(linkedid))
        call.channels.add(channel)
        state = block.get("ChannelStateDesc", "")
        if _matches(channel, self.own) and state in ("Ringing", "Ring", "Up"):
            self._feed("ring", linkedid, at, block, exact=False)
        if state == "Up" and call.answered_by is None:
            call.answered_by = channel
            self._feed("answer", linkedid, self.clock.now(), neighbour=not _matches(channel, self.own), exact=False)

    # -- events --------------------------------------------------------------------------
    def _ours(self, channel: str) -> bool:
        return any(_matches(channel, ext) for ext in self.settings.extensions)

    def _at(self, block: dict[str, str]) -> datetime:
        try:
            return datetime.fromtimestamp(float(block["Timestamp"]), UTC)
        except (KeyError, ValueError, OverflowError, OSError):
            return self.clock.now()

    def _send(self, ev: PbxEvent) -> None:
        try:
            self.phone.feed(ev)
        except Exception as error:  # noqa: BLE001 - one event lost is logged; the feed goes on
            log.error("ami: event not stored: %s", type(error).__name__)

    def _feed(self, kind: str, linkedid: str, at: datetime, block: dict | None = None, *,
              neighbour: bool = False, exact: bool = True) -> None:
        block = block or {}
        number = block.get("ConnectedLineNum", "")
        name = block.get("ConnectedLineName", "")
        if number in UNKNOWN:
            number, name = block.get("CallerIDNum", ""), block.get("CallerIDName", "")
        self._send(PbxEvent(kind, linkedid, at, number="" if number in UNKNOWN else number,
                            name="" if name in UNKNOWN else name, neighbour=neighbour, exact=exact))

    def handle(self, block: dict[str, str]) -> None:
        if "__garbled__" in block:
            log.warning("ami: a garbled event block was skipped")
            return
        name = block.get("Event", "")
        if self.outgoing.handle(block, self._at(block), incoming=self.calls):
            return
        channel = block.get("DestChannel") if name == "DialEnd" else block.get("Channel")
        linkedid = block.get("DestLinkedid" if name == "DialEnd" else "Linkedid") or block.get("Linkedid", "")
        if not name or not channel or not linkedid or not self._ours(channel):
            return
        own, at = _matches(channel, self.own), self._at(block)
        call = self.calls.get(linkedid)
        if call is None:
            if not (own and name == "Newstate" and block.get("ChannelStateDesc") == "Ringing"):
                return  # a neighbour's call that never rang here
            call = self.calls[linkedid] = _Call(linkedid)
        if call.ended:
            return
        if name == "Newstate" and block.get("ChannelStateDesc") == "Ringing":
            call.channels.add(channel)
            if own:
                self._feed("ring", linkedid, at, block)
        elif (name == "Newstate" and block.get("ChannelStateDesc") == "Up") or \
                (name == "DialEnd" and block.get("DialStatus") == "ANSWER"):
            if call.answered_by is None:
                call.answered_by = channel
                self._feed("answer", linkedid, at, block, neighbour=not own)
        elif (name == "Hangup" or (name == "DialEnd" and block.get("DialStatus") in MISSED_DIAL)):
            call.channels.discard(channel)
            if call.answered_by == channel or (call.answered_by is None and own):
                self._feed("hangup", linkedid, at, block)
                del self.calls[linkedid]  # ended: later blocks of it change nothing (a replay at most)

    # -- in a thread (the console) or alone (`phone listen`) ---------------------------
    def start(self) -> AmiFeed:
        def main() -> None:
            self._loop = asyncio.new_event_loop()
            self._task = self._loop.create_task(self.run())
            try:
                self._loop.run_until_complete(self._task)
            except asyncio.CancelledError:
                pass
            finally:
                self._loop.close()

        self._thread = threading.Thread(target=main, name="ami-feed", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._loop is not None and self._task is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._task.cancel)
        if self._thread is not None:
            self._thread.join(timeout=5)

    def serve(self) -> None:
        asyncio.run(self.run())
