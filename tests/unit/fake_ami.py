"""A fake Asterisk Manager Interface for the tests: an asyncio server that speaks the real
protocol (banner, Login with ActionID, Response, CoreShowChannels as an event list, event
blocks of `Key: Value` lines ended by a blank line) and replays recorded sequences. Each
connection plays the next `AmiSession`, then closes (a PBX that went away)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

BANNER = b"Asterisk Call Manager/7.0.3\r\n"


def block(**fields: str) -> bytes:
    return ("".join(f"{k}: {v}\r\n" for k, v in fields.items()) + "\r\n").encode()


def event(name: str, ts: float, **fields: str) -> bytes:
    return block(Event=name, Privilege="call,all", Timestamp=f"{ts:.6f}", **fields)


def channel(ext: str, n: int) -> str:
    return f"PJSIP/{ext}-{n:08x}"


def newstate(ts: float, chan: str, state: str, linkedid: str, *, caller="13800138000", caller_name="Chen",
             ext="8001") -> bytes:
    code = {"Ringing": "5", "Up": "6"}[state]
    return event("Newstate", ts, Channel=chan, ChannelState=code, ChannelStateDesc=state, CallerIDNum=ext,
                 CallerIDName="Front desk", ConnectedLineNum=caller, ConnectedLineName=caller_name, Language="en",
                 AccountCode="", Context="from-internal", Exten=ext, Priority="1",
                 Uniqueid=f"{linkedid}{chan[-2:]}", Linkedid=linkedid)


def hangup(ts: float, chan: str, linkedid: str, cause="16", desc="Normal Clearing") -> bytes:
    return event("Hangup", ts, Channel=chan, ChannelState="6", ChannelStateDesc="Up", CallerIDNum="8001",
                 ConnectedLineNum="13800138000", Uniqueid=f"{linkedid}{chan[-2:]}", Linkedid=linkedid,
                 Cause=cause, **{"Cause-txt": desc})


def dial_end(ts: float, dest: str, linkedid: str, status: str) -> bytes:
    return event("DialEnd", ts, Channel="PJSIP/trunk-00000001", Linkedid=linkedid, DestChannel=dest,
                 DestLinkedid=linkedid, DestConnectedLineNum="13800138000", DialStatus=status)


@dataclass
class AmiSession:
    login_ok: bool = True
    channels: list[dict[str, str]] = field(default_factory=list)  # CoreShowChannel fields
    events: list[bytes] = field(default_factory=list)


class FakeAmi:
    def __init__(self, sessions: list[AmiSession]) -> None:
        self.sessions = list(sessions)
        self.actions: list[dict[str, str]] = []
        self.server: asyncio.AbstractServer | None = None

    async def __aenter__(self) -> FakeAmi:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        return self

    async def __aexit__(self, *exc) -> None:
        self.server.close()
        await self.server.wait_closed()

    @property
    def port(self) -> int:
        return self.server.sockets[0].getsockname()[1]

    async def _read(self, reader) -> dict[str, str] | None:
        out: dict[str, str] = {}
        while True:
            line = await reader.readline()
            if not line:
                return None
            text = line.decode().rstrip("\r\n")
            if not text:
                if out:
                    self.actions.append(out)
                    return out
                continue
            key, _, value = text.partition(":")
            out[key.strip()] = value.strip()

    async def _serve(self, reader, writer) -> None:
        session = self.sessions.pop(0) if self.sessions else AmiSession(login_ok=False)
        try:
            writer.write(BANNER)
            login = await self._read(reader)
            if login is None or login.get("Action") != "Login":
                return
            if not session.login_ok:
                writer.write(block(Response="Error", ActionID=login["ActionID"], Message="Authentication failed"))
                await writer.drain()
                await reader.read()  # the client hangs up
                return
            writer.write(block(Response="Success", ActionID=login["ActionID"], Message="Authentication accepted"))
            writer.write(event("FullyBooted", 0.0, Status="Fully Booted"))
            show = await self._read(reader)
            if show is None:
                return
            aid = show["ActionID"]
            writer.write(block(Response="Success", ActionID=aid, EventList="start",
                               Message="Channels will follow"))
            for ch in session.channels:
                writer.write(block(Event="CoreShowChannel", ActionID=aid, **ch))
            writer.write(block(Event="CoreShowChannelsComplete", ActionID=aid, EventList="Complete",
                               ListItems=str(len(session.channels))))
            for raw in session.events:
                writer.write(raw)
            await writer.drain()
        finally:
            writer.close()
