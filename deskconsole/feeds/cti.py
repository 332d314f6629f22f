"""The generic HTTP feed: any PBX or cloud phone service POSTs its call events here, in the
shape of the widely used Zammad generic CTI API, so scripts written for it work unchanged.

    POST /cti/<token>   (form-encoded or JSON)
    event=newCall  from=13800138000 to=8001 direction=in callId=abc  [callerName=...] [time=...]
    event=answer   callId=abc  [answeringNumber=8002] [user[]=...]
    event=hangup   callId=abc  cause=normalClearing|noAnswer|cancel|busy|...

`time` (ISO 8601 or Unix seconds) is the PBX's time of the event, if it sends one; otherwise
the moment the event arrives. An outgoing call (`direction=out`, `to` the number called) is
logged at its hangup, linked to the unreturned missed call from that number (its callback). Answers report `answeringNumber`; one that is not the desk's own
extension (the first of `[phone] extensions`) was picked up by a neighbour.

Replies: 200 stored (or a replay, changing nothing); 403 a wrong token (nothing stored);
400 a malformed event (one log line, no personal data); 404 another path; 413 too large;
503 the store could not take it (the PBX may retry: a replay is never doubled).
The listener is one thread that handles one request at a time, so the events of a call are
written in the order they came, and it binds only to the configured address.
"""

from __future__ import annotations

import hmac
import json
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, unquote

from deskconsole.clock import Clock
from deskconsole.logs import log
from deskconsole.services.pbx_calls import PbxEvent

KINDS = {"newCall": "ring", "answer": "answer", "hangup": "hangup"}
MAX_BODY = 64 * 1024


class BadEvent(ValueError):
    """A body that is not a CTI event; the text says which part, never its values."""


def _fields(body: bytes, content_type: str) -> dict[str, str]:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadEvent("body is not UTF-8") from None
    if "json" in content_type or text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError:
            raise BadEvent("body is not valid JSON") from None
        if not isinstance(data, dict):
            raise BadEvent("JSON body is not an object")
        return {k: (v if isinstance(v, str) else json.dumps(v)) for k, v in data.items() if v is not None}
    try:
        pairs = parse_qs(text, keep_blank_values=True, strict_parsing=bool(text), max_num_fields=64)
    except ValueError:
        raise BadEvent("body is not form-encoded") from None
    return {k: v[0] for k, v in pairs.items()}


def _when(raw: str | None, now: datetime) -> datetime:
    if not raw:
        return now
    try:
        if raw.replace(".", "", 1).isdigit():
            return datetime.fromtimestamp(float(raw), UTC)
        at = datetime.fromisoformat(raw)
    except (ValueError, OverflowError, OSError):
        raise BadEvent("field 'time' is not ISO 8601 or Unix seconds") from None
    if at.tzinfo is None:
        raise BadEvent("field 'time' has no time zone")
    return at.astimezone(UTC)


def parse(body: bytes, content_type: str, now: datetime, own_extension: str | None = None) -> PbxEvent | None:
    """One CTI event as a PbxEvent; None for an event the desk does not register (outgoing)."""
    f = _fields(body, content_type)
    kind = KINDS.get(f.get("event", ""))
    if kind is None:
        raise BadEvent("field 'event' is not newCall, answer or hangup")
    call_id = f.get("callId", "").strip()
    if not call_id or len(call_id) > 64 or not call_id.isprintable():
        raise BadEvent("field 'callId' is missing or not a short printable id")
    if f.get("direction", "in") not in ("in", "out"):
        raise BadEvent("field 'direction' is not in or out")
    if f.get("direction") == "out":
        if kind != "hangup":
            return None  # an outgoing call is logged once, when it ends
        return PbxEvent("outgoing", call_id, _when(f.get("time"), now), number=f.get("to", "")[:32])
    answering = f.get("answeringNumber", "").strip()
    neighbour = bool(kind == "answer" and answering and own_extension and answering != own_extension)
    return PbxEvent(kind, call_id, _when(f.get("time"), now), number=f.get("from", "")[:32],
                    name=f.get("callerName", "")[:64], neighbour=neighbour, cause=f.get("cause", "")[:32])


class CtiListener:
    """The listener thread. `handle(event)` writes one event (PhoneEvents.feed)."""

    def __init__(self, handle: Callable[[PbxEvent], object], *, host: str, port: int, token: str, clock: Clock,
                 own_extension: str | None = None) -> None:
        if not token:
            raise ValueError("a CTI token is required")
        self.handle, self.token, self.clock, self.own_extension = handle, token, clock, own_extension
        self.server = _Server((host, port), _handler_for(self))
        self.thread: threading.Thread | None = None

    @property
    def address(self) -> tuple[str, int]:
        return self.server.server_address[:2]

    def start(self) -> CtiListener:
        self.thread = threading.Thread(target=self.server.serve_forever, name="cti-listener", daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        if self.thread is not None:
            self.thread.join()

    def serve(self) -> None:
        """Run in this thread until interrupted (`deskconsole phone listen`)."""
        try:
            self.server.serve_forever()
        finally:
            self.server.server_close()

    def post(self, path: str, body: bytes, content_type: str) -> int:
        """One request: the status code. Split from the HTTP plumbing so it reads plainly."""
        if not path.startswith("/cti/"):
            return 404
        if not hmac.compare_digest(unquote(path[len("/cti/"):].split("?", 1)[0]).encode(), self.token.encode()):
            log.warning("cti: a request with a wrong token was refused")
            return 403
        try:
            event = parse(body, content_type, self.clock.now(), self.own_extension)
        except BadEvent as bad:
            log.warning("cti: malformed event refused: %s", bad)
            return 400
        if event is None:
            return 200
        try:
            self.handle(event)
        except Exception as error:  # noqa: BLE001 - the PBX is told to retry; the console goes on
            log.error("cti: event not stored: %s", type(error).__name__)
            return 503
        return 200


class _Server(HTTPServer):
    request_queue_size = 128  # a burst of events waits in the backlog, one handled at a time


def _handler_for(listener: CtiListener):
    class Handler(BaseHTTPRequestHandler):
        server_version = "deskconsole-cti"

        def do_POST(self) -> None:  # noqa: N802 - the http.server name
            try:
                length = int(self.headers.get("Content-Length") or 0)
            except ValueError:
                length = -1
            if length < 0:
                log.warning("cti: malformed request refused: no valid Content-Length")
                self._reply(400)
                return
            if length > MAX_BODY:
                self._reply(413)
                return
            body = self.rfile.read(length) if length > 0 else b""
            self._reply(listener.post(self.path, body, self.headers.get("Content-Type", "")))

        def do_GET(self) -> None:  # noqa: N802
            self._reply(405)

        def _reply(self, code: int) -> None:
            text = {200: "ok", 400: "bad event", 403: "forbidden", 404: "not found", 405: "POST only",
                    413: "too large", 503: "try again"}[code].encode()
            self.send_response(code)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(text)))
            self.end_headers()
            self.wfile.write(text)

        def log_message(self, format, *args) -> None:  # noqa: A002 - the URL holds the token: never log it
            pass

    return Handler
