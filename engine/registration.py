"""The registration form (集体协商专职指导员登记表) of the Dalian notice, as data: title, header line, the nine
columns in the notice's order, one row per full-time counselor, and the two notes printed under the table.
Pure: the writers (engine/form_sheet.py) turn it into a spreadsheet."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

TITLE = "集体协商专职指导员登记表"
HEADER_LABELS = ("填报单位", "填表人", "联系电话", "填报日期")
COLUMNS = ("序号", "指导员姓名", "性别", "年龄", "学历", "参加相关培训情况", "所在单位名称", "聘用期限（年月日-年月日）", "联系电话")
# English keys of the same columns, for CSV readers that want them (and for tests).
COLUMN_KEYS = ("no", "name", "gender", "age", "education", "training", "employer", "term", "phone")
NOTES = (
    "注：1.专职集体协商指导员是指曾经在党政机关、各级工会组织、教学科研单位、企业人力资源或财务部门、法律事务等机构供职，"
    "现已退休或离岗并由工会组织聘用、领导和管理的专门负责指导、帮助和参与基层职工方与企业方进行集体协商，签订各类集体合同的人员。"
    "目前各级工会和人社局等单位中负责集体协商工作的在职人员只能视为兼职指导员，均不是专职指导员；",
    "2.各区市县总工会、先导区总工会、产业工会将此表填好后请于4月17日前报市总民管部。",
)


@dataclass(frozen=True)
class Form:
    """One filled-in registration form."""

    unit: str
    filler: str
    phone: str
    filled_on: date
    rows: tuple[tuple[Any, ...], ...]

    @property
    def header(self) -> tuple[str, str, str, str]:
        """The four parts of the header line, label and value: 填报单位：…, 填表人：…, 联系电话：…, 填报日期：…"""
        values = (self.unit, self.filler, self.phone, cn_date(self.filled_on))
        return tuple(f"{label}：{value}" for label, value in zip(HEADER_LABELS, values))  # type: ignore[return-value]


def cn_date(d: date) -> str:
    """2015年1月1日 (no leading zeros, as the notice writes dates)."""
    return f"{d.year}年{d.month}月{d.day}日"


def age_on(birth: date, on: date) -> int:
    """Age in whole years on a day: one less when that year's birthday has not come yet (29 Feb counts from 1 Mar)."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def term_text(start: date | None, end: date | None) -> str:
    """聘用期限 as the column asks (年月日-年月日): 2015年1月1日-2017年12月31日; a missing end is left open."""
    if start is None and end is None:
        return ""
    return f"{cn_date(start) if start else ''}-{cn_date(end) if end else ''}"


def form_row(no: int, c: Mapping[str, Any], on: date) -> tuple[Any, ...]:
    """One counselor as a row of the form, in the notice's column order."""
    birth = c.get("birth_date")
    return (
        no,
        c.get("name") or "",
        c.get("gender") or "",
        age_on(birth, on) if isinstance(birth, date) else "",
        c.get("education") or "",
        c.get("training") or "",
        c.get("employer") or "",
        term_text(c.get("term_start"), c.get("term_end")),
        c.get("phone") or "",
    )


def build(counselors: Iterable[Mapping[str, Any]], *, unit: str, filled_on: date, filler: str = "",
          phone: str = "") -> Form:
    """The form for a reporting unit: its full-time counselors only (note 1: part-time ones are not listed), 序号 1..n."""
    full_time = [c for c in counselors if c.get("kind") == "full_time"]
    rows = tuple(form_row(i, c, filled_on) for i, c in enumerate(full_time, start=1))
    return Form(unit=unit, filler=filler, phone=phone, filled_on=filled_on, rows=rows)
