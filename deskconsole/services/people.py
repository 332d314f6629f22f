"""How to address a customer: surname + honorific when known (DOMAIN §1, 001 §5.2.3.3.2:
先生 夫人 女士 小姐 小朋友). Stored as a code; shown in the current language.

The standard says 王先生 / Mr Wang, never the full name with a title: `salutation` splits the
surname off the name as typed. The receptionist corrects a wrong split in the name field
itself: a space after a Chinese surname ("司马 相如", or "张 伟" for a compound the list
lacks), or "Surname, Given" for a Latin name ("van der Berg, Jan")."""

from __future__ import annotations

import unicodedata

# code -> (zh-CN, en). zh follows the name (王先生), en precedes it (Mr Wang).
HONORIFICS: dict[str, tuple[str, str]] = {
    "mr": ("先生", "Mr"),
    "mrs": ("夫人", "Mrs"),
    "ms": ("女士", "Ms"),
    "miss": ("小姐", "Miss"),
    "child": ("小朋友", "Child"),
}

# Two-character (compound) Chinese surnames: the first two characters of a name starting
# with one of these are the surname (欧阳娜娜 -> 欧阳女士, not 欧女士).
COMPOUND_SURNAMES: frozenset[str] = frozenset("""
欧阳 司马 诸葛 上官 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 澹台 公冶 宗政
濮阳 淳于 单于 太叔 申屠 仲孙 钟离 闻人 赫连 东郭 南宫 西门 万俟 呼延 独孤 端木 百里 东门
左丘 梁丘 公羊 谷梁 拓跋 第五 鲜于 闾丘 司空 亓官 司寇 子车 颛孙 壤驷 公良 漆雕 乐正 宰父
巫马 公西 段干 羊舌 微生 夹谷 南门 归海 东野 公叔 公仪 太史
""".split())


def _is_cjk(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F") and ch.isalpha()


def surname(name: str) -> str:
    """The surname of a name as typed: the part before a space or comma when the receptionist
    put one there; otherwise a compound surname, the first character of a Chinese name, or
    the last word of a Latin name."""
    name = " ".join((name or "").split())
    if not name:
        return ""
    if "," in name:
        return name.split(",", 1)[0].strip() or name
    if _is_cjk(name[0]):
        if " " in name:
            return name.split(" ", 1)[0]
        return name[:2] if name[:2] in COMPOUND_SURNAMES else name[0]
    return name.rsplit(" ", 1)[-1]


def honorific_label(code: str, language: str) -> str:
    if code not in HONORIFICS:
        return ""
    zh, en = HONORIFICS[code]
    return zh if language == "zh-CN" else en


def address(name: str, code: str, language: str) -> str:
    """The name as typed with its honorific, for lists: '王建国' + mr -> '王建国先生' (zh-CN) /
    'Mr 王建国' (en). Without an honorific, the name alone."""
    name = " ".join((name or "").split())
    if not name:
        return ""
    zh, en = HONORIFICS.get(code, ("", ""))
    if language == "zh-CN":
        return f"{name}{zh}"
    if code == "child":
        return name
    return f"{en} {name}".strip() if en else name


def salutation(name: str, code: str, language: str) -> str:
    """What the receptionist says (DOMAIN §1): surname + honorific, '王先生' / 'Mr Smith'.
    A child is called by the name (小明小朋友); without an honorific, the full name."""
    if code in ("", "child") or code not in HONORIFICS:
        return address(name, code, language)
    return address(surname(name), code, language)
