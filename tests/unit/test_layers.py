"""STYLE §1: services/, models/, db/ and feeds/ never import textual (only ui/ does)."""

import ast
from pathlib import Path

import deskconsole

ROOT = Path(deskconsole.__file__).parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_services_models_and_db_never_import_textual():
    offenders = []
    for folder in ("services", "models", "db", "feeds"):
        for path in (ROOT / folder).rglob("*.py"):
            if any(n == "textual" or n.startswith("textual.") for n in _imports(path)):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_cli_imports_neither_textual_nor_sqlalchemy_at_module_level():
    """`deskconsole --help` stays fast: heavy imports happen inside commands."""
    for path in (ROOT / "cli").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top = [n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
        for node in top:
            mod = node.module if isinstance(node, ast.ImportFrom) else node.names[0].name
            assert not (mod or "").startswith(("textual", "sqlalchemy", "sqlmodel", "deskconsole.ui",
                                               "deskconsole.services", "deskconsole.db",
                                               "deskconsole.models")), f"{path.name}: {mod}"


def test_no_screen_file_over_400_lines():
    big = {str(p.relative_to(ROOT)): n for p in ROOT.rglob("*.py")
           if "migrations" not in p.parts and (n := len(p.read_text(encoding="utf-8").splitlines())) > 400}
    assert big == {}


def test_console_path_argument_parsing():
    """`deskconsole [--db X] [--lang L] [run]` starts the console without Typer; anything
    else (subcommands, --help, --version, a missing value) goes through Typer."""
    from deskconsole.cli.console import console_options

    assert console_options([]) == (None, None)
    assert console_options(["--db", "x.db", "--lang", "zh-CN"]) == ("x.db", "zh-CN")
    assert console_options(["--lang=en", "run"]) == (None, "en")
    for argv in (["--help"], ["--version"], ["--lang"], ["summary"], ["run", "--help"], ["--db", "x", "operator", "list"]):
        assert console_options(argv) is None
