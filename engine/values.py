"""Parsing of the values people type or export from Excel: dates, numbers, yes/no. Pure functions."""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime

_TRUE = {"true", "t", "yes", "y", "1", "是", "有", "已建", "已建会", "√"}
_FALSE = {"false", "f", "no", "n", "0", "否", "无", "未建", "未建会", "×", ""}
_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def clean(text: object) -> str:
    """Full-width to half-width (NFKC), stray and inner non-breaking spaces trimmed."""
    if text is None:
        return ""
    if type(text) is str and text.isascii():  # ASCII is its own NFKC form (an import cleans every cell)
        return text.strip()
    return unicodedata.normalize("NFKC", str(text)).replace("\u3000", " ").strip()


def exact(text: object) -> str:
    """Free text as typed (a note, an outcome, a reason, a name, a topic): only the spaces around it go.
    No NFKC here: it would turn ，；：（） into ASCII punctuation, and a case file quotes people exactly."""
    if text is None:
        return ""
    return str(text).strip()


# What separates the items of a list typed on one line (`--set topics=甲，乙`): commas, semicolons and
# line breaks, half- or full-width. Never 、: it joins the parts of one item in the law's own words
# (WCB art. 7 item 4 "奖金、津贴、补贴等分配办法" is one topic).
LIST_SEPARATORS = re.compile(r"[,，;；\r\n]")


def split_list(text: str) -> list[str]:
    """One line of text as list items, each kept exactly (empty items dropped)."""
    return [item.strip() for item in LIST_SEPARATORS.split(text) if item.strip()]


def parse_bool(value: object) -> bool:
    """是/否, Y/N, 1/0, true/false → bool; ValueError otherwise."""
    if isinstance(value, bool):
        return value
    text = clean(value).lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"not a yes/no value: {value!r}")


_WHOLE = re.compile(r"[+-]?\d+(\.0+)?")


