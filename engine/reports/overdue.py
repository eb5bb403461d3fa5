"""Overdue work: cases past a legal due date they still wait on, by kind of deadline and sub-organisation.

Due dates come from the deadline engine (engine/registry/policy.py over engine/deadline.py: the official calendar,
民法典 arts. 201–203, the jurisdiction's numbers), which is Python, not SQL: the store narrows the cases
with one indexed condition (`next_due` before the day, the earliest any pending deadline can fall due)
and only those candidates are computed and counted.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from engine import registry
from engine.citation import cite_zh
from engine.deadline import OVERDUE
from engine.registry import policy
from engine.reports import scope as sc
from engine.reports.model import INT, Chart, Column, Report, Section
from engine.store import agenda, directory
from engine.store.tables import org_t


def _kinds() -> list[tuple[str, str, str, str]]:
    """Every listed deadline kind of the shipped workflows: (kind, zh, en, legal sources), the default workflow's
    names first; a kind whose period differs between workflows names each source."""
    names: dict[str, tuple[str, str]] = {}
    sources: dict[str, list[str]] = {}
    specs = sorted(registry.specs().values(), key=lambda s: (s.name != registry.DEFAULT_WORKFLOW, s.key))
    for spec in specs:
        for kind, d in spec.deadlines.items():
            if not d.listed:
                continue
            names.setdefault(kind, (d.zh, d.en))
            param = spec.params.get(d.param) if d.param else None
            for part in (d.source or (param.source if param else "")).split(";"):
                if part.strip() and part.strip() not in sources.setdefault(kind, []):
                    sources[kind].append(part.strip())
    return [(k, *names[k], "; ".join(sources.get(k, []))) for k in policy.kinds() if k in names]


def overdue(conn: Connection, *, as_of: date, org: str | None = None, lang: str = "zh") -> Report:
    """Overdue cases on a day in an organisation's subtree, one row per direct sub-organisation."""
    scope = sc.resolve(conn, org)
    kinds = _kinds()
    figures = ["cases", *(k for k, _, _, _ in kinds)]
    in_scope = directory.subtree(org_t.c.path, scope.path)
    paths: dict[str, str] = dict(conn.execute(sa.select(org_t.c.code, org_t.c.path).where(in_scope)).all())
    per_case = []
    for row in agenda.scan(conn, as_of, org=scope.code, status=OVERDUE):
        late = {d.kind for d in row.deadlines}
        per_case.append((paths.get(row.org_code, scope.path), 1, *(int(k in late) for k, _, _, _ in kinds)))
    groups = sc.roll_up(scope, sc.BY_ORG, per_case, figures)
    columns = [Column("cases", "逾期案件", "overdue cases", INT)]
    columns += [Column(k, zh, en, INT) for k, zh, en, _ in kinds]
    rows = [{"group": g, "group_name": sc.group_name(scope, sc.BY_ORG, g, lang), **v} for g, v in groups.items()]
    total = sc.total_of(groups, figures)
    definitions: dict[str, tuple[str, str]] = {
        "cases": ("统计日仍在等待、且已超过法定期限的案件数（一个案件有多项逾期只计一次）",
                  "cases still waiting on a deadline whose due day has passed on the date (once however many)"),
        "due": ("到期日按所在地配置的期限和官方日历计算：期间自事件次日起算，末日为休息日的顺延至下一工作日"
                "（《民法典》第二百零一条至第二百零三条）",
                "due days follow the jurisdiction's periods on the official calendar: a period starts the day after the "
                "event and a last day on a rest day moves to the next working day (Civil Code arts. 201–203)"),
    }
    for k, zh, en, source in kinds:
        definitions[k] = (f"{zh.removesuffix('期限')}期限已过仍未完成的案件数" + (f"（{cite_zh(source)}）" if source else ""),
                          f"cases past the '{en}' deadline" + (f" ({source})" if source else ""))
    shown = tuple(k for k, _, _, _ in kinds if total[k]) or ("cases",)
    where = f"{scope.name}（{scope.code}）" if scope.code else "全部组织"
    where_en = f"{scope.name} ({scope.code})" if scope.code else "all organisations"
    return Report(
        kind="overdue",
        title_zh=f"逾期案件（{as_of.isoformat()}）· {where}",
        title_en=f"Overdue cases on {as_of.isoformat()} · {where_en}",
        meta={"as_of": as_of.isoformat(), "org": scope.code, "org_name": scope.name, "group_by": sc.BY_ORG},
        group_key="group",
        group_zh="下级组织",
        group_en="sub-organisation",
        columns=columns,
        main=Section(as_of.isoformat(), rows, total),
        definitions=definitions,
        chart=Chart(bars=shown),
        extra={"kinds": [k for k, _, _, _ in kinds]},
    )


def overdue_cases(conn: Connection, *, as_of: date, org: str | None = None) -> int:
    """The overdue report's total of cases (its `total.cases`) alone, for the dashboard: counted mostly in SQL
    from the case rows' deadline columns (engine.store.agenda.overdue_count), not case by case."""
    scope = sc.resolve(conn, org)
    return agenda.overdue_count(conn, as_of, org=scope.code)
