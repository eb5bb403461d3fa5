"""Organisation import: code, name, kind, parent_code[, jurisdiction] (CLI.md).

The whole file is read before anything is written, because a parent may come after its children:
organisations are then written parents first. A parent that is neither in the file nor in the
database, or a chain of parents that loops, refuses the rows concerned (and, through them, their
children). An empty cell keeps what the database says; an empty jurisdiction inherits the parent's.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from engine import registry
from engine.imports.columns import CellError, Column, choice, code, fold, name_text, text
from engine.imports.core import Kind, Outcome, Row
from engine.imports.lookup import Orgs
from engine.store import directory
from engine.store.tables import org_t

KIND_WORDS = {
    "national": ("全国", "全总", "全国总工会"),
    "province": ("省", "省级", "省总", "省总工会", "自治区", "直辖市"),
    "city": ("市", "市级", "市总", "市总工会", "地市", "地级市"),
    "district": ("区", "县", "区县", "区/县", "区(县)", "县级", "区县级", "区总工会", "县总工会", "开发区", "园区"),
    "industry": ("产业", "行业", "产业工会", "行业工会"),
    "town": ("乡镇", "街道", "镇", "乡", "镇街", "乡镇街道", "街道工会", "乡镇工会"),
    "other": ("其他", "其它"),
}


def jurisdiction(value: Any) -> str:
    """A jurisdiction profile by name or Chinese title (national, shanghai, … / 全国, 上海, …)."""
    wanted = fold(text(value))
    for name, p in registry.profiles().items():
        if wanted in (fold(name), fold(p.title_zh), fold(p.title_zh).removesuffix("市").removesuffix("省")):
            return name
    names = "|".join(sorted(registry.profiles()))
    raise CellError(f"没有地区配置 {text(value)}（可用：{names}）", f"no jurisdiction '{text(value)}' (one of {names})",
                    rule="jurisdiction")


COLUMNS = (
    Column("code", "组织代码", code, ("代码", "工会代码", "单位代码", "org_code"), required=True),
    Column("name", "组织名称", name_text, ("名称", "工会名称", "单位名称"), required=True),
    Column("kind", "类型", choice(KIND_WORDS, "组织类型", "organisation kind"), ("组织类型", "层级", "级别", "type")),
    Column("parent_code", "上级组织代码", code, ("上级代码", "上级工会代码", "上级工会", "上级组织", "parent")),
    Column("jurisdiction", "地区配置", jurisdiction, ("适用地区", "地区", "管辖地区", "profile")),
)


class OrgImport(Kind):
    """Organisations, keyed by code, written parents first once the whole file is read."""

    name = "org"
    zh = "工会组织"
    columns = COLUMNS

    def prepare(self, conn: Connection) -> None:
        self.orgs = Orgs(conn)
        self.held: dict[str, Row] = {}

    def places(self, conn: Connection, orgs: Orgs, row: Row) -> list[str | None]:
        """An organisation's own path when it exists, and its parent's (a new one without a parent: the root)."""
        code, parent = orgs.resolve(str(row.values["code"])), row.values.get("parent_code")
        out: list[str | None] = [orgs.path[code]] if code else []
        if parent:
            known = orgs.resolve(str(parent))
            out += [orgs.path[known]] if known else []  # a parent new in this file is checked on its own row
        elif code is None:
            out.append(None)
        return out

    def check(self, row: Row) -> list[Any]:
        if row.values.get("parent_code") == row.values["code"]:
            return [self.issue(row, "parent_code", "不能是自己的上级", "cannot be its own parent", rule="org_parent")]
        return []

    def key(self, row: Row) -> Hashable:
        return row.values["code"]

    def key_columns(self) -> tuple[str, ...]:
        return ("code",)

    def apply(self, conn: Connection, rows: list[Row]) -> list[tuple[Row, Outcome]]:
        for row in rows:  # held until the whole file is read: a parent may come later
            self.held[row.values["code"]] = row
        return []

    def finish(self, conn: Connection) -> list[tuple[Row, Outcome]]:
        out: list[tuple[Row, Outcome]] = []
        order, refused = self._order()
        for row, issue in refused:
            out.append((row, [issue]))
        existing = {r.code: r for r in conn.execute(sa.select(org_t))}
        for row in order:
            v = row.values
            before = existing.get(v["code"])
            parent = v.get("parent_code") if "parent_code" in row.given else (before.parent_code if before else None)
            parent_path = self.orgs.path.get(parent, "") if parent else "/"
            if parent and f"/{v['code']}/" in parent_path:
                out.append((row, [self.issue(row, "parent_code", f"{parent} 是 {v['code']} 的下级，不能做它的上级",
                                             f"{parent} is below {v['code']}, so it cannot be its parent", rule="org_parent")]))
                continue
            kind = v.get("kind") or (before.kind if before else "other")
            juris = v.get("jurisdiction") or (before.jurisdiction if before else None)
            outcome = directory.upsert_org(conn, v["code"], v["name"], kind, parent, juris)
            path = f"{parent_path}{v['code']}/"
            if before is not None and before.path != path:
                self.orgs = Orgs(conn)  # it moved, and its subtree with it
            self.orgs.add(v["code"], v["name"], path)
            out.append((row, outcome))
        return out

    def _order(self) -> tuple[list[Row], list[tuple[Row, Any]]]:
        """Rows parents first; rows whose parent is missing or loops, with why (their children follow them)."""
        done: list[Row] = []
        state: dict[str, str] = {}  # code -> 'ok' | 'bad'
        refused: list[tuple[Row, Any]] = []

        def visit(code_: str, trail: list[str]) -> bool:
            if state.get(code_) == "ok":
                return True
            if state.get(code_) == "bad":
                return False
            row = self.held[code_]
            parent = row.values.get("parent_code")
            ok = True
            if parent and parent in trail:
                loop = " → ".join([*trail[trail.index(parent):], code_, parent])
                refused.append((row, self.issue(row, "parent_code", f"上级关系形成循环：{loop}",
                                                f"the parents loop: {loop}", rule="org_parent")))
                ok = False
            elif parent and parent in self.held:
                if not visit(parent, [*trail, code_]):
                    p = self.held[parent]
                    refused.append((row, self.issue(row, "parent_code", f"上级 {parent}（第 {p.number} 行）未能导入",
                                                    f"its parent {parent} (row {p.number}) was refused", rule="org_parent")))
                    ok = False
            elif parent and parent not in self.orgs.path:
                zh, en = self.orgs.unknown(parent)
                refused.append((row, self.issue(row, "parent_code", zh, en, rule="org_exists")))
                ok = False
            if state.get(code_) is None:
                state[code_] = "ok" if ok else "bad"
                if ok:
                    done.append(row)
            return state[code_] == "ok"

        for c in list(self.held):
            visit(c, [])
        return done, refused
