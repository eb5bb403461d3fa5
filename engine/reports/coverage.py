"""Coverage (动态建制率) on a date: unionised enterprises with a contract in force, overall and by size (DOMAIN §7).

One SQL aggregate over the enterprises of the subtree, each flagged by whether a contract covers it
on the date. `in_force_on` is the one place that decides "covered": today an enterprise's own case
in force; a regional or industry contract (DOMAIN §4) will add its covered enterprises there with an
OR, and every figure below follows.

By organisation and by size band the report reads the counts kept as changes by day (engine/store/rollups.py,
table coverage_rollup): the organisation's own rows and its direct children's subtree rows up to the day, per band
and union flag. By industry it runs the bare SQL (industry is not kept), as does kept=False; `kept_differences`
(`bargain rollup check`) compares the two.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from engine.reports import scope as sc
from engine.reports.model import INT, RATE, Chart, Column, Report, Section, change_rows, rate
from engine.store import rollups
from engine.store.tables import case_t, enterprise_t
from engine.times import local_date

COUNTS = ("enterprises", "unionised", "covered", "unionised_50", "covered_50", "unionised_100", "covered_100",
          "workers_covered", "enterprises_covered")

# (figure, target, source). The 90% overall and 100% for 50+ are the Suzhou federation's; 90% for 100+ is national.
TARGETS: tuple[tuple[str, float, str, str], ...] = (
    ("coverage", 0.90, "苏州市总工会“集体合同质量年”通知：建制企业达到已建工会企业的90%以上",
     "Suzhou federation notice: at least 90% of unionised enterprises"),
    ("coverage_50", 1.00, "苏州市总工会“集体合同质量年”通知：职工人数50人以上企业全面建立工资协商制度",
     "Suzhou federation notice: every enterprise with 50 or more workers"),
    ("coverage_100", 0.90, "全国目标：100人以上企业建制率90%以上", "national target: at least 90% of enterprises with 100+ workers"),
)

COLUMNS = (
    Column("enterprises", "企业数", "enterprises"),
    Column("unionised", "已建会企业", "unionised"),
    Column("covered", "合同在有效期内", "covered"),
    Column("coverage", "建制率", "coverage", RATE),
    Column("unionised_50", "已建会(50人以上)", "unionised 50+"),
    Column("covered_50", "已建制(50人以上)", "covered 50+"),
    Column("coverage_50", "建制率(50人以上)", "coverage 50+", RATE),
    Column("unionised_100", "已建会(100人以上)", "unionised 100+"),
    Column("covered_100", "已建制(100人以上)", "covered 100+"),
    Column("coverage_100", "建制率(100人以上)", "coverage 100+", RATE),
    Column("enterprises_covered", "合同覆盖企业(含未建会)", "enterprises covered", INT),
    Column("workers_covered", "覆盖职工", "workers covered"),
)

DEFINITIONS: dict[str, tuple[str, str]] = {
    "enterprises": ("范围内的企业数（含未建会）", "enterprises in the subtree (with or without a union)"),
    "unionised": ("已建立工会的企业数（建制率的分母）", "enterprises with a union (the denominator of coverage)"),
    "covered": ("已建会且在统计日有集体合同处于有效期内的企业数：生效日 ≤ 统计日 ≤ 期满日，已到期的不计；"
                "含区域性、行业性集体合同在统计日覆盖的企业（bargain case cover）；一家企业有多份合同只计一次",
                "unionised enterprises with a contract in force on the date: took effect on or before it and its term ends "
                "on or after it (expired contracts drop out), their own or a regional or industry contract covering them on "
                "the date (bargain case cover); counted once however many contracts"),
    "coverage": ("动态建制率 = 合同在有效期内的已建会企业 ÷ 已建会企业；目标 ≥ 90%（苏州）",
                 "coverage = covered / unionised; target ≥ 90% (Suzhou)"),
    "unionised_50": ("职工人数50人以上（含50人）的已建会企业", "unionised enterprises with 50 or more workers"),
    "covered_50": ("其中合同在有效期内的", "of those, covered on the date"),
    "coverage_50": ("50人以上企业建制率；目标 100%（苏州：50人以上企业全面建立工资协商制度）",
                    "coverage among 50+; target 100% (Suzhou: every enterprise with 50+ workers)"),
    "unionised_100": ("职工人数100人以上（含100人）的已建会企业", "unionised enterprises with 100 or more workers"),
    "covered_100": ("其中合同在有效期内的", "of those, covered on the date"),
    "coverage_100": ("100人以上企业建制率；目标 ≥ 90%（全国）", "coverage among 100+; target ≥ 90% (national)"),
    "enterprises_covered": ("统计日有合同处于有效期内的企业数（含未建会企业，如经上级工会要约签订）",
                            "enterprises with a contract in force on the date, with or without a union (e.g. offered by the "
                            "upper level)"),
    "workers_covered": ("统计日合同处于有效期内的企业的职工人数合计（含未建会企业）",
                        "workers of the enterprises with a contract in force on the date (with or without a union)"),
}


def active(retired_on: Any, day: date) -> Any:
    """An enterprise is counted on the day: not retired, or retired after it (enterprise retire --on)."""
    return sa.or_(retired_on.is_(None), retired_on > day)


def _in_force(c: Any, day: date) -> Any:
    """A case row's contract is in force on the day: it took effect on or before it and its term has not ended
    (届满 includes the last day)."""
    return sa.and_(c.effective_on.is_not(None), c.effective_on <= day, c.term_end >= day)


def _regional() -> Any:
    """The coverage table of regional and industry contracts (engine/coverage.py), when this schema has it."""
    from engine.store import tables as store

    return getattr(store, "coverage_t", None)


def _numerators(by: str, per_enterprise: Any) -> Any:
    """Sums over one row per regionally covered enterprise (g_path, g_industry, u, emp), grouped like the rest."""
    f = per_enterprise.c
    g = {sc.BY_ORG: f.g_path, sc.BY_INDUSTRY: f.g_industry, sc.BY_SIZE: sc.size_band(f.emp)}[by].label("g")
    u1 = f.u == sc.ONE
    zero = sc.ZERO
    return sa.select(g, *_labelled(
        zero, zero, sc.count_if(u1), zero, sc.count_if(sa.and_(u1, f.emp >= sa.literal_column("50"))), zero,
        sc.count_if(sa.and_(u1, f.emp >= sa.literal_column("100"))), sa.func.sum(f.emp), sa.func.count(),
    )).group_by(sa.literal_column("g"))


def _labelled(*exprs: Any) -> list[Any]:
    """The figures of COUNTS in order, named (a UNION takes its column names from its first part)."""
    return [x.label(name) for x, name in zip(exprs, COUNTS, strict=True)]


def figures(conn: Connection, scope: sc.Scope, by: str, day: date, *, kept: bool = True) -> dict[str, dict[str, int]]:
    """The additive counts of each group on a day. By organisation or size band from the counts kept as changes by
    day (engine/store/rollups.py, coverage_rollup: the organisation's own rows and each direct child's subtree rows
    up to the day, a few rows per band and union flag for each day something changed); by industry, or with
    kept=False, from the bare SQL (`bare_figures`)."""
    if kept and by in (sc.BY_ORG, sc.BY_SIZE):
        kids = [f"{scope.path}{code}/" for code in scope.children]
        raw = [[band if by == sc.BY_SIZE else path, *counts_of(band, u, a, c, w)]
               for path, band, u, a, c, w in rollups.coverage_sums(conn, scope.path, kids, day)]
        return sc.roll_up(scope, by, raw, COUNTS)
    return sc.roll_up(scope, by, bare_rows(conn, scope, by, day), COUNTS)


def counts_of(band: str, unionised: int, active: int, covered: int, workers: int) -> list[int]:
    """The figures of COUNTS that kept counts of one size band and union flag make."""
    u50, u100 = int(unionised and band != "<50"), int(unionised and band == "100+")
    return [active, active * unionised, covered * unionised, active * u50, covered * u50, active * u100,
            covered * u100, workers, covered]


def bare_figures(conn: Connection, scope: sc.Scope, by: str, day: date) -> dict[str, dict[str, int]]:
    """The additive counts of each group on a day from the bare SQL (`bare_rows`)."""
    return sc.roll_up(scope, by, bare_rows(conn, scope, by, day), COUNTS)


def bare_rows(conn: Connection, scope: sc.Scope, by: str, day: date) -> list[Any]:
    """The additive counts of each raw group (organisation path, industry or size band) on a day, before the roll-up
    to direct children, in one SQL statement of three aggregates added up by group:
    the enterprises of the subtree (denominators, one range scan of ix_enterprise_org_path); the enterprises
    with an own contract in force (one range scan of ix_bcase_in_force in path order, each enterprise once
    however many contracts); and the enterprises covered only by a regional or industry contract (DOMAIN §4)."""
    e, c = enterprise_t.c, case_t.c
    count, zero = sc.count_if, sc.ZERO
    union = e.has_union.is_(True)
    denominators = sa.select(sc.group_column(by).label("g"), *_labelled(
        sa.func.count(), count(union), zero, count(sa.and_(union, e.employees >= sa.literal_column("50"))), zero,
        count(sa.and_(union, e.employees >= sa.literal_column("100"))), zero, zero, zero,
    )).where(sc.in_scope(scope), active(e.retired_on, day)).group_by(sa.literal_column("g"))
    # Own contracts: each in-force case row, unless an earlier in-force case of the same enterprise exists (an
    # enterprise with a comprehensive and a wage contract counts once). The probe reads the same index at the
    # same (path, enterprise), so the whole part is one streaming scan grouped in index order.
    earlier = case_t.alias("earlier")
    first = ~sa.exists().where(earlier.c.ent_path == c.ent_path, earlier.c.enterprise_id == c.enterprise_id,
                               earlier.c.id < c.id, _in_force(earlier.c, day))
    u1 = c.ent_has_union.is_(True)
    # retired by the day (enterprise retire): its contract no longer counts. The few retired enterprises, read once
    # by ix_enterprise_retired, not a probe of the enterprise row for every contract in force.
    gone = sa.select(e.id).where(e.retired_on.is_not(None), ~active(e.retired_on, day))
    own = sa.select(sc.group_column(by, c.ent_path, c.ent_employees).label("g"), *_labelled(
        zero, zero, count(u1), zero, count(sa.and_(u1, c.ent_employees >= sa.literal_column("50"))), zero,
        count(sa.and_(u1, c.ent_employees >= sa.literal_column("100"))), sa.func.sum(c.ent_employees), sa.func.count(),
    )).where(_in_force(c, day), sc.in_scope(scope, c.ent_path), first,
             sa.or_(c.enterprise_id.is_(None), c.enterprise_id.not_in(gone))).group_by(sa.literal_column("g"))
    if by == sc.BY_INDUSTRY:
        own = own.select_from(case_t.join(enterprise_t, e.id == c.enterprise_id))
    parts = [denominators, own]
    cover = _regional()
    if cover is not None:
        rc, other = case_t.alias("rc"), case_t.alias("other")
        has_own = sa.exists().where(other.c.enterprise_id == e.id, _in_force(other.c, day))
        regional = (
            sa.select(
                e.org_path.label("g_path"), sa.func.coalesce(e.industry, sa.literal_column("''")).label("g_industry"), e.id,
                sa.case((union, sc.ONE), else_=zero).label("u"), e.employees.label("emp"),
            )
            .select_from(cover.join(rc, rc.c.id == cover.c.case_id).join(enterprise_t, e.id == cover.c.enterprise_id))
            .where(cover.c.added_on <= day, sa.or_(cover.c.removed_on.is_(None), cover.c.removed_on > day),
                   _in_force(rc.c, day), sc.in_scope(scope), ~has_own, active(e.retired_on, day))
            .distinct()  # covered by several regional contracts: once
        )
        parts.append(_numerators(by, regional.subquery("regional")))
    both = sa.union_all(*parts).subquery("parts")
    cols = list(both.c)
    stmt = sa.select(cols[0], *(sa.func.sum(col) for col in cols[1:])).group_by(cols[0])
    return list(conn.execute(stmt))


def with_rates(counts: Mapping[str, int]) -> dict[str, Any]:
    """Counts plus the coverage rates, in column order."""
    r: dict[str, Any] = dict(counts)
    r["coverage"] = rate(r["covered"], r["unionised"])
    r["coverage_50"] = rate(r["covered_50"], r["unionised_50"])
    r["coverage_100"] = rate(r["covered_100"], r["unionised_100"])
    return {col.key: r[col.key] for col in COLUMNS}


def meets(total: Mapping[str, Any]) -> dict[str, bool | None]:
    """Whether each coverage figure reaches its target (None when there is no enterprise to count)."""
    return {key: (None if total[key] is None else total[key] >= target - 1e-12) for key, target, _, _ in TARGETS}


def _section(scope: sc.Scope, by: str, lang: str, groups: Mapping[str, Mapping[str, int]], label: str) -> Section:
    rows = [{"group": k, "group_name": sc.group_name(scope, by, k, lang), **with_rates(v)} for k, v in groups.items()]
    return Section(label, rows, with_rates(sc.total_of(groups, COUNTS)))


def same_day_in(year: int, day: date) -> date:
    """The same calendar day in another year (29 February becomes the 28th)."""
    try:
        return day.replace(year=year)
    except ValueError:
        return day.replace(year=year, day=28)


def coverage(conn: Connection, *, as_of: date, org: str | None = None, by: str = sc.BY_ORG, compare: int | None = None,
             lang: str = "zh", kept: bool = True) -> Report:
    """The coverage report on a day for an organisation's subtree, optionally beside the same day of another year
    (from the kept counts by organisation and size band; kept=False: the bare SQL)."""
    sc.check_grouping(by)
    scope = sc.resolve(conn, org)
    main = _section(scope, by, lang, figures(conn, scope, by, as_of, kept=kept), as_of.isoformat())
    before = change = None
    other: date | None = None
    if compare is not None:
        other = same_day_in(compare, as_of)
        before = _section(scope, by, lang, figures(conn, scope, by, other, kept=kept), other.isoformat())
        change = change_rows("group", COLUMNS, main, before, f"{as_of.isoformat()} − {other.isoformat()}")
    assert main.total is not None
    targets = {key: target for key, target, _, _ in TARGETS}
    where = f"{scope.name}（{scope.code}）" if scope.code else "全部组织"
    where_en = f"{scope.name} ({scope.code})" if scope.code else "all organisations"
    definitions = dict(DEFINITIONS)
    definitions.update({f"target_{k}": (f"目标 {t:.0%}：{zh}", f"target {t:.0%}: {en}") for k, t, zh, en in TARGETS})
    return Report(
        kind="coverage",
        title_zh=f"集体合同建制率（{as_of.isoformat()}）· {where}",
        title_en=f"Contract coverage on {as_of.isoformat()} · {where_en}",
        meta={"as_of": as_of.isoformat(), "org": scope.code, "org_name": scope.name, "group_by": by},
        group_key="group",
        group_zh={"org": "下级组织", "industry": "行业", "size": "职工人数"}[by],
        group_en={"org": "sub-organisation", "industry": "industry", "size": "size band"}[by],
        columns=COLUMNS,
        main=main,
        definitions=definitions,
        chart=Chart(bars=("unionised", "covered"), rates=("coverage", "coverage_50", "coverage_100"), targets=targets),
        compare=before,
        change=change,
        compare_meta={"as_of": other.isoformat()} if other else {},
        extra={"targets": targets, "meets": meets(main.total)},
        notes=_verdicts(main.total),
    )


def _verdicts(total: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    """Each coverage figure of the total against its target, in words."""
    labels = {c.key: (c.zh, c.en) for c in COLUMNS}
    out = []
    for key, target, _, _ in TARGETS:
        value = total[key]
        zh, en = labels[key]
        if value is None:
            out.append((f"{zh}：无已建会企业，不计算（目标 {target:.0%}）", f"{en}: no unionised enterprise (target {target:.0%})"))
            continue
        met = value >= target - 1e-12
        out.append((f"{zh} {value:.1%}，目标 {target:.0%}：{'已达到' if met else '未达到'}",
                    f"{en} {value:.1%}, target {target:.0%}: {'met' if met else 'not met'}"))
    return tuple(out)


def kept_differences(conn: Connection, days: Iterable[date] | None = None, year: int | None = None) -> list[dict[str, Any]]:
    """Every kept coverage count that differs from the bare SQL, on these days (None: every day on which a count
    may change, `rollups.coverage_days`, and today), only those of one year with `year`: at every organisation path,
    its own enterprises ('' tier) and its subtree ('*'), each figure of COUNTS; and at the root, each size band.
    Sorted by day, path, tier, figure."""
    wanted = set(rollups.coverage_days(conn)) | {local_date(datetime.now(UTC))} if days is None else set(days)
    everything = sc.Scope(None, "全部", "/", {})
    out: list[dict[str, Any]] = []
    for day in sorted(d for d in wanted if year is None or d.year == year):
        bare: dict[tuple[str, str], list[int]] = {}
        for g, *values in bare_rows(conn, everything, sc.BY_ORG, day):
            for key in [(str(g), rollups.OWN), *((a, rollups.SUB) for a in rollups.ancestors(str(g)))]:
                acc = bare.setdefault(key, [0] * len(COUNTS))
                for i, v in enumerate(values):
                    acc[i] += int(v or 0)
        for g, *values in bare_rows(conn, everything, sc.BY_SIZE, day):
            bare[(f"band:{g}", rollups.SUB)] = [int(v or 0) for v in values]
        kept: dict[tuple[str, str], list[int]] = {}
        for (path, tier), rows in rollups.coverage_levels(conn, day).items():
            for band, u, a, c, w in rows:
                for key in [(path, tier), *([(f"band:{band}", rollups.SUB)] if tier == rollups.OWN else [])]:
                    acc = kept.setdefault(key, [0] * len(COUNTS))
                    for i, v in enumerate(counts_of(band, u, a, c, w)):
                        acc[i] += v
        for key in sorted(set(bare) | set(kept)):
            b, k = bare.get(key, [0] * len(COUNTS)), kept.get(key, [0] * len(COUNTS))
            out.extend({"day": day.isoformat(), "path": key[0], "tier": key[1], "figure": name, "kept": kv, "bare": bv}
                       for name, kv, bv in zip(COUNTS, k, b, strict=True) if kv != bv)
    return out
