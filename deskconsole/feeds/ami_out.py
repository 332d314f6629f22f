"""Outgoing calls from the desk's own extension, as AMI reports them (feeds/ami.py).

Asterisk shows a call the desk phone makes on the desk's channel as the CALLER side: the
channel appears in state Ring (Newchannel / Newstate, `Exten` = the digits dialled), Dial
begins from it (DialBegin `Channel` = the desk, `DialString` = the number), DialEnd ANSWER
or Newstate Up (`ConnectedLineNum` = the party reached) answers it, and its Hangup ends it.
At the hang-up the call is handed on once as a PbxEvent("outgoing") with the PBX's times;
services/pbx_calls.pbx_outgoing logs it (de-duplicated by the Linkedid) and links it to the
missed call or the follow-up it answers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from deskconsole.services.pbx_calls import PbxEvent

UNKNOWN = {"", "<unknown>", "unknown", "s"}


@dataclass
class _Out:
    linkedid: str
    channel: str
    started: datetime
    number: str = ""
    answered: datetime | None = None


def _device_of(channel: str) -> str:
    return channel.rsplit("-", 1)[0] if "-" in channel else channel


def _is(channel: str, ext: str) -> bool:
    dev = _device_of(channel)
    return dev == ext if "/" in ext else dev.split("/", 1)[-1] == ext


class Outgoing:
    def __init__(self, own: str, send: Callable[[PbxEvent], None]) -> None:
        self.own, self.send = own, send
        self.own_number = own.split("/", 1)[-1]
        self.calls: dict[str, _Out] = {}  # by Linkedid, under way

    def _number(self, raw: str) -> str:
        raw = (raw or "").strip()
        raw = raw.rsplit("/", 1)[-1]  # DialString "trunk/13800138000"
        return "" if raw.lower() in UNKNOWN or raw == self.own_number else raw

    def handle(self, block: dict[str, str], at: datetime, *, incoming: dict) -> bool:
        """True when the block belongs to an outgoing call of the desk (and was used here)."""
        name, channel, linkedid = block.get("Event", ""), block.get("Channel", ""), block.get("Linkedid", "")
        if not channel or not linkedid or not _is(channel, self.own) or linkedid in incoming:
            return False
        state = block.get("ChannelStateDesc", "")
        call = self.calls.get(linkedid)
        if call is None:
            starts = (name in ("Newchannel", "Newstate") and state == "Ring") or name == "DialBegin"
            if not starts:
                return False
            call = self.calls[linkedid] = _Out(linkedid, channel, at)
        if channel != call.channel:
            return True
        dialled = self._number(block.get("DialString", "")) if name == "DialBegin" else ""
        call.number = call.number or dialled or self._number(block.get("Exten", ""))
        if (name == "Newstate" and state == "Up") or (name == "DialEnd" and block.get("DialStatus") == "ANSWER"):
            call.answered = call.answered or at
            reached = self._number(block.get("ConnectedLineNum", ""))
            call.number = reached or call.number  # the party reached, without a dialling prefix
        elif name == "Hangup":
            self._end(call, at)
        return True

    def _end(self, call: _Out, at: datetime) -> None:
        del self.calls[call.linkedid]
        self.send(PbxEvent("outgoing", call.linkedid, at, number=call.number[:32], started=call.started,
                           answered=call.answered))

    def under_way(self, block: dict[str, str], started: datetime, now: datetime) -> bool:
        """A CoreShowChannel after a reconnect: True when it is the desk calling out (a call
        known from before, or the desk's channel running Dial / still in Ring: the caller side).
        One not seen before is followed from `started` (now less the PBX's Duration); one found
        Up and not known answered is taken as answered `now` (when it was seen so)."""
        channel, linkedid = block.get("Channel", ""), block.get("Linkedid", "")
        call = self.calls.get(linkedid)
        if call is None:
            if not _is(channel, self.own) or not (block.get("Application") == "Dial"
                                                  or block.get("ChannelStateDesc") == "Ring"):
                return False
            call = self.calls[linkedid] = _Out(linkedid, channel, started, number=self._number(block.get("Exten", "")))
        if channel == call.channel and block.get("ChannelStateDesc") == "Up":
            call.answered = call.answered or now
            call.number = self._number(block.get("ConnectedLineNum", "")) or call.number
        return True

    def reconciled(self, seen: set[str], now: datetime) -> None:
        """After a reconnect: an outgoing call no longer under way ended while we were away."""
        for call in [c for c in self.calls.values() if c.linkedid not in seen]:
            self._end(call, now)
