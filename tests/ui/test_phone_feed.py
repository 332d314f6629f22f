"""The phone system feeds the console (DOMAIN §2): with a feed, the ringing bar appears by
itself with the caller's masked number, probable name and unit; F7 answers and the call form
opens filled in. The feed's handler is called directly (the listeners are tested in
tests/unit/test_cti_http.py and test_ami_feed.py)."""

from datetime import timedelta

from sqlalchemy import select

from deskconsole.models import Call, DirectoryEntry
from deskconsole.services.pbx_calls import PbxEvent
from deskconsole.ui.modals.call_form import CallFormModal
from deskconsole.ui.widgets.ring_timer import RingTimer
from deskconsole.ui.widgets.ringing_bar import FeedOffline
from tests.ui.helpers import build_app, seed_operator, settle, sign_on


def calls(store) -> list[Call]:
    with store.read() as s:
        return list(s.execute(select(Call).order_by(Call.id)).scalars())


async def test_a_fed_ring_shows_who_calls_without_a_key_and_f7_opens_the_form_filled(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        actor = app.actor

        def seed(s):
            s.add(DirectoryEntry(kind="resident", name="陈", unit="A-1201", phone="13800138000"))
            s.add(Call(direction="in", status="ended", started_at=clock.now() - timedelta(days=2),
                       phone="13800138000", caller_name="陈", honorific="mrs", unit="A-1201", **actor.stamps()))
        sqlite_store.write(seed)
        start = clock.now()
        clock.advance(1)  # the event comes a second after the PBX's ring
        app.phone.feed(PbxEvent("ring", "pbx-1", start, number="13800138000"))
        await settle(pilot)
        app.phone_controller.tick()
        await settle(pilot)
        bar = str(app.screen.query_one(RingTimer).render())
        assert "138****8000" in bar and "13800138000" not in bar
        assert "Mrs 陈" in bar and "A-1201" in bar and "RINGING 1.0 s" in bar
        clock.advance(5)
        await pilot.press("f7")
        await settle(pilot)
        assert isinstance(app.screen, CallFormModal)
        form = app.screen
        assert form.query_one("#caller_name").value == "陈"
        assert form.query_one("#unit").value == "A-1201"
        assert form.query_one("#phone").value == "138****8000"  # masked as elsewhere
        assert form.query_one("#honorific").value == "mrs"
        app.phone.feed(PbxEvent("answer", "pbx-1", start + timedelta(seconds=6)))  # the PBX's own answer
        await settle(pilot)
        fed = [c for c in calls(sqlite_store) if c.pbx_call_id == "pbx-1"]
        assert len(fed) == 1 and fed[0].answer_seconds == 6.0 and fed[0].source == "pbx"
        assert form.values()["phone"] == "13800138000"  # saved as the stored number, never the mask


async def test_the_pbx_answering_opens_the_form_and_offline_says_use_the_keys(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        app.phone.feed(PbxEvent("ring", "pbx-2", clock.now(), number="13900139000"))
        clock.advance(4)
        app.phone.feed(PbxEvent("answer", "pbx-2", clock.now()))
        await settle(pilot)
        assert isinstance(app.screen, CallFormModal)
        await pilot.press("escape")
        await settle(pilot)
        app.phone_controller.feed_state_changed("offline")
        await settle(pilot)
        app.phone_controller.tick()
        await settle(pilot)
        notices = app.screen.query(FeedOffline)
        assert notices and "phone system offline - use F7/F8" in str(notices.first().render())


async def test_the_http_feed_starts_with_the_console_and_its_ring_shows(sqlite_store, clock, tmp_path, monkeypatch):
    import asyncio
    import json
    import urllib.request

    from deskconsole.phone_config import PhoneSettings

    monkeypatch.setenv("DESKCONSOLE_CTI_TOKEN", "tok")
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, phone=PhoneSettings(feed="http", http_port=0))
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        listener = app.phone_controller.feed
        try:
            host, port = listener.address
            assert host == "127.0.0.1"
            body = json.dumps({"event": "newCall", "from": "13900139000", "direction": "in", "callId": "h-1"})
            req = urllib.request.Request(f"http://{host}:{port}/cti/tok", data=body.encode(), method="POST",
                                         headers={"Content-Type": "application/json"})
            status = await asyncio.to_thread(lambda: urllib.request.urlopen(req, timeout=30).status)
            assert status == 200
            await settle(pilot)
            app.phone_controller.tick()
            await settle(pilot)
            assert "139****9000" in str(app.screen.query_one(RingTimer).render())
        finally:
            app.phone_controller.stop_feed()
