"""Columns of an import file: their English keys, Chinese headers and spellings, and the cell parsers.

A header matches a column when, with full-width characters folded, case, spaces, underscores and a
trailing remark in brackets ignored ("职工人数（人）", "Credit Code", " 企业名称 "), it is the key, the
Chinese header or one of the aliases. A parser turns one cell (text from a CSV, a number, a date or a
boolean from an Excel cell) into a value, or raises CellError saying what is wrong in both languages.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from engine.credit import check_credit_code
from engine.errors import DataError
from engine.values import FIRST_YEAR, LAST_YEAR, MAX_NAME, MAX_PEOPLE, MAX_TEXT, clean, parse_bool, parse_date, parse_int
from engine.values import control_character as values_control_character

EXCEL_EPOCH = date(1899, 12, 30)  # Excel's day 0 in the 1900 date system (its 1900-02-29 bug included)


class CellError(Exception):
    """A cell that cannot be read as its column's value."""

    def __init__(self, zh: str, en: str, *, rule: str = "", source: str = "") -> None:
        super().__init__(en)
        self.zh, self.en, self.rule, self.source = zh, en, rule, source


Parser = Callable[[Any], Any]


@dataclass(frozen=True)
class Column:
    """One column an import understands."""

    key: str
    zh: str
    parse: Parser
    aliases: tuple[str, ...] = ()
    required: bool = False


def fold(text: object) -> str:
    """A header reduced for comparison: NFKC, lower case, no spaces/underscores/hyphens, no '*' or ':'."""
    t = clean(text).lower()
    return re.sub(r"[\s_\-*:]+", "", t)


def _without_remark(folded: str) -> str:
    return re.sub(r"\([^()]*\)$", "", folded)


@dataclass(frozen=True)
class Header:
    """How a file's header row maps onto columns."""

    row: int
    names: tuple[str, ...]  # as written in the file
    index: Mapping[str, int]  # column key -> position
    ignored: tuple[str, ...]  # headers that are no column of this import

    def label(self, key: str) -> str:
        """The header as the file writes it for a column key."""
        i = self.index.get(key)
        return self.names[i] if i is not None else key


def _keys(values: Sequence[Any], columns: Sequence[Column]) -> list[tuple[int, str]]:
    names: dict[str, str] = {}
    for col in columns:
        for name in (col.key, col.zh, *col.aliases):
            names.setdefault(fold(name), col.key)
    out = []
    for i, v in enumerate(values):
        f = fold(v)
        key = names.get(f) or names.get(_without_remark(f))
        if f and key:
            out.append((i, key))
    return out


def match_header(values: Sequence[Any], columns: Sequence[Column]) -> dict[str, int]:
    """Column key -> position for the headers of one row that name a column (first match wins)."""
    found: dict[str, int] = {}
    for i, key in _keys(values, columns):
        found.setdefault(key, i)
    return found


def header(row: int, values: Sequence[Any], columns: Sequence[Column], file: str) -> Header:
    """The header of a file; DataError when a required column is missing or a column is named twice."""
    names = tuple("" if v is None else str(v).strip() for v in values)
    index: dict[str, int] = {}
    for i, key in _keys(values, columns):
        if key in index:
            raise DataError(
                f"{file} 第 {row} 行：「{names[index[key]]}」和「{names[i]}」都表示 {key}，只能保留一列",
                f"{file} row {row}: '{names[index[key]]}' and '{names[i]}' both mean {key}: keep one",
                rule="header_twice", actual=key)
        index[key] = i
    missing = [c for c in columns if c.required and c.key not in index]
    if missing:
        want_zh = "、".join(f"{c.zh}（{c.key}）" for c in missing)
        want_en = ", ".join(f"{c.key} ({c.zh})" for c in missing)
        shown = ", ".join(n for n in names if n) or "—"
        raise DataError(
            f"{file} 缺少必需的列：{want_zh}；找到的表头：{shown}",
            f"{file} lacks required columns: {want_en}; headers found: {shown}",
            hint_zh="表头可用英文键或中文名，见 --help", hint_en="headers may be the English keys or the Chinese names: see --help",
            rule="header", required=[c.key for c in missing], actual=list(names))
    used = set(index.values())
    ignored = tuple(n for i, n in enumerate(names) if n and i not in used)
    return Header(row, names, index, ignored)


