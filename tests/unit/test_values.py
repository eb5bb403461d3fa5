"""Numbers as people type them (engine/values.py)."""

from __future__ import annotations

import pytest

from engine.values import parse_number


@pytest.mark.parametrize(("typed", "number"), [("5.5", 5.5), ("１２，３４５.６", 12345.6), (" 3 ", 3.0), (7, 7.0), (2.5, 2.5)])
def test_a_number_is_read_as_typed(typed: object, number: float) -> None:
    assert parse_number(typed) == number


@pytest.mark.parametrize("typed", ["nan", "NaN", "inf", "-Infinity", "1e999", float("nan"), float("inf"), 10**400, "", "五", True])
def test_what_is_no_finite_number_is_refused(typed: object) -> None:
    with pytest.raises(ValueError, match="not a"):
        parse_number(typed)
