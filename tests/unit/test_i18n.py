"""zh-CN and en carry the same keys; no key is unused; zh-CN avoids ambiguous-width
punctuation (STYLE §8); placeholders agree between languages."""

import re
import string
import unicodedata
from pathlib import Path

import pytest

import deskconsole
from deskconsole.i18n import DYNAMIC_PREFIXES, Translator, load_catalog

ROOT = Path(deskconsole.__file__).parent
DATA = ROOT.parent / "data"


def test_both_languages_have_the_same_keys():
    en, zh = set(load_catalog("en")), set(load_catalog("zh-CN"))
    assert sorted(en - zh) == [], "missing in zh-CN"
    assert sorted(zh - en) == [], "missing in en"


def _placeholders(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_placeholders_agree():
    en, zh = load_catalog("en"), load_catalog("zh-CN")
    bad = [k for k in en if _placeholders(en[k]) != _placeholders(zh[k])]
    assert bad == []


def test_no_ambiguous_width_punctuation_in_chinese():
    bad = {k: v for k, v in load_catalog("zh-CN").items()
           if any(unicodedata.east_asian_width(c) == "A" for c in v)}
    assert bad == {}


def test_every_key_is_used():
    sources = "\n".join(p.read_text(encoding="utf-8") for p in ROOT.rglob("*.py"))
    sources += "\n".join(p.read_text(encoding="utf-8") for p in DATA.rglob("*.toml"))
    unused = [k for k in load_catalog("en")
              if not k.startswith(DYNAMIC_PREFIXES) and f'"{k}"' not in sources and f"'{k}'" not in sources]
    assert unused == []


def test_translator_formats_and_falls_back_to_the_key():
    t = Translator("zh-CN")
    assert t("error.too_long", label="姓名", limit=64) == "姓名太长(最多 64 个字符)"
    assert t("no.such.key") == "no.such.key"
    t.set_language("en")
    assert t("signon.title") == "Sign on"
    with pytest.raises(ValueError):
        t.set_language("fr")


def test_every_catalog_key_used_in_code_exists():
    """A key written in code (t("x.y")) that is in no catalog would show as raw text."""
    sources = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "ui").rglob("*.py"))
    used = set(re.findall(r'\bt\("([a-z_]+\.[a-z0-9_.]+)"', sources))
    assert sorted(used - set(load_catalog("en"))) == []
