"""Counselor import: the registration form's fields (CLI.md), checked by engine.counselor's rules.

A counselor is identified by organisation, name and birth date: every row names its union (所属工会), and
two people of the same name in one union are told apart by birth date; a row without one is the one person of
that name there, as `counselor add` finds them (a move to another union is a new registration there; the old one
keeps its cases). A column the file does not have, or an empty cell, keeps what the database says. The form's
column 聘用期限 (2015年1月1日-2017年12月31日) is read as term_start and term_end; 序号 and 年龄 are ignored.
The registration form itself (bargain counselor form's 登记表) is a report and is refused as one: it has no
union column and ages for birth dates, so its people would be registered twice.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from engine import registration
from engine.counselor import check_registration, normalize_gender, normalize_kind, normalize_status
from engine.errors import DataError, RefusedError
from engine.imports.columns import CellError, Column, Parser, day, name_text, plain, term, text
from engine.imports.core import Issue, Kind, Outcome, Row
from engine.imports.lookup import Orgs
from engine.store.directory import COUNSELOR_FIELDS
from engine.store.tables import counselor_t


def _words(norm: Callable[[Any], str], zh: str) -> Parser:
    def parse(value: Any) -> str:
        try:
            return norm(text(value))
        except ValueError as exc:
            raise CellError(f"{zh} {text(value)} 无效（{str(exc).split('(')[-1].rstrip(')')}）", str(exc),
                            rule=f"counselor_{norm.__name__.removeprefix('normalize_')}") from None

    return parse


COLUMNS = (
    Column("name", "指导员姓名", name_text, ("姓名", "名字"), required=True),
    Column("gender", "性别", _words(normalize_gender, "性别"), ("sex",)),
    Column("birth_date", "出生日期", day, ("出生年月日", "出生年月", "生日", "birthday", "born")),
    Column("education", "学历", plain, ("文化程度", "最高学历")),
    Column("training", "参加相关培训情况", plain, ("培训情况", "培训", "参加培训情况")),
    Column("employer", "所在单位名称", plain, ("所在单位", "工作单位", "单位名称", "单位")),
    Column("kind", "类别", _words(normalize_kind, "类别"), ("指导员类别", "专兼职", "专职/兼职", "专职或兼职", "type")),
    Column("background", "从业背景", plain, ("背景", "工作经历", "原工作单位及职务", "原单位及职务", "原职务")),
    Column("status", "状态", _words(normalize_status, "状态"), ("在职状态", "人员状态", "在职情况", "退休/离岗/在职")),
    Column("term_start", "聘用开始日期", day, ("聘期开始", "聘用起始日期", "聘用开始", "聘期起")),
    Column("term_end", "聘用结束日期", day, ("聘期结束", "聘用截止日期", "聘用结束", "聘期止")),
    Column("term", "聘用期限", term, ("聘期",)),
    Column("phone", "联系电话", text, ("电话", "手机", "手机号码", "联系方式")),
    Column("org_code", "所属工会", plain, ("聘用工会", "工会代码", "组织代码", "所属工会代码", "org"), required=True),
)
DEFAULTS: dict[str, Any] = {"gender": "", "birth_date": None, "education": "", "training": "", "employer": "",
                            "kind": "part_time", "background": "", "status": "in_service", "term_start": None,
                            "term_end": None, "phone": "", "org_code": ""}
# Which column a refusal of engine.counselor's rules points at.
RULE_COLUMN = {"counselor_name": "name", "counselor_kind": "kind", "counselor_status": "status",
               "full_time_is_retired_or_off_post": "status", "full_time_employed_by_union": "org_code",
               "counselor_term": "term_end", "counselor_birth_date": "birth_date"}


class CounselorImport(Kind):
    """Counselors, keyed by (organisation, name, birth date)."""

    name = "counselor"
    zh = "指导员"
    columns = COLUMNS
    batch = 500

    def prepare(self, conn: Connection) -> None:
        self.orgs = Orgs(conn)
        self.existing: dict[Hashable, list[Any]] = {}
        self.named: dict[Hashable, list[Any]] = {}  # (org, name): a row without a birth date is the one person so called
        for r in conn.execute(sa.select(counselor_t).where(counselor_t.c.merged_into.is_(None)).order_by(counselor_t.c.id)):
            self.existing.setdefault((r.org_code or "", r.name, r.birth_date), []).append(r)
            self.named.setdefault((r.org_code or "", r.name), []).append(r)

    def no_header(self, rows: list[list[Any]]) -> None:
        """The registration form (bargain counselor form, or the notice's form filled by hand) is refused as what it
        is: it has no 所属工会 and no birth dates (only ages), so its rows would be registered again, without a union."""
        for cells in rows:
            first = next((text(c) for c in cells if text(c)), "")
            if first.startswith((registration.TITLE, registration.HEADER_LABELS[0])):
                raise DataError(
                    f"{self.file} 是《{registration.TITLE}》（报送用的表），不是导入文件：表中没有「所属工会」和「出生日期」，"
                    "导入会把表中的人再登记一次",
                    f"{self.file} is the registration form ({registration.TITLE}), a report, not an import file: it has no "
                    "所属工会 (org_code) and no birth dates, so its people would be registered a second time",
                    hint_zh="请用导入文件的列：指导员姓名、出生日期、类别、状态、所属工会……（见 bargain counselor import --help）",
                    hint_en="use an import file's columns: name, birth_date, kind, status, org_code ... "
                            "(see bargain counselor import --help)", rule="registration_form")

    def check(self, row: Row) -> list[Any]:
        v = row.values
        if "term" in v:
            start, end = v.pop("term")
            if "term_start" not in v and start is not None:
                v["term_start"] = start
            if "term_end" not in v and end is not None:
                v["term_end"] = end
            row.given = frozenset((row.given - {"term"}) | {k for k in ("term_start", "term_end") if k in v})
        return []

    def lookups(self, row: Row) -> list[Issue]:
        return self.org_issues(self.orgs, row)

    def key(self, row: Row) -> Hashable:
        org = row.values.get("org_code", "")
        return (self.orgs.resolve(org) or org, row.values["name"], row.values.get("birth_date"))

    def key_columns(self) -> tuple[str, ...]:
        return ("name", "org_code", "birth_date")

    def apply(self, conn: Connection, rows: list[Row]) -> list[tuple[Row, Outcome]]:
        out: list[tuple[Row, Outcome]] = []
        for row in rows:
            given = {k: v for k, v in row.values.items() if k in row.given}
            org = given.get("org_code", "")
            if org:
                found = self.orgs.resolve(org)
                assert found is not None, "lookups() refused the row of an unknown organisation"
                given["org_code"] = org = found
            birth = given.get("birth_date")
            matches = self.existing.get((org, given["name"], birth), []) if birth else self.named.get((org, given["name"]), [])
            if len(matches) > 1:
                zh, en = (("同名、同单位、同出生日期", "share this name, union and birth date") if birth else
                          ("同名、同单位，请填写出生日期以区分", "share this name and union: give the birth date to tell them apart"))
                out.append((row, [self.issue(row, "name", f"已登记的指导员中有 {len(matches)} 人与此行{zh}",
                                             f"{len(matches)} registered counselors {en}", rule="counselor_identity")]))
                continue
            before = matches[0] if matches else None
            current = {k: getattr(before, k) for k in COUNSELOR_FIELDS} if before is not None else dict(DEFAULTS)
            values = {**current, **given}
            try:
                check_registration(values, today=date.today())
            except RefusedError as exc:
                col = RULE_COLUMN.get(exc.rule, "name")
                if col == "term_end" and self.header is not None:  # the column the file has: 聘用期限 as typed, often
                    col = next((c for c in ("term_end", "term", "term_start") if c in self.header.index), col)
                out.append((row, [self.issue(row, col, exc.zh, exc.en, rule=exc.rule, source=exc.source)]))
                continue
            values["org_path"] = self.orgs.path.get(org, "") if org else ""
            if before is None:
                conn.execute(counselor_t.insert().values(**values))
                out.append((row, "inserted"))
            elif all(values[k] == current[k] for k in COUNSELOR_FIELDS) and before.org_path == values["org_path"]:
                out.append((row, "unchanged"))
            else:
                conn.execute(counselor_t.update().where(counselor_t.c.id == before.id).values(**values))
                out.append((row, "updated"))
        return out