def parse_int(value: object) -> int:
    """An integer from an int, a whole float (Excel), or text with full-width digits or commas."""
    if isinstance(value, bool):
        raise ValueError(f"not a whole number: {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise ValueError(f"not a whole number: {value!r}")
    text = clean(value).replace(",", "")
    if _WHOLE.fullmatch(text):
        return int(float(text)) if "." in text else int(text)
    raise ValueError(f"not a whole number: {value!r}")


def parse_number(value: object) -> float:
    """A number from an int, float or text."""
    if isinstance(value, bool):
        raise ValueError(f"not a number: {value!r}")
    try:
        number = float(value) if isinstance(value, (int, float)) else float(clean(value).replace(",", ""))
    except (ValueError, OverflowError):
        raise ValueError(f"not a number: {value!r}") from None
    if not math.isfinite(number):  # "nan", "inf", 1e999: no amount, share or count is one (nor is it JSON)
        raise ValueError(f"not a finite number: {value!r}")
    return number


class NoSuchDayError(ValueError):
    """A date written as year, month and day that names no day (2026-02-29, 2026-13-01); `why` says which part."""

    def __init__(self, value: object, year: int, month: int) -> None:
        super().__init__(f"no such date: {value!r}")
        self.year, self.month = year, month

    def why(self) -> tuple[str, str]:
        """(zh, en): the month that does not exist, or how many days the month has."""
        import calendar

        if not 1 <= self.month <= 12:
            return f"没有 {self.month} 月", f"there is no month {self.month}"
        days = calendar.monthrange(self.year, self.month)[1]
        return f"{self.year} 年 {self.month} 月只有 {days} 天", f"{calendar.month_name[self.month]} {self.year} has {days} days"


def parse_date(value: object) -> date:
    """2026-03-02, 2026/3/2, 2026.3.2, 2026年3月2日, a date or datetime (Excel cells) → date."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = clean(value)
    m = _DATE_RE.match(text)
    if not m:
        m = re.match(r"^(\d{4})(\d{2})(\d{2})$", text)
    if not m:
        raise ValueError(f"not a date: {value!r} (write 2026-03-02)")
    y, mo, d = (int(g) for g in m.groups())
    try:
        return date(y, mo, d)
    except ValueError:
        raise NoSuchDayError(value, y, mo) from None


# ---- bounds every value is checked against at the edge (issue 14) -------------------------------------
# Ids are 32-bit on PostgreSQL (INTEGER); one bound for both databases.
MAX_ID = 2**31 - 1
MAX_PEOPLE = 10_000_000  # workers of one enterprise, or of a count: China's largest employers have under 2 million
MAX_HOURS = 24.0  # hours in one work log entry
FIRST_YEAR = 2000  # 工资集体协商试行办法 (劳动和社会保障部令第9号, 2000): no event, campaign or report before it
LAST_YEAR = 2100
MAX_NAME = 200  # characters of a name (organisation, enterprise, counselor, industry)
MAX_TEXT = 10_000  # characters of a note or a reason
CLOCK_TOLERANCE_MINUTES = 10  # an event may be dated this far after the recording clock (clocks drift)


def _refuse(what: str, value: object, low: object, high: object, rule: str) -> None:
    from engine.errors import DataError

    raise DataError(f"{what} 应在 {low} 到 {high} 之间，而不是 {value}", f"{what} must be between {low} and {high}, not {value}",
                    rule=rule, required=[low, high], actual=value)


def check_id(value: int, what: str = "id") -> int:
    """An id within 1..MAX_ID, else DataError."""
    if not 1 <= value <= MAX_ID:
        _refuse(what, value, 1, MAX_ID, "id_range")
    return value


def check_people(value: int, what: str = "employees") -> int:
    """A number of people within 0..MAX_PEOPLE, else DataError."""
    if not 0 <= value <= MAX_PEOPLE:
        _refuse(what, value, 0, f"{MAX_PEOPLE:,}", "people_range")
    return value


def check_hours(value: float, what: str = "hours") -> float:
    """Hours of one entry within 0..MAX_HOURS, else DataError (NaN and infinity included)."""
    if not 0 <= value <= MAX_HOURS:
        _refuse(what, value, 0, int(MAX_HOURS), "hours_range")
    return value


def check_year(value: int, what: str = "year") -> int:
    """A year within FIRST_YEAR..LAST_YEAR, else DataError."""
    if not FIRST_YEAR <= value <= LAST_YEAR:
        from engine.errors import DataError

        raise DataError(f"{what} 应为四位年份，在 {FIRST_YEAR} 到 {LAST_YEAR} 之间，而不是 {value}",
                        f"{what} must be a four-digit year between {FIRST_YEAR} and {LAST_YEAR}, not {value}",
                        rule="year_range", required=[FIRST_YEAR, LAST_YEAR], actual=value)
    return value


BIDI_CONTROLS = frozenset(range(0x202A, 0x202F)) | frozenset(range(0x2066, 0x206A))  # embeddings, overrides, isolates


def control_character(value: str) -> tuple[int, int] | None:
    """The first character a person may not type into free text, as (1-based position, code point); None
    when there is none. Refused: C0 (NUL included) but tab and line feed, DEL, C1, and the bidi
    embeddings, overrides and isolates (U+202A..U+202E, U+2066..U+2069) that make text read other than
    it is stored. A carriage return is allowed only in a CRLF line break. Chinese punctuation and the
    full-width space (U+3000) are text."""
    if value.isprintable():  # the common case, at C speed (controls, bidi marks and U+3000 are all unprintable)
        return None
    for i, ch in enumerate(value):
        o = ord(ch)
        if ch in "\t\n" or (ch == "\r" and value[i + 1 : i + 2] == "\n"):
            continue
        if o < 32 or 0x7F <= o < 0xA0 or o in BIDI_CONTROLS:
            return i + 1, o
    return None


def check_free_text(value: str, what: str, what_en: str | None = None) -> str:
    """`value` unchanged, or DataError naming `what` (an option, a field, a column; `what_en` in English when it
    differs), the character's 1-based position and its code point."""
    from engine.errors import DataError

    found = control_character(value)
    if found is None:
        return value
    pos, point = found
    bidi = point in BIDI_CONTROLS
    kind_zh, kind_en = ("双向文字控制符", "bidirectional control character") if bidi else ("控制字符", "control character")
    named = what if what_en is None else what_en
    raise DataError(f"{what} 第 {pos} 个字符是{kind_zh} U+{point:04X}，请删去",
                    f"{named}: character {pos} is the {kind_en} U+{point:04X}: remove it",
                    rule="control_character", actual=f"U+{point:04X}")


def check_text(value: str, what: str = "name", limit: int = MAX_NAME) -> str:
    """Text without control characters (tab, CR and LF become spaces in a name) and at most `limit` characters."""
    from engine.errors import DataError

    text = re.sub(r"[\t\r\n]+", " ", value).strip() if limit == MAX_NAME else value
    check_free_text(text, what)
    if len(text) > limit:
        raise DataError(f"{what} 过长：{len(text)} 个字符（最多 {limit}）", f"{what} is too long: {len(text)} characters (at most {limit})",
                        rule="text_length", required=limit, actual=len(text))
    return text


FIRST_DAY_YEAR, LAST_DAY_YEAR = 1900, 2999  # a date typed for an option (a birth date, an as-of day): far from 1 and 9999


def check_day(value: date, what: str = "date") -> date:
    """A date within 1900-01-01..2999-12-31, else DataError (year 1 and 9999 are typing slips, and overflow)."""
    if not FIRST_DAY_YEAR <= value.year <= LAST_DAY_YEAR:
        _refuse(what, value.isoformat(), f"{FIRST_DAY_YEAR}-01-01", f"{LAST_DAY_YEAR}-12-31", "date_range")
    return value
