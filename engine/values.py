"""Parsing of the values people type or export from Excel: dates, numbers, yes/no. Pure functions."""

from __future__ import annotations

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
    if re.fullmatch(r"[+-]?\d+(\.0+)?", text):
        return int(float(text)) if "." in text else int(text)
    raise ValueError(f"not a whole number: {value!r}")


def parse_number(value: object) -> float:
    """A number from an int, float or text."""
    if isinstance(value, bool):
        raise ValueError(f"not a number: {value!r}")
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(clean(value).replace(",", ""))
    except ValueError:
        raise ValueError(f"not a number: {value!r}") from None


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
        raise ValueError(f"no such date: {value!r}") from None
