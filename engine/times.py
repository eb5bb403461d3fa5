"""Instants and local dates: parsing what users type for --at, and the local day of an instant."""

from __future__ import annotations

import os
from datetime import date, datetime, time, timedelta
from functools import cache, lru_cache
from zoneinfo import ZoneInfo

from engine.errors import DataError
from engine.values import CLOCK_TOLERANCE_MINUTES, FIRST_YEAR, parse_date

DEFAULT_TZ = "Asia/Shanghai"
DEFAULT_HOUR = 9  # CLI.md: a date given for --at means 09:00 that day
_TOLERANCE = timedelta(minutes=CLOCK_TOLERANCE_MINUTES)


@cache
def tz(name: str | None = None) -> ZoneInfo:
    """The time zone in force (BARGAIN_TZ, else Asia/Shanghai)."""
    return ZoneInfo(name or os.environ.get("BARGAIN_TZ") or DEFAULT_TZ)


def local_date(at: datetime) -> date:
    """The calendar day an instant falls on, in the local time zone."""
    return at.astimezone(tz()).date()


@lru_cache(maxsize=8192)
def local_day(stamp: str) -> date:
    """The local day of an instant kept as ISO text in a case's facts ('at' of each trigger). The facts repeat
    few days across many cases, and the report and deadline columns of every save read them again."""
    return local_date(datetime.fromisoformat(stamp))


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
    except (ValueError, OverflowError, pendulum.parsing.exceptions.ParserError):
        raise DataError(
            f"无法识别的时间：{text}（请写 2026-03-02 或 2026-03-02T14:30）",
            f"not a date or time: {text} (write 2026-03-02 or 2026-03-02T14:30)",
            rule="datetime",
            actual=text,
        ) from None
    if not isinstance(parsed, datetime):
        raise DataError(f"无法识别的时间：{text}", f"not a date or time: {text}", rule="datetime", actual=text)
    try:
        return datetime.fromtimestamp(parsed.timestamp(), tz=parsed.tzinfo).astimezone(parsed.tzinfo)
    except (ValueError, OverflowError, OSError):  # an offset of +25:00, a year past 9999 in UTC
        raise DataError(f"无法使用的时间：{text}（时区偏移须在 ±24 小时内，年份须合理）",
                        f"not a usable time: {text} (offsets lie within ±24 hours, years are plausible)",
                        rule="datetime", actual=text) from None


def check_occurred(at: datetime, recorded_at: datetime) -> datetime:
    """An event's instant, refused when before engine.values.FIRST_YEAR or later than the recording clock plus
    CLOCK_TOLERANCE_MINUTES: a later event may not precede an earlier one, so a date years ahead would lock the
    case for good."""
    # Runs for every event (a campaign fires hundreds of thousands): the local year is worked out only where the
    # instant's own year is within a day of the bound, and the texts only for a refusal. An instant whose wall
    # day is three or more days before the clock's cannot be after it (offsets lie within ±24 hours), so only the
    # others are compared as instants: comparing two time zones asks each for its offset, ~0.6 us a fire.
    if at.year <= FIRST_YEAR and localize(at).year < FIRST_YEAR:
        shown = localize(at).isoformat(timespec="minutes")
        raise DataError(f"时间 {shown} 早于 {FIRST_YEAR} 年，不合理", f"the time {shown} is before {FIRST_YEAR}",
                        rule="event_time", required=FIRST_YEAR, actual=shown)
    if at.toordinal() + 3 > recorded_at.toordinal() and at > recorded_at + _TOLERANCE:
        shown = localize(at).isoformat(timespec="minutes")
        now = localize(recorded_at).isoformat(timespec="minutes")
        raise DataError(f"时间 {shown} 晚于现在（{now}），不能记录尚未发生的事",
                        f"the time {shown} is after now ({now}): an event cannot be recorded before it happens",
                        hint_zh=f"允许的时钟误差为 {CLOCK_TOLERANCE_MINUTES} 分钟",
                        hint_en=f"clocks may differ by {CLOCK_TOLERANCE_MINUTES} minutes",
                        rule="event_time", actual=shown)
    return at
