"""Catalog lookup. Every user-visible string is a key in deskconsole/locales/<lang>/*.toml
(one file per domain; nested tables flatten to dotted keys). zh-CN and en carry the same
keys: tests/unit/test_i18n.py fails on a key missing or unused in either.

STYLE §8: no ambiguous-width punctuation in zh-CN text; use 「」 and "...".
"""

from __future__ import annotations

import marshal
import os
import sys
import zlib
from functools import lru_cache
from pathlib import Path

from deskconsole.paths import cache_dir

LOCALE_DIR = Path(__file__).parent / "locales"
LANG_DIRS = {"zh-CN": "zh_CN", "en": "en"}

# Keys built at run time from data (f"purpose.{code}") are declared here by prefix so the
# unused-key test knows they are used.
DYNAMIC_PREFIXES: tuple[str, ...] = (
    "role.", "lang.", "error.", "messages.severity.", "mode.", "key.", "counter.",
    "etiquette.result.", "etiquette.kind.", "etiquette.evidence.",
    "tickets.kind.", "tickets.status.", "tickets.priority.", "tickets.source.",
    "tickets.satisfaction.", "tickets.action.", "tickets.queue.", "tickets.event.",
    "tickets.do.", "tickets.outcome.",
    "reliability.audit.col.", "reliability.audit.rows.", "cli.phone.state.", "phone.feed.state.",
    "store.save.", "store.signon.", "store.cli.", "lock.store.",  # one key per kind of store outage (db.base.classify)
    "reception.script.step_", "reception.status.", "reception.kind.", "reception.error.", "directory.bad.",
    "directory.field.", "timeline.kind.", "timeline.key_state.", "timeline.col.", "watch.action.", "watch.place.", "watch.col.",
    "phone.outcome.", "phone.status.", "phone.dir.",
    "shift.fig.", "shift.code.", "shift.kind.", "shift.section.", "shift.item.", "shift.col.",
    "shift.handover_col.", "shift.export.", "shift.error.",
    "report.",  # report titles and columns (services/reports), labels and marks (services/labels)
    "registers.kind.", "registers.check.", "registers.col.",
)


def _flatten(prefix: str, table: dict, out: dict[str, str], src: Path) -> None:
    for key, value in table.items():
        full = f"{prefix}{key}"
        if isinstance(value, dict):
            _flatten(full + ".", value, out, src)
        elif isinstance(value, str):
            if full in out:
                raise ValueError(f"{src}: key '{full}' defined twice")
            out[full] = value
        else:
            raise ValueError(f"{src}: key '{full}' is not a string")


@lru_cache(maxsize=4)
def load_catalog(lang: str) -> dict[str, str]:
    """The flattened catalog of `lang`. Parsing the TOML files costs ~7 ms a language before
    the first frame, so the result is kept in the user cache folder (paths.cache_dir), named
    after this install's folder, the Python version and the files' sizes and times, and parsed
    again only when one of them changed (or when the cache folder cannot be written: then
    every start parses)."""
    folder = LOCALE_DIR / LANG_DIRS[lang]
    paths = sorted(folder.glob("*.toml"))
    stamp = zlib.crc32(repr([(p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in paths]).encode())
    # Two installs (a checkout and a pipx venv) may share one cache folder: each keeps its own.
    owner = zlib.crc32(f"{folder}|{sys.version_info[:2]}".encode())
    cache = cache_dir(os.environ) / f"catalog-{LANG_DIRS[lang]}-{owner:08x}.{stamp:08x}.marshal"
    try:
        out = marshal.loads(cache.read_bytes())
        if isinstance(out, dict):
            return out
    except (OSError, EOFError, ValueError, TypeError):
        pass
    import tomllib

    out = {}
    for path in paths:
        _flatten("", tomllib.loads(path.read_text(encoding="utf-8")), out, path)
    _keep(cache, marshal.dumps(out))
    return out


def _keep(cache: Path, data: bytes) -> None:
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        for old in cache.parent.glob(cache.name.split(".", 1)[0] + ".*.marshal"):
            old.unlink(missing_ok=True)
        tmp = cache.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, cache)
    except OSError:
        pass


class Translator:
    """`t(key, **params)` in the current language. Passed down; never a module global."""

    def __init__(self, language: str = "en") -> None:
        self.set_language(language)

    def set_language(self, language: str) -> None:
        if language not in LANG_DIRS:
            raise ValueError(f"unknown language {language}")
        self.language = language
        self._catalog = load_catalog(language)
        self._fallback = load_catalog("en")

    def __call__(self, key: str, **params: object) -> str:
        return self.t(key, **params)

    def t(self, key: str, **params: object) -> str:
        text = self._catalog.get(key)
        if text is None:
            text = self._fallback.get(key, key)
        if params:
            try:
                return text.format(**params)
            except (KeyError, IndexError, ValueError):
                return text
        return text

    def has(self, key: str) -> bool:
        return key in self._catalog

    @property
    def is_zh(self) -> bool:
        return self.language == "zh-CN"
