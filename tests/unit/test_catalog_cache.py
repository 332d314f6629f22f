"""The parsed locale catalogs are cached outside the installed package (which may be
read-only, and which `pip uninstall` must remove whole): in the user cache folder, or
<DESKCONSOLE_HOME>/cache. Without a writable cache folder the console still starts."""

import marshal
from pathlib import Path

import platformdirs

from deskconsole.i18n import LOCALE_DIR, load_catalog
from deskconsole.paths import cache_dir

parse = load_catalog.__wrapped__  # the process-wide lru_cache would hide every case here


def _package_files() -> set[str]:
    return {str(p) for p in LOCALE_DIR.rglob("*") if p.suffix != ".pyc" and p.name != "__pycache__"}


def test_cache_lives_under_deskconsole_home(tmp_path):
    assert cache_dir({"DESKCONSOLE_HOME": str(tmp_path)}) == tmp_path / "cache"


def test_cache_without_deskconsole_home_is_the_user_cache_folder(tmp_path):
    assert cache_dir({}) == Path(platformdirs.user_cache_dir("deskconsole", appauthor=False))


def test_catalog_is_cached_in_the_home_and_read_back_from_there(tmp_path, monkeypatch):
    monkeypatch.setenv("DESKCONSOLE_HOME", str(tmp_path))
    before = _package_files()
    assert parse("en")["mode.phone"] == "Phone"
    (cached,) = (tmp_path / "cache").glob("catalog-en-*.marshal")
    cached.write_bytes(marshal.dumps({"mode.phone": "from the cache"}))
    assert parse("en") == {"mode.phone": "from the cache"}
    assert _package_files() == before  # nothing written beside the shipped TOML


def test_an_edited_catalog_file_is_parsed_again(tmp_path, monkeypatch):
    monkeypatch.setenv("DESKCONSOLE_HOME", str(tmp_path))
    parse("zh-CN")
    (cached,) = (tmp_path / "cache").glob("catalog-zh_CN-*.marshal")
    stamp = cached.name
    cached.write_bytes(marshal.dumps({"stale": "yes"}))
    # The name carries the files' sizes and times: another stamp is another cache file.
    other = cached.with_name(stamp.replace(stamp.split(".")[1], "00000000"))
    cached.rename(other)
    assert parse("zh-CN")["mode.phone"] == "电话"
    assert not other.exists()  # the stale one is removed when the fresh one is written


def test_unwritable_cache_folder_still_gives_the_catalog(tmp_path, monkeypatch):
    monkeypatch.setenv("DESKCONSOLE_HOME", str(tmp_path))
    (tmp_path / "cache").write_text("a file where the folder should be")  # mkdir fails, even as root
    assert parse("en")["mode.phone"] == "Phone"
    assert parse("zh-CN")["mode.phone"] == "电话"
