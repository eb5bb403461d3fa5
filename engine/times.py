"""Instants and local dates: parsing what users type for --at, and the local day of an instant."""

from __future__ import annotations

import os
from datetime import date, datetime, time
from functools import cache
from zoneinfo import ZoneInfo

from engine.errors import DataError
from engine.values import parse_date

DEFAULT_TZ = "Asia/Shanghai"
DEFAULT_HOUR = 9  # CLI.md: a date given for --at means 09:00 that day


@cache
def tz(name: str | None = None) -> ZoneInfo:
    """The time zone in force (BARGAIN_TZ, else Asia/Shanghai)."""
    return ZoneInfo(name or os.environ.get("BARGAIN_TZ") or DEFAULT_TZ)


def local_date(at: datetime) -> date:
    """The calendar day an instant falls on, in the local time zone."""
    return at.astimezone(tz()).date()


def localize(at: datetime) -> datetime:
    """An instant shown in the local time zone (with its +08:00 offset)."""
    return at.astimezone(tz())


def at_date(d: date, hour: int = DEFAULT_HOUR) -> datetime:
    """09:00 local time on a given day."""
    return datetime.combine(d, time(hour), tzinfo=tz())


def parse_at(text: str) -> datetime:
    """A date (09:00 that day) or a datetime, with or without offset (local time zone assumed)."""
    raw = text.strip()
    try:
        return at_date(parse_date(raw))
    except ValueError:
        pass
    import pendulum  # only for what is not a plain date: importing it costs a twentieth of a second

    try:
        parsed = pendulum.parse(raw, tz=tz().key, strict=False)
    except (ValueError, pendulum.parsing.exceptions.ParserError):
        raise DataError(
            f"无法识别的时间：{text}（请写 2026-03-02 或 2026-03-02T14:30）",
            f"not a date or time: {text} (write 2026-03-02 or 2026-03-02T14:30)",
            rule="datetime",
            actual=text,
        ) from None
    if not isinstance(parsed, datetime):
        raise DataError(f"无法识别的时间：{text}", f"not a date or time: {text}", rule="datetime", actual=text)
    return datetime.fromtimestamp(parsed.timestamp(), tz=parsed.tzinfo).astimezone(parsed.tzinfo)
