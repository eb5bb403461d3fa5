"""The funnel of a campaign year: how many cases reached each state, how many are there now, and the
median days between the main steps, so a manager sees where cases stall.

Reached states come from one SQL aggregate over the transition events of the year's cases (the
event log is the truth, so a state left again, e.g. `suspended`, still counts as reached). Medians
are not portable SQL (PostgreSQL has percentile_cont, SQLite nothing), so SQL counts the cases by
number of days for each step (a few hundred distinct values however many cases: memory stays flat
for a national cohort) and the exact median is read off those counts in Python.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from engine import registry
from engine.case import TRANSITION
from engine.reports import scope as sc
from engine.reports.model import DAYS, RATE, Aside, Chart, Column, Report, Section, rate
from engine.store import rollups
from engine.store.repository import not_voided
from engine.store.tables import case_t, event_t, org_t

COLUMNS = (
    Column("reached", "曾达到", "reached"),
    Column("share", "占要约数", "share of offers", RATE),
    Column("now", "目前停留", "there now"),
)

STEPS = (
    ("offer_to_reply", "要约→答复", "offer → reply"),
    ("reply_to_signing", "应约→签订", "acceptance → signing"),
    ("signing_to_effect", "签订→生效", "signing → in force"),
)

DEFINITIONS: dict[str, tuple[str, str]] = {
    "cohort": ("统计对象：首次要约在该年度发出的案件，含辖区内区域性、行业性工会的案件（按案件计）",
               "the cases whose first offer was sent in the year, regional and industry cases of the subtree's unions "
               "included (counted by case)"),
    "reached": ("曾进入该状态的案件数（按事件记录；离开后仍计入，如中止后恢复）",
                "cases that entered the state at some point (from the event log; a state left again still counts)"),
    "share": ("曾达到数 ÷ 要约数", "reached / offers"),
    "now": ("目前处于该状态的案件数：案件停在哪里", "cases in that state now: where cases stall"),
    "offer_to_reply": ("企业收到（最近一次）要约之日至书面答复（应约、拒绝或逾期）之日的天数中位数",
                       "median days from the employer's receipt of the (latest) offer to its reply (accepted, refused or lapsed)"),
    "reply_to_signing": ("应约之日至双方首席代表签字之日的天数中位数", "median days from acceptance to signing"),
    "signing_to_effect": ("签字之日至合同生效（审查通过或期满无异议）之日的天数中位数",
                          "median days from signing to the contract taking effect (review passed or lapsed)"),
}


def _days_between(conn: Connection, start: Any, end: Any) -> Any:
    """Whole days from one date column to another, in the connection's dialect."""
    if conn.dialect.name == "sqlite":
        return sa.cast(sa.func.julianday(end) - sa.func.julianday(start), sa.Integer)
    return sa.type_coerce(end - start, sa.Integer)  # PostgreSQL: date - date is an integer


