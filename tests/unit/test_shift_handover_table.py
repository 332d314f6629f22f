"""F6's handover table is built from Text headers (user text is data): Rich's Table(*headers)
takes a non-str header for a Column and fails on a Text ("no attribute '_index'"), which stopped
the console whenever the period shown had a handover row (seen in the bench, issue 21)."""

from types import SimpleNamespace

from rich.console import Console

from deskconsole.services.summary import render
from deskconsole.ui.screens.shift import ShiftScreen


def test_the_handover_table_is_built_and_drawn_with_a_handover_row():
    data = {"period": {"timezone": "Asia/Shanghai"},
            "handover": [{"shift_id": 7, "desk": "Lobby-1", "staff_no": "101", "name": "李娜",
                          "started_at": "2026-11-25T00:00:00+00:00", "ended_at": "2026-11-25T08:00:00+00:00",
                          "next_shift_id": 8, "next_staff_no": "102", "next_name": "王芳",
                          "acknowledged_at": None, "note": "钥匙 [/b] 在抽屉"}]}
    owner = SimpleNamespace(app=SimpleNamespace(t=lambda key, **kw: key.rsplit(".", 1)[-1]))
    table = ShiftScreen._handover_table(owner, render.handover_rows(data, owner.app.t))
    console = Console(width=160, record=True)
    console.print(table)
    text = console.export_text()
    assert "李娜" in text and "[/b]" in text and "acknowledged" in text
