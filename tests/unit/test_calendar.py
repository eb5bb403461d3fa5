"""Legal periods on the official Chinese calendar (民法典 arts. 201-203), from a table of real dates.

The holiday data is the installed chinese-calendar package (2026: National Day 10-01..10-07 with make-up
working days on Sunday 09-20 and Saturday 10-10; Spring Festival 02-15..02-23 with make-up Saturdays
02-14 and 02-28). The year after the last one it knows stands for "a year the package does not know".
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.calendar import Calendar, add_months
from engine.errors import SetupError
from engine.registry import holidays

PACKAGE = holidays.package_years()
CAL = Calendar(holidays.build(PACKAGE, []))
LAST = max(PACKAGE)  # the last year the package knows; LAST + 1 is unknown
UNKNOWN = LAST + 1


@pytest.mark.parametrize("event, n, unit, due, why", [
    (date(2026, 9, 13), 20, "days", date(2026, 10, 8), "day 20 is 10-03, inside National Day: the next working day"),
    (date(2026, 9, 20), 20, "days", date(2026, 10, 10), "day 20 is Saturday 10-10, a make-up working day: not extended"),
    (date(2026, 9, 10), 20, "days", date(2026, 9, 30), "DOMAIN §5: received 9-10, due by the end of 9-30"),
    (date(2026, 1, 26), 20, "days", date(2026, 2, 24), "day 20 is 02-15, Spring Festival until 02-23"),
    (date(2026, 1, 25), 20, "days", date(2026, 2, 14), "day 20 is Saturday 02-14, a make-up working day"),
    (date(2026, 6, 1), 7, "days", date(2026, 6, 8), "filing of a wage agreement: 7 days"),
    (date(2026, 6, 1), 10, "days", date(2026, 6, 11), "filing of a comprehensive contract: 10 days"),
    (date(2026, 9, 24), 7, "days", date(2026, 10, 8), "signed before National Day: 10-01 moves to 10-08"),
    (date(2026, 9, 13), 10, "working_days", date(2026, 9, 24), "Zhejiang: the make-up Sunday 09-20 counts"),
    (date(2026, 9, 20), 10, "working_days", date(2026, 10, 10), "Zhejiang: Mid-Autumn and National Day do not count"),
    (date(2026, 2, 10), 5, "working_days", date(2026, 2, 24), "Henan filing: the make-up Saturday counts, the festival does not"),
    (date(2026, 1, 31), 1, "months", date(2026, 2, 28), "no 02-31: the month's last day (art. 202), a make-up Saturday"),
    (date(2026, 9, 3), 1, "months", date(2026, 10, 8), "the corresponding day 10-03 is in National Day"),
])
def test_a_period_ends_on_the_legal_day(event: date, n: int, unit: str, due: date, why: str) -> None:
    result = CAL.after(event, n, unit)
    assert result.day == due, why
    assert not result.provisional


def test_a_period_starts_the_day_after_the_event() -> None:
    assert CAL.after(date(2026, 3, 2), 1, "days").day == date(2026, 3, 3)
    assert CAL.after(date(2026, 3, 6), 1, "working_days").day == date(2026, 3, 9)  # Friday → Monday


def test_a_cap_on_a_length_is_not_moved_off_a_rest_day() -> None:
    assert CAL.after(date(2026, 9, 13), 20, "days", roll=False).day == date(2026, 10, 3)


def test_a_period_running_into_an_unknown_year_is_provisional_and_names_the_year() -> None:
    result = CAL.after(date(LAST, 12, 20), 20, "days")
    assert result.provisional
    assert result.missing == (UNKNOWN,)
    assert result.day >= date(UNKNOWN, 1, 9)
    assert CAL.is_working(result.day)


def test_working_days_counted_across_the_year_end_are_provisional() -> None:
    result = CAL.after(date(LAST, 12, 28), 5, "working_days")
    assert result.missing == (UNKNOWN,)


def test_a_period_ending_before_the_unknown_year_is_not_provisional() -> None:
    assert not CAL.after(date(LAST, 12, 1), 3, "days").provisional


def test_a_window_before_a_date_opens_that_many_units_earlier() -> None:
    assert CAL.before(date(2027, 3, 31), 60, "days").day == date(2027, 1, 30)
    assert CAL.before(date(2027, 5, 31), 3, "months").day == date(2027, 2, 28)
    assert not CAL.before(date(2027, 3, 31), 60, "days").provisional


def test_months_follow_the_corresponding_day_or_the_month_end() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add_months(date(2026, 11, 15), 3) == date(2027, 2, 15)
    assert add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)


def test_a_period_needs_a_whole_number_and_a_known_unit() -> None:
    with pytest.raises(ValueError):
        CAL.after(date(2026, 1, 1), 0, "days")
    with pytest.raises(ValueError):
        CAL.after(date(2026, 1, 1), 5, "weeks")


def test_a_local_year_file_makes_the_year_known(tmp_path: Path) -> None:
    saturday = next(date(UNKNOWN, 1, d) for d in range(4, 11) if date(UNKNOWN, 1, d).weekday() == 5)
    monday = next(date(UNKNOWN, 1, d) for d in range(11, 18) if date(UNKNOWN, 1, d).weekday() == 0)
    text = f"""year = {UNKNOWN}
