"""`deskconsole phone listen`: the feed alone, writing to the store with the desk's shift."""

from __future__ import annotations

from sqlalchemy import select
from typer.testing import CliRunner

from deskconsole.cli.common import CliFailure
from deskconsole.cli.main import app
from deskconsole.feeds.cti import CtiListener
from deskconsole.i18n import Translator
from deskconsole.models import Call


def cli(store, *args):
    return CliRunner().invoke(app, ["--db", store.url, "--lang", "en", *args], catch_exceptions=True)


def refusal(out) -> str:
    assert isinstance(out.exception, CliFailure) and out.exception.code == 2, out.output
    return out.exception.message(Translator("en"))


def config(tmp_path, monkeypatch, text: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text('desk = "Lobby-1"\n' + text, encoding="utf-8")
    monkeypatch.setenv("DESKCONSOLE_CONFIG", str(path))


def test_listen_without_a_feed_is_refused(sqlite_store, tmp_path, monkeypatch):
    config(tmp_path, monkeypatch, "")
    out = cli(sqlite_store, "phone", "listen")
    assert "no phone feed is set" in refusal(out)


def test_listen_without_a_token_says_where_to_put_it(sqlite_store, tmp_path, monkeypatch):
    config(tmp_path, monkeypatch, '[phone]\nfeed = "http"\nhttp_listen = "127.0.0.1:0"\n')
    monkeypatch.delenv("DESKCONSOLE_CTI_TOKEN", raising=False)
    out = cli(sqlite_store, "phone", "listen")
    assert "DESKCONSOLE_CTI_TOKEN" in refusal(out)


def test_listen_writes_the_events_with_the_desks_shift(store, actor, clock, tmp_path, monkeypatch):
    config(tmp_path, monkeypatch, '[phone]\nfeed = "http"\nhttp_listen = "127.0.0.1:0"\n')
    monkeypatch.setenv("DESKCONSOLE_CTI_TOKEN", "tok")
    codes: list[int] = []

    def serve(self):  # instead of serving forever: two events as the PBX would POST them
        codes.append(self.post("/cti/tok", b"event=newCall&from=13800138000&direction=in&callId=L-1", ""))
        codes.append(self.post("/cti/tok", b'{"event":"hangup","callId":"L-1","cause":"noAnswer"}', "application/json"))
        self.server.server_close()

    monkeypatch.setattr(CtiListener, "serve", serve)
    out = cli(store, "phone", "listen")
    assert out.exit_code == 0, out.output
    assert "listening for phone events on 127.0.0.1:" in out.output and codes == [200, 200]
    with store.read() as s:
        (call,) = s.execute(select(Call)).scalars()
    assert (call.status, call.phone, call.source) == ("missed", "13800138000", "pbx")
    assert (call.shift_id, call.operator_id, call.desk_id) == (actor.shift_id, actor.operator_id, actor.desk_id)
