from pathlib import Path

import pytest

from deskconsole.cadence import PRESETS
from deskconsole.config import ConfigError, load_config


def write(tmp_path: Path, text: str) -> dict:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return {"DESKCONSOLE_CONFIG": str(path), "DESKCONSOLE_HOME": str(tmp_path)}


def test_defaults_follow_the_locale(tmp_path):
    assert load_config({"DESKCONSOLE_HOME": str(tmp_path), "LANG": "zh_CN.UTF-8"}).language == "zh-CN"
    assert load_config({"DESKCONSOLE_HOME": str(tmp_path), "LANG": "en_GB.UTF-8"}).language == "en"
    cfg = load_config({"DESKCONSOLE_HOME": str(tmp_path)})
    assert cfg.ring_cadence == PRESETS["cn"]
    assert cfg.db_url == f"sqlite:///{tmp_path / 'deskconsole.db'}"


def test_file_values_are_read(tmp_path):
    env = write(tmp_path, 'site_name = "海港大厦"\ndesk = "大堂"\nlanguage = "zh-CN"\n'
                          'timezone = "Europe/London"\nring_cadence = "uk"\nidle_lock_minutes = 0\n'
                          '[reception]\napology_after_minutes = 5\n[sla]\nbusiness_hours = "08:30-17:30"\n'
                          'workdays = [1,2,3,4,5,6]\nholidays = ["2026-10-01"]\n[keys]\nhelp = "f11"\n')
    cfg = load_config(env)
    assert (cfg.site_name, cfg.desk_name, cfg.timezone) == ("海港大厦", "大堂", "Europe/London")
    assert cfg.ring_cadence.name == "uk" and cfg.idle_lock_minutes == 0
    assert cfg.apology_after_minutes == 5.0
    assert cfg.sla.workdays == (0, 1, 2, 3, 4, 5) and str(cfg.sla.holidays[0]) == "2026-10-01"
    assert cfg.keymap == {"help": "f11"}


def test_environment_overrides_file_and_cli_overrides_both(tmp_path):
    env = write(tmp_path, 'language = "en"\ndesk = "A"\n')
    env.update({"DESKCONSOLE_LANG": "zh-CN", "DESKCONSOLE_DESK": "B"})
    cfg = load_config(env, language="en", db="/tmp/x.db")
    assert cfg.language == "en" and cfg.desk_name == "B" and cfg.db_url == "sqlite:////tmp/x.db"


@pytest.mark.parametrize(
    "text, fragment",
    [
        ('timezone = "Mars/Olympus"', "key 'timezone': unknown time zone 'Mars/Olympus'"),
        ('language = "fr"', "key 'language': 'fr' is not one of zh-CN, en"),
        ('ring_cadence = "custom:1"', "key 'ring_cadence'"),
        ('idle_lock_minutes = "soon"', "key 'idle_lock_minutes': 'soon' is not a whole number"),
        ('colour = "red"', "key 'colour': unknown setting"),
        ('[sla]\nbusiness_hours = "18:00-09:00"', "key 'sla.business_hours'"),
        ('site_name = "a\\u001b[2Jb"', "key 'site_name': contains control characters"),
        ("site_name = ", "not valid TOML"),
    ],
)
def test_a_bad_file_names_file_key_and_problem(tmp_path, text, fragment):
    env = write(tmp_path, text + "\n")
    with pytest.raises(ConfigError) as err:
        load_config(env)
    message = str(err.value)
    assert str(tmp_path / "config.toml") in message and fragment in message
    assert "\n" not in message


def test_unknown_database_scheme_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="scheme 'mysql' is not supported"):
        load_config({"DESKCONSOLE_HOME": str(tmp_path)}, db="mysql://x/y")


def test_plain_postgresql_url_uses_psycopg3(tmp_path):
    cfg = load_config({"DESKCONSOLE_HOME": str(tmp_path)}, db="postgresql://u@h/db")
    assert cfg.db_url == "postgresql+psycopg://u@h/db"


# -- [keys], db and checklist ------------------------------------------------------------------
@pytest.mark.parametrize("text, fragment", [
    ('[keys]\nlock = "ctrl+q"', "key 'keys.lock': 'ctrl+q' is already the key of 'quit'"),
    ('[keys]\nhelp = "f2"', "key 'keys.help': 'f2' is already the key of 'mode.reception'"),
    ('[keys]\nphone.ring = "c"', "key 'keys.phone.ring': 'c' is already the key of"),
    ('[keys]\n"reception.save" = "ctrl+n"', "'ctrl+n' is already the key of 'reception.serve_next'"),
    ('[keys]\nhelpp = "f12"', "key 'keys.helpp': unknown binding id"),
    ('[keys]\nhelp = "ctrl+banana"', "key 'keys.help': 'ctrl+banana' is not a key name"),
    ('[keys]\nhelp = "control+x"', "key 'keys.help': 'control+x' is not a key name"),
    ('[keys]\nhelp = 12', "key 'keys.help': expected a key name in quotes"),
    ("db = 42", "key 'db': expected a file path or a URL in quotes"),
    ('db = ""', "key 'db': expected a file path or a URL in quotes"),
    ("checklist = true", "key 'checklist': expected a file path or a URL in quotes"),
])
def test_a_bad_keymap_db_or_checklist_names_file_key_and_clash(tmp_path, text, fragment):
    env = write(tmp_path, text + "\n")
    with pytest.raises(ConfigError) as err:
        load_config(env)
    assert str(err.value).startswith(str(tmp_path / "config.toml")) and fragment in str(err.value)
    assert not (tmp_path / "42").exists()


def test_keys_may_be_swapped_and_a_default_shared_key_is_not_a_clash(tmp_path):
    env = write(tmp_path, '[keys]\nmode.phone = "f2"\n"mode.reception" = "f3"\nlock = "ctrl+l"\n'
                          '"reception.handoff" = "enter, H"\n')
    assert load_config(env).keymap == {"mode.phone": "f2", "mode.reception": "f3", "lock": "ctrl+l",
                                       "reception.handoff": "enter,h"}


def test_a_bad_checklist_stops_the_console_with_the_line_the_cli_prints(tmp_path, monkeypatch, capsys):
    from deskconsole.cli.common import guard
    from deskconsole.cli.console import run_console
    from tests.reliability.cli import run_cli

    env = write(tmp_path, f'checklist = "{tmp_path / "nope.toml"}"\n')
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    assert guard(lambda: run_console(None, "en")) == 2
    console_err = capsys.readouterr().err
    assert f"{tmp_path / 'nope.toml'}:0: file not found" in console_err
    code, _, cli_err = run_cli(monkeypatch, capsys, "etiquette", "show")
    assert code == 2 and cli_err == console_err
