"""Legal periods on the official Chinese calendar. Pure: the holiday data is passed in, nothing is read.

Civil Code (民法典) art. 201: a period counted in days or months starts the day after the event.
Art. 202: a period in months ends on the corresponding day of the last month (its last day when the
month has no such day). Art. 203: when the last day is a statutory rest day or holiday, the period
ends on the day after it, i.e. the next working day. Rest days follow the official calendar: a
weekend is a rest day unless it is a make-up working day (调休), and the announced holidays are rest
days even on weekdays. Local rules counting working days (工作日) count only working days.

A year whose holiday arrangement is not known is counted with weekends as the only rest days, and the
result names that year as missing: the caller shows it as provisional, never as a plain answer.
"""

from __future__ import annotations

import calendar as _stdcal
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

UNITS = ("days", "working_days", "months")
_ONE = timedelta(days=1)


@dataclass(frozen=True)
class Holidays:
    """The official calendar's exceptions: known years, holidays, and make-up working days."""

    years: frozenset[int]
    rest: frozenset[date]  # announced holidays (放假), weekdays or weekends
    work: frozenset[date]  # make-up working days (调休上班), weekends that are working days

    @staticmethod
    def of(years: Iterable[int], rest: Iterable[date], work: Iterable[date]) -> Holidays:
        """Build from any iterables."""
        return Holidays(frozenset(years), frozenset(rest), frozenset(work))


@dataclass(frozen=True)
class Due:
    """A computed day and the years whose holidays it needed but the calendar does not know."""

    day: date
    missing: tuple[int, ...] = ()

    @property
    def provisional(self) -> bool:
        """True when an unknown year was counted with weekends only."""
        return bool(self.missing)


def add_months(d: date, months: int) -> date:
    """The corresponding day some months later (or earlier); the month's last day when there is none (art. 202)."""
    index = d.year * 12 + d.month - 1 + months
    year, month = divmod(index, 12)
    last = _stdcal.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(d.day, last))


_AFTER_KEPT = 50_000  # answers of Calendar.after kept (a few MB at most; a batch needs a few hundred)


class Calendar:
    """Working days and legal periods over a given set of holiday data."""

    def __init__(self, holidays: Holidays) -> None:
        self.holidays = holidays
        self._rest, self._work, self._years = holidays.rest, holidays.work, holidays.years
        # after()'s answers (a Due is frozen): a save computes the deadline columns of every case, a fire asks
        # whether a binding period ran out, and a batch's events fall on few days, each counted day by day.
        self._after: dict[tuple[date, int, str, bool], Due] = {}

    def known(self, year: int) -> bool:
        """Whether the holiday arrangement of a year is known."""
        return year in self.holidays.years

    def is_working(self, d: date) -> bool:
        """A working day: a make-up working day, or a weekday that is not a holiday."""
        return d in self._work or (d.weekday() < 5 and d not in self._rest)

    def is_rest(self, d: date) -> bool:
        """A rest day or holiday (the opposite of a working day)."""
        return not self.is_working(d)

    def _missing(self, first: int, last: int) -> tuple[int, ...]:
        """The unknown years among first..last (the years a count looked at)."""
        if first in self._years and last in self._years:
            return () if last - first < 2 else tuple(y for y in range(first + 1, last) if y not in self._years)
        return tuple(y for y in range(first, last + 1) if y not in self._years)

    def next_working(self, d: date) -> Due:
        """The day itself if it is a working day, else the first working day after it (art. 203)."""
        first, work, rest = d.year, self._work, self._rest
        while not (d in work or (d.weekday() < 5 and d not in rest)):
            d += _ONE
        return Due(d, self._missing(first, d.year))

    def after(self, event: date, n: int, unit: str, *, roll: bool = True) -> Due:
        """The last day of a period of n units starting the day after the event (arts. 201-203).

        `roll=False` keeps a last day that falls on a rest day (a cap on a length, not a time to act).
        """
        _check(n, unit)  # before the lookup: True would find the answer for 1
        key = (event, n, unit, roll)
        found = self._after.get(key)
        if found is None:
            if len(self._after) >= _AFTER_KEPT:
                self._after.clear()
            found = self._after[key] = self._after_counted(event, n, unit, roll)
        return found

    def _after_counted(self, event: date, n: int, unit: str, roll: bool) -> Due:
        if unit == "working_days":
            d, counted = event, 0
            while counted < n:
                d += _ONE
                if self.is_working(d):
                    counted += 1
            return Due(d, self._missing((event + _ONE).year, d.year))
        last = event + timedelta(days=n) if unit == "days" else add_months(event, n)
        return self.next_working(last) if roll else Due(last)

    def before(self, end: date, n: int, unit: str) -> Due:
        """The first day of a window of n units that ends on `end` (e.g. 'within 60 days before expiry')."""
        _check(n, unit)
        if unit == "working_days":
            d, counted = end, 0
            while counted < n:
                d -= _ONE
                if self.is_working(d):
                    counted += 1
            return Due(d, self._missing(d.year, (end - _ONE).year))
        return Due(end - timedelta(days=n) if unit == "days" else add_months(end, -n))

    def floor(self, event: date, n: int, unit: str) -> date:
        """The earliest day `after` could ever give, whatever the holidays: a safe lower bound for queries."""
        _check(n, unit)
        return add_months(event, n) if unit == "months" else event + timedelta(days=n)


def _check(n: int, unit: str) -> None:
    if unit not in UNITS:
        raise ValueError(f"unknown period unit {unit!r} (one of {', '.join(UNITS)})")
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"a period needs a whole number of at least 1, not {n!r}")