def _median(counts: dict[int, int]) -> dict[str, Any]:
    """The median (as statistics.median gives it: the middle value, or the mean of the two middle ones) of
    values given as {value: how many}."""
    n = sum(counts.values())
    if not n:
        return {"days": None, "cases": 0}
    wanted = sorted({(n - 1) // 2, n // 2})
    found: list[int] = []
    seen = 0
    for value in sorted(counts):
        seen += counts[value]
        while wanted and wanted[0] < seen:
            found.append(value)
            wanted.pop(0)
    days: Any = found[0] if n % 2 else (found[0] + found[-1]) / 2
    return {"days": days, "cases": n}


def _step_counts(conn: Connection, cohort: Any, start: Any, end: Any, *cond: Any) -> dict[int, int]:
    d = _days_between(conn, start, end).label("d")
    q = sa.select(d, sa.func.count()).where(cohort, start.is_not(None), end.is_not(None), *cond).group_by(d)
    return {int(days): int(n) for days, n in conn.execute(q)}


def funnel(conn: Connection, *, year: int, org: str | None = None, workflow: str | None = None, lang: str = "zh",
           kept: bool = True) -> Report:
    """The funnel report of a campaign year for an organisation's subtree. The enterprises' cases are read from
    the counts kept per organisation path and year (engine/store/rollups.py), the few regional and industry
    cases from their rows; with kept=False both from the bare SQL."""
    scope = sc.resolve(conn, org)
    spec = registry.spec(workflow or registry.DEFAULT_WORKFLOW)
    c, ev = case_t.c, event_t.c
    # Two cohorts, each read by its own index: the enterprises' cases (ix_bcase_campaign, by path) and the
    # regional and industry cases of the subtree's unions (by party_org; `>= ''` is IS NOT NULL as a range).
    unions = sa.select(org_t.c.code).where(sc.in_scope(scope, org_t.c.path))
    cohorts = [sa.and_(c.offer_year == year, sc.in_scope(scope, c.ent_path)),
               # offer_year + 0: no index on it, so the planner reads the few regional rows by party_org (SQLite without
               # ANALYZE otherwise scanned the whole year by ix_bcase_year)
               sa.and_(c.offer_year + sa.literal_column("0") == year, c.party_org >= sa.literal_column("''"),
                       c.party_org.in_(unions))]
    if workflow:
        cohorts = [sa.and_(cohort, c.workflow == spec.name) for cohort in cohorts]
    joined = event_t.join(case_t, case_t.c.id == ev.case_id)
    counts: dict[str, tuple[int, int]] = {}
    steps: dict[str, dict[int, int]] = {key: {} for key, _, _ in STEPS}
    if kept:
        cohorts = cohorts[1:]
        kids = [f"{scope.path}{code}/" for code in scope.children]
        for measure, n in rollups.funnel_sums(conn, scope.path, kids, year, spec.name if workflow else None).items():
            kind, _, rest = measure.partition(":")
            if kind == "days":
                step, _, days_text = rest.rpartition(":")
                steps[step][int(days_text)] = steps[step].get(int(days_text), 0) + n
            elif kind in ("reached", "now"):
                had = counts.get(rest, (0, 0))
                counts[rest] = (had[0] + n, had[1]) if kind == "reached" else (had[0], had[1] + n)
    for cohort in cohorts:
        stmt = (
            sa.select(
                ev.to_state,
                sa.func.count(sa.distinct(ev.case_id)),
                sa.func.count(sa.distinct(sa.case((c.state == ev.to_state, c.id)))),
            )
            .select_from(joined)
            .where(cohort, ev.kind == TRANSITION, not_voided(ev))  # a voided step was a mistake: never reached
            .group_by(ev.to_state)
        )
        for st, reached, now in conn.execute(stmt):
            had = counts.get(str(st), (0, 0))
            counts[str(st)] = (had[0] + int(reached), had[1] + int(now))
        for key, found in (
            ("offer_to_reply", _step_counts(conn, cohort, c.offer_received_on, c.responded_on)),
            ("reply_to_signing", _step_counts(conn, cohort, c.responded_on, c.signed_on, c.response == "accepted")),
            ("signing_to_effect", _step_counts(conn, cohort, c.signed_on, c.effective_on)),
        ):
            for days, n in found.items():
                steps[key][days] = steps[key].get(days, 0) + n
    medians = {key: _median(found) for key, found in steps.items()}
    offers = counts.get("offer_sent", (0, 0))[0]
    order = [s for s in spec.states if s != spec.initial] + sorted(s for s in counts if s not in spec.states)
    rows = []
    for s in order:
        reached, now = counts.get(s, (0, 0))
        label = spec.states[s].zh if s in spec.states and lang == "zh" else (spec.states[s].en if s in spec.states else s)
        rows.append({"state": s, "group_name": label, "reached": reached, "share": rate(reached, offers), "now": now})
    where = f"{scope.name}（{scope.code}）" if scope.code else "全部组织"
    where_en = f"{scope.name} ({scope.code})" if scope.code else "all organisations"
    return Report(
        kind="funnel",
        title_zh=f"{year} 年度案件进度漏斗 · {where}",
        title_en=f"Case funnel {year} · {where_en}",
        meta={"year": year, "org": scope.code, "org_name": scope.name, **({"workflow": spec.name} if workflow else {})},
        group_key="state",
        group_zh="状态",
        group_en="state",
        columns=COLUMNS,
        main=Section(str(year), rows, None),
        definitions=DEFINITIONS,
        chart=Chart(bars=("reached", "now")),
        extra={"offers": offers, "medians": medians},
        asides=(Aside("各环节天数中位数", "Median days per step", "环节", "step",
                      (Column("days", "天数中位数", "median days", DAYS), Column("cases", "案件数", "cases")),
                      [{"step": key, "group_name": zh if lang == "zh" else en, **medians[key]} for key, zh, en in STEPS]),),
        notes=tuple(
            (f"{zh}：中位数 {_days(m['days'], 'zh')}（{m['cases']} 件）", f"{en}: median {_days(m['days'], 'en')} ({m['cases']} cases)")
            for (key, zh, en) in STEPS for m in [medians[key]]
        ),
    )


def _days(value: float | None, lang: str) -> str:
    if value is None:
        return "—"
    return f"{value:g} 天" if lang == "zh" else f"{value:g} days"
