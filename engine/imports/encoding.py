"""Which encoding a text file's bytes are in, only when sure: the judgements the CSV reader (tabular) and the
contract text reader (document) share.

Chinese Excel writes GB18030 (GBK); a file from elsewhere may be EUC-KR (Korean), Shift-JIS (Japanese) or Big5
(Traditional Chinese), and most of their bytes decode as GB18030 too, into other characters: stored names would
be silently damaged. So a GB18030 reading is taken only when it reads as Chinese and no other reading does as
well; otherwise the file is refused, naming the encodings it could be and how to save it.
"""

from __future__ import annotations

from collections.abc import Callable

from engine.errors import DataError

PLAUSIBLE = 0.9  # share of a reading's non-ASCII characters that must belong to its language's common set
UTF16_ZEROS = 0.25  # share of the byte pairs whose high byte is 0 (ASCII: digits, commas, codes) in UTF-16 without a BOM
UTF16_STRAY = 0.02  # zero low bytes on the other side: one character in 256 has one (U+4E00 一, U+C800 저)
SAVE_ZH = "请在 Excel 中另存为「CSV UTF-8（逗号分隔）」或 .xlsx 后重试"
SAVE_EN = "save it from Excel as 'CSV UTF-8 (comma delimited)' or as .xlsx and try again"


def _wide(text: str) -> list[str]:
    return [ch for ch in text if ord(ch) > 127]


def _share(wide: list[str], test: Callable[[str], bool]) -> float:
    return sum(1 for ch in wide if test(ch)) / len(wide)


def _in(ch: str, encoding: str) -> bool:
    try:
        ch.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def reads_as_chinese(data: bytes) -> bool:
    """Whether bytes read as GB18030 give Chinese: nearly all non-ASCII characters are common ones (GB2312)."""
    wide = _wide(data.decode("gb18030", errors="ignore"))
    return not wide or _share(wide, lambda ch: _in(ch, "gb2312")) >= PLAUSIBLE


def _common_hangul(ch: str) -> bool:
    """A Hangul letter, or a syllable of KS X 1001 (the 2,350 of EUC-KR proper, nearly all Korean text uses): the
    other 8,822 of CP949's extension are what Shift-JIS kanji bytes decode into."""
    if "\u3130" <= ch <= "\u318f":
        return True
    return "\uac00" <= ch <= "\ud7a3" and len(ch.encode("euc_kr")) == 2  # Python spells the others as 8-byte sequences


def reads_as_korean(data: bytes) -> bool:
    """Whether bytes decode as EUC-KR (CP949) into common Hangul: Korean text, whose bytes GB18030 reads as common hanzi."""
    try:
        wide = _wide(data.decode("cp949"))
    except UnicodeDecodeError:
        return False
    return bool(wide) and _share(wide, _common_hangul) >= PLAUSIBLE


def _japanese(ch: str) -> bool:
    return ("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f"
            or "\uff01" <= ch <= "\uff5e")  # kana, kanji, punctuation, full-width forms (no half-width katakana)


def reads_as_japanese(data: bytes) -> bool:
    """Whether bytes decode as Shift-JIS (CP932) into Japanese: kana and kanji, not the half-width katakana GB18030's
    bytes come out as."""
    try:
        wide = _wide(data.decode("cp932"))
    except UnicodeDecodeError:
        return False
    return bool(wide) and _share(wide, _japanese) >= PLAUSIBLE


def reads_as_big5(data: bytes) -> bool:
    """Whether bytes decode as Big5 into Traditional Chinese text that GB18030 would not read as Chinese."""
    try:
        wide = _wide(data.decode("big5"))
    except UnicodeDecodeError:
        return False
    return bool(wide) and not reads_as_chinese(data) and _share(wide, lambda ch: "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f"
                                                                  or "\uff00" <= ch <= "\uffef") >= PLAUSIBLE


def reads_as_latin1(data: bytes) -> bool:
    """Whether the bytes are Western European text (ISO-8859-1 / Windows-1252): accented Latin letters only."""
    try:
        wide = _wide(data.decode("cp1252"))
    except UnicodeDecodeError:
        return False
    return bool(wide) and _share(wide, lambda ch: "\u00c0" <= ch <= "\u00ff") >= PLAUSIBLE


def utf16_without_bom(data: bytes) -> str | None:
    """utf-16-le or utf-16-be when the bytes are UTF-16 without a byte-order mark: zero bytes on one side of the
    pairs (the ASCII of codes, digits and commas), hardly any on the other (a character like U+4E00), and the
    whole decodes; else None."""
    data = data[: len(data) - len(data) % 2]
    pairs = len(data) // 2
    if pairs < 2 or b"\0" not in data:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    stray = pairs * UTF16_STRAY
    if even <= stray and odd >= pairs * UTF16_ZEROS:
        candidate = "utf-16-le"
    elif odd <= stray and even >= pairs * UTF16_ZEROS:
        candidate = "utf-16-be"
    else:
        return None
    try:
        text = data.decode(candidate)
    except UnicodeDecodeError:
        return None
    return candidate if "\0" not in text else None


def candidates(data: bytes) -> list[str]:
    """The encodings a file that is not surely GB18030 could be in: the ones we can tell (Shift-JIS, EUC-KR, Big5,
    Latin-1); when none of them fits, charset_normalizer's guesses (up to 4)."""
    named = [name for name, test in (("Shift-JIS", reads_as_japanese), ("EUC-KR", reads_as_korean), ("Big5", reads_as_big5),
                                     ("Latin-1", reads_as_latin1)) if test(data)]
    if named:
        return named
    from charset_normalizer import from_bytes

    return [m.encoding for m in from_bytes(data)][:4]


def unsure(name: str, data: bytes, what_zh: str = "未导入任何内容", what_en: str = "nothing was imported") -> DataError:
    """The refusal of a file whose encoding is not certain, naming what it could be and how to save it."""
    could = candidates(data)
    listing = ", ".join(could) or "?"
    korean, big5 = "EUC-KR" in could, "Big5" in could
    if could == ["Shift-JIS"]:  # the one reading that makes sense: say what it is, not what it is not
        return DataError(f"{name} 是日文（Shift-JIS）编码的文件，不是 UTF-8 或 GB18030，{what_zh}",
                         f"{name} is Japanese text in Shift-JIS, not UTF-8 or GB18030; {what_en}",
                         hint_zh=SAVE_ZH, hint_en=SAVE_EN, rule="file_encoding", actual=could)
    if korean:
        why_zh = "按 GB18030 和 EUC-KR（韩文）都能读出文字，无法确定是哪一种"
        why_en = "it reads as GB18030 and as EUC-KR (Korean) alike: which one it is cannot be told"
    else:
        why_zh, why_en = "按 GB18030 读出的文字不像中文", "read as GB18030 it does not look like Chinese"
    hint_zh = ("繁体中文（Big5）文件也" if big5 else "") + SAVE_ZH
    hint_en = ("a Traditional Chinese (Big5) file too: " if big5 else "") + SAVE_EN
    return DataError(f"{name} 的编码无法确定：不是 UTF-8，{why_zh}（可能是 {listing}），{what_zh}",
                     f"{name}: the encoding is not certain: not UTF-8, and {why_en} (it could be {listing}); {what_en}",
                     hint_zh=hint_zh, hint_en=hint_en, rule="file_encoding", actual=could)
