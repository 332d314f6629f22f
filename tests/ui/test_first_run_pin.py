"""The console's first run creates a supervisor, whose PIN is 6-8 digits, and records the new
supervisor as the one who created the account."""

from sqlalchemy import select

from deskconsole.models import AuditEvent
from deskconsole.ui.screens.first_run import FirstRunScreen
from deskconsole.ui.screens.signon import SignOnScreen
from tests.ui.helpers import build_app, settle, type_text


async def test_first_run_refuses_a_four_digit_supervisor_pin_at_the_field(sqlite_store, clock, tmp_path):
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, FirstRunScreen)
        assert "6-8 digits" in str(app.screen.query_one("#row-pin").query_one("Label").render())
        for text in ("001", "Wang Fang", "1357", "1357"):
            await type_text(pilot, text)
            await pilot.press("enter")
        await settle(pilot)
        assert "A supervisor's PIN is 6 to 8 digits" in str(app.screen.query_one("#error-pin").render())
        assert isinstance(app.screen, FirstRunScreen)
        assert app.focused.id == "pin"  # the refusal puts the cursor back in the PIN
        for _ in range(2):  # both PIN fields: lengthen 1357 to 135790
            await pilot.press("end")
            await type_text(pilot, "90")
            await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SignOnScreen)
    with sqlite_store.read() as s:
        event = s.execute(select(AuditEvent).where(AuditEvent.entity == "operator")).scalar_one()
    assert event.action == "create" and event.operator_id == int(event.entity_id)
