"""The registry's rules (Dalian notice, note 1): who may be full-time, and what a registration must say. No database."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from engine.counselor import FULL_TIME_SOURCE, WORKING_AGE_SOURCE, registration
from engine.errors import DataError, RuleError

TODAY = date(2026, 12, 4)
BASE: dict[str, Any] = {"name": "王建国", "kind": "full_time", "status": "retired", "org_code": "320505"}


def test_staff_in_service_cannot_be_registered_full_time_and_the_notice_is_cited() -> None:
    with pytest.raises(RuleError) as err:
        registration({**BASE, "status": "in_service"}, today=TODAY)
    assert err.value.rule == "full_time_is_retired_or_off_post"
    assert err.value.source == FULL_TIME_SOURCE
    assert "兼职" in err.value.message("zh") and "附件注1" in err.value.message("zh")
    assert "part-time" in err.value.message("en")


@pytest.mark.parametrize("status", ["retired", "off_post", "退休", "离岗"])
def test_retired_or_off_post_people_may_be_full_time(status: str) -> None:
    assert registration({**BASE, "status": status}, today=TODAY)["kind"] == "full_time"


def test_staff_in_service_may_be_part_time() -> None:
    assert registration({**BASE, "kind": "兼职", "status": "在职"}, today=TODAY) == {**BASE, "kind": "part_time", "status": "in_service"}


def test_chinese_and_english_spellings_are_normalised() -> None:
    out = registration({**BASE, "kind": " 专职 ", "status": "Off-Post", "gender": "F", "name": " 李秀英\u3000"}, today=TODAY)
    assert (out["kind"], out["status"], out["gender"], out["name"]) == ("full_time", "off_post", "女", "李秀英")


@pytest.mark.parametrize("field, value, rule", [
    ("kind", "contract", "counselor_kind"),
    ("status", "dead", "counselor_status"),
    ("gender", "x", "counselor_gender"),
    ("name", "  ", "counselor_name"),
])
def test_unknown_values_are_refused_by_field(field: str, value: str, rule: str) -> None:
    with pytest.raises(DataError) as err:
        registration({**BASE, field: value}, today=TODAY)
    assert err.value.rule == rule


def test_a_full_time_counselor_needs_the_union_that_employs_them() -> None:
    with pytest.raises(RuleError) as err:
        registration({**BASE, "org_code": ""}, today=TODAY)
    assert err.value.rule == "full_time_employed_by_union"
    registration({**BASE, "kind": "part_time", "status": "in_service", "org_code": ""}, today=TODAY)  # part-time: no such rule


def test_a_term_may_not_end_before_it_starts() -> None:
    with pytest.raises(DataError) as err:
        registration({**BASE, "term_start": date(2017, 12, 31), "term_end": date(2015, 1, 1)}, today=TODAY)
    assert err.value.rule == "counselor_term"
    registration({**BASE, "term_start": date(2015, 1, 1), "term_end": date(2015, 1, 1)}, today=TODAY)  # one day is a term


def test_a_birth_date_after_the_term_start_is_refused() -> None:
    with pytest.raises(DataError):
        registration({**BASE, "birth_date": date(1990, 1, 1), "term_start": date(1989, 1, 1)}, today=TODAY)


def test_a_birth_date_of_someone_under_sixteen_is_refused_with_the_labour_law() -> None:
    registration({**BASE, "birth_date": date(2010, 12, 4)}, today=TODAY)  # sixteen today
    with pytest.raises(DataError) as err:
        registration({**BASE, "birth_date": date(2010, 12, 5)}, today=TODAY)
    assert err.value.rule == "counselor_birth_date" and err.value.source == WORKING_AGE_SOURCE
    registration({**BASE, "birth_date": date(2008, 2, 28)}, today=date(2024, 2, 29))  # 29 Feb: born 28 Feb is sixteen
    with pytest.raises(DataError):
        registration({**BASE, "birth_date": date(2030, 1, 1)}, today=TODAY)  # 2030 typed for 1930
