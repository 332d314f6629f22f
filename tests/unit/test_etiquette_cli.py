"""`deskconsole etiquette show|validate`: the checklist printed in the console's
language; a company file checked, with a located one-line error and exit code 2."""

from __future__ import annotations

from deskconsole.cli.common import run_guarded
from deskconsole.cli.main import app
from deskconsole.paths import data_file
from tests.unit.test_etiquette_checklist import MINIMAL

SHIPPED = str(data_file("etiquette_checklist.toml"))


def run(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.argv", ["deskconsole", *args])
    code = run_guarded(app)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_show_prints_the_five_elements_in_chinese_with_sources(monkeypatch, capsys):
    code, out, _ = run(monkeypatch, capsys, "--lang", "zh-CN", "etiquette", "show")
    assert code == 0
    for name in ("A 主动", "B 亲切", "C 诚信", "D 专业", "E 素养"):
        assert name in out
    assert "[工作期间]" in out and "[会议培训]" in out and "[业余生活]" in out
    assert "出处:000 A 工作期间" in out


def test_show_one_section_in_english_marks_the_self_check_items(monkeypatch, capsys):
    code, out, _ = run(monkeypatch, capsys, "--lang", "en", "etiquette", "show", "--section", "grooming")
    assert code == 0
    assert "[Grooming and bearing]" in out and "[On duty]" not in out
    assert "G2   Staff card worn on the left chest" in out and "(start-of-shift self-check)" in out


def test_validate_accepts_the_shipped_file(monkeypatch, capsys):
    code, out, _ = run(monkeypatch, capsys, "--lang", "en", "etiquette", "validate", SHIPPED)
    assert code == 0 and ": valid; version " in out


def test_validate_names_file_and_line_and_exits_2(monkeypatch, capsys, tmp_path):
    bad = tmp_path / "acme.toml"
    bad.write_text(MINIMAL.replace('element = "A"', 'element = "F"'), encoding="utf-8")
    line = next(n for n, text in enumerate(bad.read_text(encoding="utf-8").splitlines(), 1) if 'element = "F"' in text)
    code, out, err = run(monkeypatch, capsys, "etiquette", "validate", str(bad))
    assert code == 2 and out == ""
    assert err == f"deskconsole: {bad}:{line}: item A1: unknown element 'F' (A-E)\n"


def test_show_with_an_unknown_section_is_one_line_and_exit_2(monkeypatch, capsys):
    code, _, err = run(monkeypatch, capsys, "etiquette", "show", "--section", "lunch")
    assert code == 2 and err.count("\n") == 1 and "readiness, grooming, on_duty, meeting, off_duty" in err
