"""Enterprise import: credit_code, name, org_code, industry, employees, has_union (CLI.md), set-based.

An enterprise is identified by its 统一社会信用代码. A column the file does not have, or a cell left
empty, keeps what the database already says (and takes the default for a new enterprise), so a file of
names only does not reset head counts.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from engine.imports.columns import Column, count, credit_code, name_text, plain, yes_no
from engine.imports.core import Issue, Kind, Outcome, Row
from engine.imports.lookup import Orgs
from engine.store import rollups
from engine.store.bulk import insert_rows, update_rows
from engine.store.directory import refresh_case_copies
from engine.store.tables import enterprise_t

COLUMNS = (
    Column("credit_code", "统一社会信用代码", credit_code,
           ("社会信用代码", "信用代码", "统一信用代码", "统一代码", "uscc", "credit code"), required=True),
    Column("name", "企业名称", name_text, ("名称", "单位名称", "企业", "enterprise", "enterprise_name", "company"), required=True),
    Column("org_code", "所属工会", plain, ("所属工会代码", "工会代码", "组织代码", "所属组织", "org", "organisation",
                                        "organization"), required=True),
    Column("industry", "行业", name_text, ("所属行业", "行业类别", "行业分类")),
    Column("employees", "职工人数", count, ("职工数", "人数", "员工人数", "从业人数", "workers", "employee_count")),
    Column("has_union", "是否建会", yes_no, ("建会", "建会情况", "是否建立工会", "已建会", "union")),
)
FIELDS = ("credit_code", "name", "org_code", "org_path", "industry", "employees", "has_union")
DEFAULTS: dict[str, Any] = {"industry": "", "employees": 0, "has_union": True}


class EnterpriseImport(Kind):
    """Enterprises, keyed by credit code."""

    name = "enterprise"
    zh = "企业"
    columns = COLUMNS
    batch = 2000

    def prepare(self, conn: Connection) -> None:
        self.orgs = Orgs(conn)

    def lookups(self, row: Row) -> list[Issue]:
        return self.org_issues(self.orgs, row)

    def key(self, row: Row) -> Hashable:
        return row.values["credit_code"]

    def key_columns(self) -> tuple[str, ...]:
        return ("credit_code",)

    def apply(self, conn: Connection, rows: list[Row]) -> list[tuple[Row, Outcome]]:
        codes = [r.values["credit_code"] for r in rows]
        cols = [enterprise_t.c[f] for f in FIELDS]
        old = {r.credit_code: r for r in conn.execute(sa.select(*cols).where(enterprise_t.c.credit_code.in_(codes)))}
        inserts: list[list[Any]] = []
        updates: list[list[Any]] = []
        out: list[Outcome] = []
        for row in rows:
            org = self.orgs.resolve(row.values["org_code"])
            assert org is not None, "lookups() refused the row of an unknown organisation"
            given = dict(row.values)  # the cells the row fills
            given["org_code"] = org
            given["org_path"] = self.orgs.path[org]
            before = old.get(row.values["credit_code"])
            if before is None:
                values = {**DEFAULTS, **given}
                inserts.append([values[f] for f in FIELDS])
                out.append("inserted")
                continue
            current = dict(before._mapping)
            values = {**current, **given}
            if all(values[f] == current[f] for f in FIELDS):
                out.append("unchanged")
            else:
                updates.append([values["credit_code"], *(values[f] for f in FIELDS[1:])])
                out.append("updated")
        written = {str(v[FIELDS.index("org_path")]) for v in (*inserts, *updates)}  # their coverage's denominators
        written |= {str(old[u[0]].org_path) for u in updates}  # ... and the paths they leave
        rollups.enterprises_written(conn, written)
        if inserts:
            insert_rows(conn, enterprise_t, FIELDS, inserts)
        if updates:
            update_rows(conn, enterprise_t, "credit_code", FIELDS[1:], updates)
            refresh_case_copies(conn, [u[0] for u in updates])  # the ent_* copies on their case rows
        return list(zip(rows, out))

