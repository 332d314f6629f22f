"""How to address a customer: surname + honorific when known (DOMAIN §1, 001 §5.2.3.3.2:
先生 夫人 女士 小姐 小朋友). Stored as a code; shown in the current language."""

from __future__ import annotations

# code -> (zh-CN, en). zh follows the name (王先生), en precedes it (Mr Wang).
HONORIFICS: dict[str, tuple[str, str]] = {
    "mr": ("先生", "Mr"),
    "mrs": ("夫人", "Mrs"),
    "ms": ("女士", "Ms"),
    "miss": ("小姐", "Miss"),
    "child": ("小朋友", ""),
}


def honorific_label(code: str, language: str) -> str:
    if code not in HONORIFICS:
        return ""
    zh, en = HONORIFICS[code]
    return zh if language == "zh-CN" else (en or zh)


def address(name: str, code: str, language: str) -> str:
    """'王' + mr -> '王先生' (zh-CN) / 'Mr 王' (en). Without an honorific, the name alone."""
    name = (name or "").strip()
    if not name:
        return ""
    zh, en = HONORIFICS.get(code, ("", ""))
    if language == "zh-CN":
        return f"{name}{zh}"
    if code == "child":
        return name
    return f"{en} {name}".strip() if en else name
