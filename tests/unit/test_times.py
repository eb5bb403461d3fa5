"""engine.times: an event's instant is refused exactly when it lies after the recording clock plus the tolerance,
whatever the time zones of the two (check_occurred compares wall days first and instants only near the clock)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.errors import DataError
from engine.times import _TOLERANCE, check_occurred, tz

OFFSETS = st.sampled_from([UTC, tz(), timezone(timedelta(hours=14)), timezone(timedelta(hours=-12)),
                           timezone(timedelta(hours=23, minutes=59)), timezone(timedelta(hours=-23, minutes=-59))])


@given(clock=st.datetimes(min_value=datetime(2001, 1, 1), max_value=datetime(2098, 1, 1)),
       shift=st.timedeltas(min_value=timedelta(days=-5), max_value=timedelta(days=5)),
       at_zone=OFFSETS, clock_zone=OFFSETS)
def test_an_instant_is_refused_exactly_when_it_is_after_the_clock_and_its_tolerance(
        clock: datetime, shift: timedelta, at_zone: timezone, clock_zone: timezone) -> None:
    recorded_at = clock.replace(tzinfo=clock_zone)
    at = (recorded_at + shift).astimezone(at_zone)
    if at > recorded_at + _TOLERANCE:
        with pytest.raises(DataError) as caught:
            check_occurred(at, recorded_at)
        assert caught.value.rule == "event_time"
    else:
        assert check_occurred(at, recorded_at) is at


def test_the_tolerance_itself_is_allowed_and_a_minute_past_it_is_not() -> None:
    recorded_at = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
    check_occurred((recorded_at + _TOLERANCE).astimezone(tz()), recorded_at)
    with pytest.raises(DataError):
        check_occurred((recorded_at + _TOLERANCE + timedelta(minutes=1)).astimezone(tz()), recorded_at)