def looks_like_header(values: Sequence[Any], columns: Sequence[Column]) -> bool:
    """Whether a row names every required column (so title rows above the header are skipped)."""
    index = match_header(values, columns)
    return all(c.key in index for c in columns if c.required)


# ---- cell parsers -------------------------------------------------------------------------------


def text(value: Any) -> str:
    """Any cell as trimmed half-width text (an Excel number 120.0 reads '120', a date cell '2026-03-02')."""
    if type(value) is str:
        return value.strip() if value.isascii() else clean(value)  # ASCII is its own NFKC form
    if type(value) is int:  # an Excel whole number (a bool is no int here: type() is exact)
        return str(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return clean(value)


INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"  # zero-width space, non-joiner, joiner, word joiner, BOM: pasted from the web


def plain(value: Any) -> str:
    """Free text (a name, an industry) trimmed, zero-width characters around it too, but otherwise as written:
    有限公司（苏州） keeps its full-width brackets, which NFKC would turn into ASCII ones."""
    t = value.strip() if type(value) is str else text(value)
    if not t.isascii() and (t[:1] in INVISIBLE or t[-1:] in INVISIBLE):
        t = t.strip(INVISIBLE + " \t\r\n\u3000\xa0")
    if len(t) > MAX_TEXT:
        raise CellError(f"过长：{len(t)} 个字符（最多 {MAX_TEXT} 个）", f"is too long: {len(t)} characters (at most {MAX_TEXT})",
                        rule="text_length")
    return t


_NOT_IN_A_NAME = re.compile(f"[\t\r\n{INVISIBLE}]")
_NAMED = {"\t": ("制表符", "a tab"), "\r": ("回车符", "a carriage return"), "\n": ("换行符", "a line break")}


def name_text(value: Any) -> str:
    """A name (organisation, enterprise, person, industry): free text on one line, at most MAX_NAME characters. A line
    break, a tab or a zero-width character inside it is refused: the name would look like another one and not match it."""
    t = plain(value)
    if not t.isprintable() and (found := _NOT_IN_A_NAME.search(t)):
        ch = found.group()
        zh, en = _NAMED.get(ch, (f"不可见字符 U+{ord(ch):04X}", f"the invisible character U+{ord(ch):04X}"))
        raise CellError(f"第 {found.start() + 1} 个字符是{zh}：名称只能是一行看得见的文字，请删去它",
                        f"character {found.start() + 1} is {en}: a name is one line of visible text, remove it",
                        rule="name_character")
    if len(t) > MAX_NAME:
        raise CellError(f"过长：{len(t)} 个字符（名称最多 {MAX_NAME} 个）",
                        f"is too long: {len(t)} characters (a name has at most {MAX_NAME})", rule="text_length")
    return t


def control_character(value: str) -> str:
    """The first control character of a text cell as U+XXXX ('' when there is none): the one check of
    engine.values.control_character, which the command line and the web forms ask too."""
    found = values_control_character(value)
    return "" if found is None else f"U+{found[1]:04X}"


def code(value: Any) -> str:
    """An organisation code: text without spaces or '/' (the path separator)."""
    t = text(value)
    if re.search(r"[\s/]", t):
        raise CellError(f"代码 {t} 不能含空格或 /", f"code '{t}' may not contain spaces or '/'", rule="org_code")
    return t


def credit_code(value: Any) -> str:
    """The 统一社会信用代码, normalised and checked with python-stdnum (GB 32100-2015)."""
    try:
        return check_credit_code(text(value))
    except DataError as exc:
        raise CellError(exc.zh, exc.en, rule=exc.rule, source=exc.source) from None


def count(value: Any) -> int:
    """A whole number of people, 0 or more (full-width digits, thousands commas, Excel numbers)."""
    try:
        n = parse_int(value)
    except ValueError:
        raise CellError(f"{text(value)} 不是整数", f"'{text(value)}' is not a whole number", rule="integer") from None
    if n < 0:
        raise CellError(f"{n} 不能为负数", f"{n} cannot be negative", rule="integer")
    if n > MAX_PEOPLE:
        raise CellError(f"{n} 过大（最多 {MAX_PEOPLE:,}）", f"{n} is too large (at most {MAX_PEOPLE:,})", rule="people_range")
    return n


def yes_no(value: Any) -> bool:
    """是/否, 有/无, Y/N, 1/0, true/false, an Excel boolean."""
    t = text(value)
    if not t:
        raise CellError("为空，请填 是 或 否", "is empty: write 是/否 (yes/no)", rule="yes_no")
    try:
        return parse_bool(t if not isinstance(value, (bool, int, float)) else value)
    except ValueError:
        raise CellError(f"{t} 不是 是/否", f"'{t}' is not yes/no (是/否, Y/N, 1/0)", rule="yes_no") from None


def day(value: Any) -> date:
    """2026-03-02, 2026/3/2, 2026.3.2, 2026年3月2日, 20260302, an Excel date cell or an Excel day number."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 19000101 <= value <= 21001231 and float(value).is_integer():
            value = str(int(value))  # 20260302 typed as a number
        elif 1 <= value < 80000:  # a date cell formatted as a number: days since Excel's epoch
            return EXCEL_EPOCH + timedelta(days=int(value))
    try:
        d = parse_date(value)
    except ValueError:
        raise CellError(f"{text(value)} 不是日期（请写 2026-03-02 或 2026年3月2日）",
                        f"'{text(value)}' is not a date (write 2026-03-02)", rule="date") from None
    if not 1900 <= d.year <= 2100:
        raise CellError(f"日期 {d.isoformat()} 不合理", f"date {d.isoformat()} is out of range", rule="date")
    return d


def year(value: Any) -> int:
    """A year such as 2026 (also '2026年')."""
    t = text(value).removesuffix("年").removesuffix("年度")
    try:
        y = parse_int(t)
    except ValueError:
        raise CellError(f"{text(value)} 不是年份", f"'{text(value)}' is not a year", rule="year") from None
    if not FIRST_YEAR <= y <= LAST_YEAR:
        raise CellError(f"年份 {y} 不合理（应在 {FIRST_YEAR}–{LAST_YEAR} 之间）", f"year {y} is out of range ({FIRST_YEAR}–{LAST_YEAR})",
                        rule="year")
    return y


def choice(words: Mapping[str, Sequence[str]], what_zh: str, what_en: str) -> Parser:
    """A parser for a closed list of values, each with its accepted spellings (English and Chinese)."""
    lookup = {fold(w): key for key, spellings in words.items() for w in (key, *spellings)}
    allowed = "|".join(words)

    def parse(value: Any) -> str:
        found = lookup.get(fold(text(value)))
        if found is None:
            raise CellError(f"{what_zh} {text(value)} 无效（可用：{allowed}）",
                            f"{what_en} '{text(value)}' is not one of {allowed}", rule=what_en.replace(" ", "_"))
        return found

    return parse


def term(value: Any) -> tuple[date | None, date | None]:
    """聘用期限 as the registration form writes it: '2015年1月1日-2017年12月31日' (or with '至', '~')."""
    t = text(value)
    parts = re.findall(r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?|\d{8}", t)
    if not t:
        return None, None
    if len(parts) != 2:
        raise CellError(f"聘用期限 {t} 应写成 2015年1月1日-2017年12月31日",
                        f"term '{t}' should read like 2015-01-01 - 2017-12-31", rule="term")
    return day(parts[0]), day(parts[1])
