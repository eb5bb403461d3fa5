"""The registration form as data (no database): ages on the form date, the term as the notice writes it, who is listed."""

from __future__ import annotations

from datetime import date

import pytest

from engine.registration import COLUMNS, NOTES, TITLE, age_on, build, cn_date, term_text


@pytest.mark.parametrize("birth, on, age", [
    (date(1958, 5, 12), date(2026, 5, 11), 67),   # the day before the birthday
    (date(1958, 5, 12), date(2026, 5, 12), 68),   # on the birthday
    (date(1958, 5, 12), date(2026, 12, 31), 68),
    (date(1958, 5, 12), date(2026, 1, 1), 67),
    (date(1960, 2, 29), date(2026, 2, 28), 65),   # a 29 February birthday counts from 1 March in common years
    (date(1960, 2, 29), date(2026, 3, 1), 66),
    (date(1960, 2, 29), date(2028, 2, 29), 68),   # and on the day itself in leap years
])
def test_age_is_one_less_until_the_birthday_of_the_form_year(birth: date, on: date, age: int) -> None:
    assert age_on(birth, on) == age


def test_the_term_is_written_as_the_column_heading_asks() -> None:
    assert term_text(date(2015, 1, 1), date(2017, 12, 31)) == "2015年1月1日-2017年12月31日"
    assert term_text(date(2025, 10, 9), None) == "2025年10月9日-"
    assert term_text(None, None) == ""
    assert cn_date(date(2026, 4, 7)) == "2026年4月7日"


def test_the_form_has_the_notices_nine_columns_in_order_and_its_two_notes() -> None:
    assert TITLE == "集体协商专职指导员登记表"
    assert COLUMNS == ("序号", "指导员姓名", "性别", "年龄", "学历", "参加相关培训情况", "所在单位名称",
                       "聘用期限（年月日-年月日）", "联系电话")
    assert NOTES[0].startswith("注：1.专职集体协商指导员是指") and "只能视为兼职指导员" in NOTES[0]
    assert NOTES[1].startswith("2.") and "4月17日前" in NOTES[1]


def test_only_full_time_counselors_are_listed_and_numbered_from_one() -> None:
    people = [
        {"name": "甲", "kind": "full_time", "gender": "男", "birth_date": date(1958, 5, 12), "education": "大专",
         "training": "省总培训", "employer": "市总工会", "term_start": date(2015, 1, 1), "term_end": date(2017, 12, 31),
         "phone": "0411-82610417"},
        {"name": "乙", "kind": "part_time", "gender": "女", "birth_date": date(1985, 4, 2)},
        {"name": "丙", "kind": "full_time", "gender": "女", "birth_date": None},
    ]
    form = build(people, unit="大连市总工会", filled_on=date(2015, 4, 10), filler="张军", phone="82610417")
    assert form.rows == (
        (1, "甲", "男", 56, "大专", "省总培训", "市总工会", "2015年1月1日-2017年12月31日", "0411-82610417"),
        (2, "丙", "女", "", "", "", "", "", ""),
    )
    assert form.header == ("填报单位：大连市总工会", "填表人：张军", "联系电话：82610417", "填报日期：2015年4月10日")