source = "test data, not a real notice"
rest_days = ["{UNKNOWN}-01-01..{UNKNOWN}-01-03", "{monday}"]
working_days = ["{saturday}"]
"""
    cal = Calendar(holidays.build(PACKAGE, [(f"{UNKNOWN}.toml", text)]))
    assert cal.known(UNKNOWN)
    assert cal.is_working(saturday) and cal.is_rest(monday) and cal.is_rest(date(UNKNOWN, 1, 2))
    result = cal.after(monday - timedelta(days=20), 20, "days")
    assert not result.provisional
    assert result.day == monday + timedelta(days=1)


@pytest.mark.parametrize("body, words", [
    ('year = 2031\nsource = "x"\nrest_days = ["2031-02-30"]', "2031-02-30"),
    ('year = 2031\nsource = "x"\nrest_days = ["2030-12-31"]', "not in 2031"),
    ('year = 2031\nsource = "x"\nworking_days = ["2031-01-06"]', "not a weekend day"),
    ('year = 2031\nsource = "x"\nrest_days = ["2031-01-05..2031-01-01"]', "ends before it starts"),
    ('year = 2031\nrest_days = []', "source"),
    ('year = 2031\nsource = "x"\nrestdays = []', "unknown keys restdays"),
    ('year = "2031"\nsource = "x"', "year"),
    ("year = 2031\nsource = ", "not valid TOML"),
])
def test_a_broken_holiday_file_is_a_setup_error_naming_the_file_and_entry(body: str, words: str) -> None:
    with pytest.raises(SetupError) as exc:
        holidays.build(PACKAGE, [("data/holidays/2031.toml", body)])
    assert "data/holidays/2031.toml" in exc.value.en and words in exc.value.en
    assert exc.value.exit_code == 4


def test_a_file_named_for_another_year_is_refused() -> None:
    with pytest.raises(SetupError, match="does not match"):
        holidays.build(PACKAGE, [("2031.toml", 'year = 2032\nsource = "x"')])


KNOWN_DAYS = st.dates(min_value=date(2005, 1, 1), max_value=date(LAST, 10, 1))


@settings(max_examples=400, deadline=None)
@given(event=KNOWN_DAYS, n=st.integers(min_value=1, max_value=60))
def test_a_calendar_day_due_date_is_never_a_rest_day(event: date, n: int) -> None:
    result = CAL.after(event, n, "days")
    assert not result.provisional
    assert CAL.is_working(result.day)
    assert result.day >= event + timedelta(days=n)
    skipped = event + timedelta(days=n)
    while skipped < result.day:  # everything it moved over was a rest day (art. 203)
        assert CAL.is_rest(skipped)
        skipped += timedelta(days=1)


@settings(max_examples=300, deadline=None)
@given(event=KNOWN_DAYS, n=st.integers(min_value=1, max_value=30))
def test_a_working_day_period_counts_exactly_its_working_days(event: date, n: int) -> None:
    result = CAL.after(event, n, "working_days")
    assert CAL.is_working(result.day)
    days = [event + timedelta(days=i) for i in range(1, (result.day - event).days + 1)]
    assert sum(CAL.is_working(d) for d in days) == n
    assert CAL.floor(event, n, "working_days") <= result.day


def test_the_shipped_calendar_knows_2026_with_its_make_up_days() -> None:
    cal = holidays.calendar()
    assert cal.known(2026)
    assert cal.is_working(date(2026, 10, 10)) and cal.is_working(date(2026, 9, 20))
    assert cal.is_rest(date(2026, 10, 8)) is False and cal.is_rest(date(2026, 10, 1))


@settings(max_examples=200, deadline=None)
@given(st.dates(date(2025, 1, 1), date(UNKNOWN, 12, 31)), st.integers(1, 40),
       st.sampled_from(["days", "working_days", "months"]), st.booleans())
def test_after_kept_answers_are_the_counted_ones(event: date, n: int, unit: str, roll: bool) -> None:
    """Calendar.after keeps its answers: asked twice, on a fresh calendar, it gives what counting gives."""
    fresh = Calendar(holidays.build(PACKAGE, []))
    counted = fresh._after_counted(event, n, unit, roll)
    assert fresh.after(event, n, unit, roll=roll) == counted
    assert fresh.after(event, n, unit, roll=roll) is fresh.after(event, n, unit, roll=roll)
    assert CAL.after(event, n, unit, roll=roll) == counted


def test_a_kept_answer_never_answers_a_bad_length() -> None:
    CAL.after(date(2026, 3, 2), 1, "days")
    with pytest.raises(ValueError):
        CAL.after(date(2026, 3, 2), True, "days")
