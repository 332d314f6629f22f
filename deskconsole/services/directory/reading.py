"""A resident list's bytes to rows of cells: XLSX, or CSV in UTF-8 (with or without BOM),
GB18030 or Big5, detected or named."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from deskconsole.services.errors import DeskError

# Lists from mainland systems come in GB18030 (GBK); owners' associations in Hong Kong and
# Taiwan export Big5. Each decodes many bytes of the other without an error, into the wrong
# characters, so both are tried strictly and the one that reads as common CJK text wins.
LEGACY = ("gb18030", "big5")


def _is_common(ch: str) -> bool:
    """Text a resident list holds: ASCII, the unified CJK ideographs, CJK and full-width
    punctuation. The wrong legacy decoding turns up kana, Greek, Cyrillic, box drawing,
    private-use and rare-extension characters instead (Big5 陳大文 read as GBK: 朝 + ゅ...)."""
    o = ord(ch)
    return (o < 0x80 or 0x4E00 <= o <= 0x9FFF or 0x3000 <= o <= 0x3003 or 0x3008 <= o <= 0x3011
            or 0xFF01 <= o <= 0xFF5E or ch in "\u00b7\u2014\u2026\u201c\u201d\u2018\u2019")


def common_share(text: str) -> float:
    wide = [ch for ch in text if ord(ch) >= 0x80]
    if not wide:
        return 1.0
    return sum(1 for ch in wide if _is_common(ch)) / len(wide)


# The first level of each standard holds its most frequent characters (GB2312 level 1: lead
# bytes B0-D7; Big5 common characters: A440-C67E). Real names and addresses are mostly
# there; the other encoding's reading of the same bytes lands in the rare levels more often.
def _frequent(ch: str, name: str) -> bool:
    if ord(ch) < 0x80:
        return True
    try:
        raw = ch.encode("gb2312" if name == "gb18030" else "big5")
    except UnicodeEncodeError:
        return False
    if len(raw) != 2:
        return False
    return 0xB0 <= raw[0] <= 0xD7 if name == "gb18030" else 0xA440 <= int.from_bytes(raw) <= 0xC67E


def frequent_share(text: str, name: str) -> float:
    wide = [ch for ch in text if 0x4E00 <= ord(ch) <= 0x9FFF]
    if not wide:
        return 1.0
    return sum(1 for ch in wide if _frequent(ch, name)) / len(wide)


def decode(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """(text, encoding used). A BOM means UTF-8; valid UTF-8 is UTF-8; otherwise GB18030 or
    Big5, whichever decodes strictly to common CJK text; when both do equally well (or
    neither decodes), refuse and ask for --encoding rather than import the wrong names."""
    if encoding:
        try:
            return data.decode(encoding), encoding
        except LookupError:
            raise DeskError("directory.error.encoding_unknown", encoding=encoding) from None
        except UnicodeDecodeError as exc:
            raise DeskError("directory.error.encoding_wrong", encoding=encoding, at=exc.start) from None
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:  # a UTF-8 mark, then bytes that are not (cut short?)
            raise DeskError("directory.error.encoding_wrong", encoding="UTF-8", at=exc.start + 3) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    decoded = {}
    for name in LEGACY:
        try:
            decoded[name] = data.decode(name)
        except UnicodeDecodeError as exc:
            first_bad = max(first_bad, exc.start)
    if not decoded:
        raise DeskError("directory.error.encoding_unknown_bytes", at=first_bad)
    scored = sorted((((common_share(text), frequent_share(text, name)), name)
                     for name, text in decoded.items()), reverse=True)
    (best_share, _), best = scored[0]
    if len(scored) > 1 and scored[1][0] >= scored[0][0]:
        raise DeskError("directory.error.encoding_ambiguous", candidates=", ".join(LEGACY))
    if best_share < 0.9:  # a mostly odd reading: a third encoding, or not text
        raise DeskError("directory.error.encoding_unknown_bytes", at=first_bad)
    return decoded[best], best


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a phone typed into a number cell: 13812345678.0
    return str(value).strip()


def read_rows(path: Path, encoding: str | None) -> tuple[list[tuple[int, list[str]]], str]:
    """[(line number, cells)] including the header, and the encoding (or 'xlsx')."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DeskError("directory.error.read", path=str(path), reason=exc.strerror or str(exc)) from None
    if data[:4] == b"PK\x03\x04" or path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
            raise DeskError("directory.error.xlsx", path=str(path)) from None
        sheet = book.worksheets[0]
        rows = [(n, [_cell(c) for c in row])
                for n, row in enumerate(sheet.iter_rows(values_only=True), start=1)]
        book.close()
        return rows, "xlsx"
    text, used = decode(data, encoding)
    reader = csv.reader(io.StringIO(text, newline=""))
    rows = []
    try:
        for cells in reader:
            rows.append((reader.line_num, [c.strip() for c in cells]))
    except csv.Error:
        raise DeskError("directory.error.csv", line=reader.line_num + 1) from None
    return rows, used
