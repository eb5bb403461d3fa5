"""engine.store.bulk converts each distinct value once, and never hands one value another's conversion."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from engine.store.bulk import _convert

CST = timezone(timedelta(hours=8))


def _counting() -> tuple[list[Any], Any]:
    seen: list[Any] = []

    def proc(value: Any) -> str:
        seen.append(value)
        return f"{value!r}"

    return seen, proc


def test_equal_dates_and_datetimes_made_separately_are_converted_once() -> None:
    seen, proc = _counting()
    values = [datetime(2026, 3, 2, 9, tzinfo=CST) for _ in range(5)] + [date(2026, 3, 2) for _ in range(4)]
    out = _convert(values, proc)
    assert len(seen) == 2
    assert out == [repr(values[0])] * 5 + [repr(values[5])] * 4


def test_one_instant_at_two_offsets_is_converted_for_each() -> None:
    seen, proc = _counting()
    east, utc = datetime(2026, 3, 2, 9, tzinfo=CST), datetime(2026, 3, 2, 1, tzinfo=UTC)
    assert east == utc
    assert _convert([east, utc, east], proc) == [repr(east), repr(utc), repr(east)]
    assert len(seen) == 2


def test_a_date_is_never_taken_for_the_datetime_of_its_midnight() -> None:
    _, proc = _counting()
    day, midnight = date(2026, 3, 2), datetime(2026, 3, 2)
    assert _convert([day, midnight, None], proc) == [repr(day), repr(midnight), None]


def test_equal_dicts_are_converted_each_unless_they_are_one_object() -> None:
    seen, proc = _counting()
    shared = {"a": 1}
    assert _convert([shared, shared, {"a": 1}], proc) == ["{'a': 1}"] * 3
    assert len(seen) == 2
