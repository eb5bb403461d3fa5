"""The organisation subtree a report covers, and the groups its figures are split into.

Grouping by sub-organisation is done in two steps that keep the SQL portable and index-friendly:
the query groups by the enterprise's materialised `org_path` (one row per organisation that has
enterprises, never per case), and the rows are then added up here under the direct child of the
report's organisation that each path passes through. Counts are sums, so the rows of the children
add up to the total exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from engine.errors import DataError
from engine.store import directory
from engine.store.tables import enterprise_t, org_t
from engine.values import clean

BY_ORG = "org"
BY_INDUSTRY = "industry"
BY_SIZE = "size"
GROUPINGS = (BY_ORG, BY_INDUSTRY, BY_SIZE)

# (key, zh, en). 不满 excludes the number, 以上 includes it (民法典 art. 1259).
SIZE_BANDS = (("<50", "不满50人", "< 50 workers"), ("50-99", "50–99人", "50–99 workers"), ("100+", "100人以上", "100+ workers"))
NO_INDUSTRY = ("未填写行业", "industry not given")
ONE: Any = sa.literal_column("1")
ZERO: Any = sa.literal_column("0")


def count_if(cond: Any) -> Any:
    """SUM(CASE WHEN cond THEN 1 ELSE 0 END): a conditional count inside one aggregate."""
    return sa.func.sum(sa.case((cond, ONE), else_=ZERO))


@dataclass(frozen=True)
class Scope:
    """The subtree reported on: its organisation (None: every organisation), path, and direct children."""

    code: str | None
    name: str
    path: str
    children: Mapping[str, str]

    def child_of(self, org_path: str) -> str:
        """The direct child (or the organisation itself, for enterprises attached to it) an org path falls under."""
        rest = org_path[len(self.path):] if org_path.startswith(self.path) else org_path.strip("/")
        head = rest.split("/", 1)[0]
        return head or (self.code or "")


def resolve(conn: Connection, org_code: str | None) -> Scope:
    """The scope of --org; without it, the single top-level organisation if there is one, else everything."""
    if org_code:
        row = directory.org(conn, clean(org_code))  # full-width digits and stray spaces, as typed or pasted
        code, name, path = str(row.code), str(row.name), str(row.path)
    else:
        tops = conn.execute(sa.select(org_t.c.code, org_t.c.name, org_t.c.path).where(org_t.c.parent_code.is_(None))).all()
        if len(tops) == 1:
            code, name, path = str(tops[0].code), str(tops[0].name), str(tops[0].path)
        else:
            return Scope(None, "全部", "/", {str(r.code): str(r.name) for r in sorted(tops, key=lambda r: str(r.code))})
    kids = conn.execute(
        sa.select(org_t.c.code, org_t.c.name).where(org_t.c.parent_code == code).order_by(org_t.c.code)
    ).all()
    return Scope(code, name, path, {str(r.code): str(r.name) for r in kids})


def check_grouping(by: str) -> str:
    """--by, checked."""
    if by not in GROUPINGS:
        raise DataError(f"--by 应为 {'|'.join(GROUPINGS)}，而不是 {by}", f"--by must be one of {'|'.join(GROUPINGS)}, not {by}",
                        rule="group_by", actual=by)
    return by


def in_scope(scope: Scope, path: Any = None) -> Any:
    """The condition selecting the scope (a range on a path column, never LIKE; the enterprise's by default)."""
    return directory.subtree(enterprise_t.c.org_path if path is None else path, scope.path)


def size_band(employees: Any) -> Any:
    """The size band of a head count, as SQL."""
    # Thresholds as literals: the same expression appears in SELECT and GROUP BY, and PostgreSQL
    # only matches them when they are textually equal (bound parameters would differ).
    return sa.case(
        (employees < sa.literal_column("50"), sa.literal_column("'<50'")),
        (employees < sa.literal_column("100"), sa.literal_column("'50-99'")),
        else_=sa.literal_column("'100+'"),
    )


def group_column(by: str, path: Any = None, employees: Any = None) -> Any:
    """The SQL expression a report groups by, before the roll-up to direct children. Path and head count
    default to the enterprise's; case rows pass their copies (ent_path, ent_employees). Industry is the
    enterprise's: grouping by it needs the join."""
    if by == BY_ORG:
        return enterprise_t.c.org_path if path is None else path
    if by == BY_INDUSTRY:
        return sa.func.coalesce(enterprise_t.c.industry, sa.literal_column("''"))
    return size_band(enterprise_t.c.employees if employees is None else employees)


def group_name(scope: Scope, by: str, key: str, lang: str) -> str:
    """A group's label for people."""
    zh = lang == "zh"
    if by == BY_ORG:
        if key == scope.code:
            return f"{scope.name}（直属）" if zh else f"{scope.name} (direct)"
        return scope.children.get(key, key)
    if by == BY_SIZE:
        for k, z, e in SIZE_BANDS:
            if k == key:
                return z if zh else e
        return key
    return key or (NO_INDUSTRY[0] if zh else NO_INDUSTRY[1])


def roll_up(scope: Scope, by: str, raw: Iterable[Sequence[Any]], figures: Sequence[str], *,
            all_groups: bool = True) -> dict[str, dict[str, int]]:
    """Add up rows (raw group, figure, figure, ...) into the report's groups, in display order.

    With all_groups, every direct child (and every size band) gets a row even when it has nothing,
    so a sub-organisation without activity shows as zeros rather than disappearing.
    """
    sums: dict[str, dict[str, int]] = {}
    for row in raw:
        key = scope.child_of(str(row[0])) if by == BY_ORG else str(row[0] if row[0] is not None else "")
        acc = sums.setdefault(key, dict.fromkeys(figures, 0))
        for name, value in zip(figures, row[1:]):
            acc[name] += int(value or 0)
    if by == BY_ORG:
        keys = [k for k in scope.children if all_groups or k in sums]
        if scope.code and scope.code in sums:  # enterprises attached to the organisation itself
            keys.append(scope.code)
        keys += sorted(k for k in sums if k not in keys)
    elif by == BY_SIZE:
        keys = [k for k, _, _ in SIZE_BANDS if all_groups or k in sums]
    else:
        keys = sorted(sums, key=lambda k: (k == "", k))
    return {k: sums.get(k) or dict.fromkeys(figures, 0) for k in keys}


def total_of(groups: Mapping[str, Mapping[str, int]], figures: Sequence[str]) -> dict[str, int]:
    """The sum of the groups' figures."""
    return {f: sum(g[f] for g in groups.values()) for f in figures}
