"""engine.store.bulk converts each distinct value once, and never hands one value another's conversion; each
column's way of converting is chosen once per statement, from the column's type."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from engine.store.bulk import _by_object, _by_value, _converters
from engine.store.tables import case_t, event_t

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
    out = _by_value(proc)(values)
    assert len(seen) == 2
    assert out == [repr(values[0])] * 5 + [repr(values[5])] * 4


def test_one_instant_at_two_offsets_is_converted_for_each() -> None:
    seen, proc = _counting()
    east, utc = datetime(2026, 3, 2, 9, tzinfo=CST), datetime(2026, 3, 2, 1, tzinfo=UTC)
    assert east == utc
    assert _by_value(proc)([east, utc, east]) == [repr(east), repr(utc), repr(east)]
    assert len(seen) == 2


def test_a_date_is_never_taken_for_the_datetime_of_its_midnight() -> None:
    _, proc = _counting()
    day, midnight = date(2026, 3, 2), datetime(2026, 3, 2)
    assert _by_value(proc)([day, midnight, None]) == [repr(day), repr(midnight), None]


def test_equal_dicts_are_converted_each_unless_they_are_one_object() -> None:
    seen, proc = _counting()
    shared = {"a": 1}
    assert _by_object(proc)([shared, shared, {"a": 1}]) == ["{'a': 1}"] * 3
    assert len(seen) == 2


def test_each_column_is_converted_by_its_type() -> None:
    """Dates and instants by value (an event's own datetime equals the batch's others), anything else (JSON,
    booleans) by object; a column without a converter stays without."""
    seen, proc = _counting()
    names = ["occurred_at", "data", "seq"]
    occurred, data, seq = _converters(event_t, names, [proc, proc, None])
    assert seq is None
    assert occurred is not None and data is not None
    occurred([datetime(2026, 3, 2, 9, tzinfo=CST) for _ in range(3)])
    data([{"a": 1} for _ in range(3)])
    assert len(seen) == 1 + 3
    offered, = _converters(case_t, ["offered_on"], [proc])
    assert offered is not None
    offered([date(2026, 3, 2), date(2026, 3, 2)])
    assert len(seen) == 1 + 3 + 1


# engine.store.lite.converted: write_many's bind converters, by the kind the generated statement gives each column.


def test_write_many_s_instants_are_converted_once_per_instant_and_each_as_its_own_utc_text() -> None:
    from engine.store.lite import _BIND, converted

    utc = _BIND["sqlite"]["utc"]
    east = [datetime(2026, 3, 2, 9, tzinfo=CST) for _ in range(3)]
    same_instant = datetime(2026, 3, 2, 1, tzinfo=UTC)
    later = datetime(2026, 3, 2, 9, tzinfo=UTC)
    values = [*east, same_instant, later, None]
    assert converted(values, utc, by_object=False) == [utc(v) for v in values]
    seen, proc = _counting()
    converted(values, proc, by_object=False)
    assert len(seen) == 3  # 09:00 +08:00 and 01:00 UTC are one instant, so one text; 09:00 UTC; None


def test_write_many_s_dates_and_flags_by_value_and_its_data_by_object() -> None:
    from engine.store.lite import _BIND, converted

    binds = _BIND["sqlite"]
    days = [date(2026, 3, 2), date(2026, 3, 2), date(2026, 3, 3), None]
    assert converted(days, binds["date"], by_object=False) == ["2026-03-02", "2026-03-02", "2026-03-03", None]
    assert converted([True, 1, False, 0, None], binds["bool"], by_object=False) == [1, 1, 0, 0, None]
    shared = {"主题": ["工资"]}
    data = [shared, shared, {"主题": ["工资"]}, {"b": 2}, None]
    seen, proc = _counting()
    assert converted(data, proc, by_object=True) == [repr(v) for v in data]
    assert len(seen) == 4  # the shared dict once; the equal one of its own; None converted too (JSON null)
    assert converted(data, binds["json"], by_object=True) == ['{"主题":["工资"]}'] * 3 + ['{"b":2}', "null"]


def test_only_kinds_whose_text_follows_the_value_are_converted_by_value() -> None:
    """A local wall time's text depends on the offset an instant came with, so it may not share a conversion."""
    from engine.store.lite import _BY_VALUE

    assert _BY_VALUE == {"utc", "date", "bool"}


def test_a_save_s_event_columns_are_its_event_rows_column_by_column() -> None:
    """repository.event_columns (what a save writes) holds, column by column, the very rows _event_values makes:
    every kind, a void's and an amendment's corrected seq, a login's name filled in where the event has none."""
    from engine.case import Event
    from engine.store.repository import EVENT_COLUMNS, _event_values, event_columns

    at = datetime(2026, 3, 2, 9, tzinfo=CST)
    events = [
        Event(7, 1, "opened", at, at, "zhang", data={"workflow": "enterprise_wage@2"}),
        Event(7, 2, "transition", at, at, "zhang", "send_offer", "targeted", "offered", 3, {"level": "upper"}, "备注"),
        Event(7, 3, "void", at, at, "li", data={"voids": 2, "reason": "录错"}, actor_name="李四"),
        Event(7, 4, "amendment", at, at, "wang", data={"amends": "2", "at": at.isoformat(), "data": {}}),
    ]
    names = {"zhang": "张三", "wang": "王五"}
    columns = event_columns(events, names)
    assert tuple(columns) == EVENT_COLUMNS
    assert [list(row) for row in zip(*columns.values())] == [_event_values(e, names) for e in events]
    assert columns["corrects"] == [None, None, 2, 2] and columns["actor_name"] == ["张三", "张三", "李四", "王五"]
