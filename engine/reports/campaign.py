"""The offer campaign (要约行动) of a year: offers, upper-level offers, acceptances, refusals, contracts (DOMAIN §7).

Offers, acceptances, refusals and pending replies count ENTERPRISES (DOMAIN §7): an enterprise with
several cases in the year counts once, by its latest case of the year (the year's last outcome
decides: a refusal followed by an upper-level re-offer that is accepted is one upper-level offer,
accepted). One SQL aggregate over the case rows' projection columns (a window picks each enterprise's
latest case), grouped by the enterprise's organisation path (or industry, or size band) inside the
subtree; the roll-up to direct children and the rates are arithmetic on those few group rows.
Regional and industry cases (whose party is a union, not one enterprise) have their own section,
grouped by the sub-organisation of the union that bargains.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from engine.reports import scope as sc
from engine.reports.model import RATE, Chart, Column, Report, Section, change_rows, rate
from engine.store import rollups
from engine.store.tables import case_t, coverage_t, enterprise_t, org_t

COUNTS = ("offers", "offers_upper", "accepted", "accepted_on_time", "refused", "pending", "signed", "filed", "effective",
          "workers_covered")

COLUMNS = (
    Column("offers", "要约数", "offers"),
    Column("offers_upper", "上级工会要约", "by upper level"),
    Column("upper_share", "上级要约占比", "upper share", RATE),
    Column("accepted", "应约数", "accepted"),
    Column("acceptance_rate", "应约率", "acceptance rate", RATE),
    Column("accepted_on_time", "按期应约", "accepted on time"),
    Column("on_time_rate", "按期应约率", "on-time rate", RATE),
    Column("refused", "拒绝/逾期", "refused"),
    Column("pending", "待答复", "pending"),
    Column("signed", "已签订", "signed"),
    Column("filed", "已报送", "filed"),
    Column("effective", "已生效", "effective"),
    Column("workers_covered", "覆盖职工", "workers covered"),
)

DEFINITIONS: dict[str, tuple[str, str]] = {
    "offers": ("当年收到要约的企业数（以案件首次要约日期计年度）。一家企业当年有多个案件的只计一次，以其当年最后一个案件"
               "（首次要约最晚者）为准：应约、拒绝、待答复、上级要约均按该案件计（当年最后的结果为准）",
               "enterprises sent an offer in the year (a case's year is that of its first offer). An enterprise with "
               "several cases in the year counts once, by its latest case of the year (latest first offer): accepted, "
               "refused, pending and upper-level are that case's (the year's last outcome decides)"),
    "offers_upper": ("其中最后一个案件由上一级工会发出（两级要约）的企业数；再次要约的，以最近一次要约的发出方为准",
                     "of those, enterprises whose latest case's offer was sent by the upper-level union (two-level offer); "
                     "after a re-offer, the latest offer's sender counts"),
    "upper_share": ("上级要约占比 = 上级工会要约数 ÷ 要约数", "upper_share = offers_upper / offers"),
    "accepted": ("书面应约的企业数（其当年最后一个案件对最近一次要约应约；拒绝后经争议协调处理同意协商的，以协调处理完毕之日计为应约）",
                 "enterprises that accepted in writing (their latest case of the year, the latest offer; a refusal settled "
                 "in dispute coordination counts as accepted on the day of the settlement)"),
    "acceptance_rate": ("应约率 = 应约数 ÷ 要约数（无官方公式，本系统定义）",
                        "acceptance_rate = accepted / offers (no official formula is published; this is ours)"),
    "accepted_on_time": ("在法定答复期限内应约的企业数（《集体合同规定》第三十二条、《工资集体协商试行办法》第十七条：收到要约之日起20日，"
                         "按所在地配置与法定节假日顺延计算）",
                         "enterprises that accepted within the reply period (CCR art. 32, WCB art. 17: 20 days from receipt, per the "
                         "jurisdiction profile, extended past rest days and holidays)"),
    "on_time_rate": ("按期应约率 = 按期应约数 ÷ 要约数", "on_time_rate = accepted_on_time / offers"),
    "refused": ("拒绝或逾期未答复的企业数（其当年最后一个案件）",
                "enterprises that refused or let the offer lapse (their latest case of the year)"),
    "pending": ("仍在等待答复的企业数（含再次要约后待答复）", "enterprises still waiting to reply (including after a re-offer)"),
    "signed": ("当年案件中已签订集体合同（曾达到“已签订”）的案件数（按案件计，DOMAIN §7）",
               "cases of the year that reached signed (cases, DOMAIN §7)"),
    "filed": ("已报送人社部门审查（曾达到“已报送审查”）的案件数", "cases that reached filed (sent to the labour administration)"),
    "effective": ("合同已生效（审查通过或15日内未提出异议）的案件数，含其后到期的", "cases that reached effective (review passed "
                  "or no objection within 15 days), including those that expired since"),
    "workers_covered": ("当年有案件生效的企业的职工人数合计（每家企业一次）",
                        "workers of the enterprises with a case of the year that took effect (each enterprise once)"),
    "regional": ("区域性、行业性集体合同单列一节（不计入上表；有此类案件时才出现，JSON 键 regional）："
                 "按发起协商的区域/行业工会所属下级组织分组，一个案件为一份要约；"
                 "覆盖职工为其当前覆盖企业（已生效的）职工人数合计",
                 "regional and industry contracts have their own section (not in the table above; shown when there are "
                 "such cases, JSON key regional): grouped by the "
                 "sub-organisation of the union that bargains, one case = one offer; workers covered = workers of the "
                 "enterprises it covers now, once it took effect"),
}


def figures(conn: Connection, scope: sc.Scope, by: str, year: int, workflow: str | None = None, *,
            kept: bool = True) -> dict[str, dict[str, int]]:
    """The additive counts of each group. By organisation or size band over every workflow, from the counts kept
    per organisation path, year and band (engine/store/rollups.py: a few rows per organisation however many
    cases); by industry, or for one workflow, or with kept=False, from the bare SQL (`bare_figures`)."""
    if kept and not workflow and by in (sc.BY_ORG, sc.BY_SIZE):
        sums: dict[str, list[int]] = {}
        kids = [f"{scope.path}{code}/" for code in scope.children]
        for group, measure, n in rollups.subtree_sums(conn, scope.path, kids, year, by_band=by == sc.BY_SIZE):
            sums.setdefault(group, [0] * len(COUNTS))[COUNTS.index(measure)] += n
        return sc.roll_up(scope, by, ([g, *v] for g, v in sums.items()), COUNTS)
    return bare_figures(conn, scope, by, year, workflow)


def bare_figures(conn: Connection, scope: sc.Scope, by: str, year: int, workflow: str | None = None) -> dict[str, dict[str, int]]:
    """The additive counts of each group: one SQL aggregate over the year's enterprise case rows in the subtree (a
    range scan of ix_bcase_campaign in path order, on the rows' copies of the enterprise's path and head count),
    then the roll-up to direct children. A window numbers each enterprise's cases of the year, latest first:
    the per-enterprise figures read its latest (rn = 1); signed, filed and effective count cases. Only grouping
    by industry joins the enterprises."""
    c = case_t.c
    count = sc.count_if
    latest_first = (c.offered_on.desc(), c.id.desc())
    each = (c.ent_path, c.enterprise_id)  # an enterprise has one path: the index's order partitions it
    inner = sa.select(
        c.enterprise_id, c.ent_path, c.ent_employees, c.offer_level, c.response, c.responded_on, c.reply_due,
        c.signed_on, c.filed_on, c.effective_on,
        sa.func.row_number().over(partition_by=each, order_by=latest_first).label("rn"),
        sa.func.max(sa.case((c.effective_on.is_not(None), sc.ONE), else_=sc.ZERO)).over(
            partition_by=each).label("any_effective"),
    ).where(c.offer_year == year, sc.in_scope(scope, c.ent_path), c.enterprise_id.is_not(None))
    if workflow:
        inner = inner.where(c.workflow == workflow)
    y = inner.subquery("year_cases")
    last = y.c.rn == sc.ONE
    g = sc.group_column(by, y.c.ent_path, y.c.ent_employees).label("g")
    stmt = sa.select(
        g,
        count(last),
        count(sa.and_(last, y.c.offer_level == "upper")),
        count(sa.and_(last, y.c.response == "accepted")),
        count(sa.and_(last, y.c.response == "accepted", y.c.responded_on <= y.c.reply_due)),
        count(sa.and_(last, y.c.response.in_(("refused", "lapsed")))),
        count(sa.and_(last, y.c.response.is_(None))),
        sa.func.count(y.c.signed_on),
        sa.func.count(y.c.filed_on),
        sa.func.count(y.c.effective_on),
        sa.func.sum(sa.case((sa.and_(last, y.c.any_effective == sc.ONE), y.c.ent_employees), else_=sc.ZERO)),
    )
    if by == sc.BY_INDUSTRY:
        stmt = stmt.select_from(y.join(enterprise_t, enterprise_t.c.id == y.c.enterprise_id))
    return sc.roll_up(scope, by, conn.execute(stmt.group_by(sa.literal_column("g"))), COUNTS)


def regional_figures(conn: Connection, scope: sc.Scope, year: int, workflow: str | None = None) -> dict[str, dict[str, int]]:
    """The counts of the year's regional and industry cases whose union is in the subtree, by sub-organisation
    (one case = one offer; the few regional rows read by their party_org index: offer_year + 0 keeps the planner
    off ix_bcase_year, which would read every case of the year; the union's path from its org row)."""
    c, o = case_t.c, org_t.c
    count = sc.count_if
    workers = (
        sa.select(sa.func.coalesce(sa.func.sum(enterprise_t.c.employees), sc.ZERO))
        .select_from(coverage_t.join(enterprise_t, enterprise_t.c.id == coverage_t.c.enterprise_id))
        .where(coverage_t.c.case_id == c.id, coverage_t.c.removed_on.is_(None))
        .scalar_subquery()
    )
    stmt = sa.select(
        o.path,
        sa.func.count(),
        sc.ZERO,
        count(c.response == "accepted"),
        count(sa.and_(c.response == "accepted", c.responded_on <= c.reply_due)),
        count(c.response.in_(("refused", "lapsed"))),
        sa.func.count() - sa.func.count(c.response),
        sa.func.count(c.signed_on),
        sa.func.count(c.filed_on),
        sa.func.count(c.effective_on),
        sa.func.sum(sa.case((c.effective_on.is_not(None), workers), else_=sc.ZERO)),
    ).select_from(case_t.join(org_t, o.code == c.party_org)).where(
        # party_org >= '' is IS NOT NULL as a range: the planner then reads the few regional rows by their index
        c.offer_year + sa.literal_column("0") == year, c.party_org >= sa.literal_column("''"), sc.in_scope(scope, o.path))
    if workflow:
        stmt = stmt.where(c.workflow == workflow)
    return sc.roll_up(scope, sc.BY_ORG, conn.execute(stmt.group_by(o.path)), COUNTS, all_groups=False)


def with_rates(counts: Mapping[str, int]) -> dict[str, Any]:
    """Counts plus the rates of DOMAIN §7, in column order."""
    r: dict[str, Any] = dict(counts)
    r["upper_share"] = rate(r["offers_upper"], r["offers"])
    r["acceptance_rate"] = rate(r["accepted"], r["offers"])
    r["on_time_rate"] = rate(r["accepted_on_time"], r["offers"])
    return {col.key: r[col.key] for col in COLUMNS}


def _section(scope: sc.Scope, by: str, lang: str, groups: Mapping[str, Mapping[str, int]], label: str) -> Section:
    rows = [{"group": k, "group_name": sc.group_name(scope, by, k, lang), **with_rates(v)} for k, v in groups.items()]
    return Section(label, rows, with_rates(sc.total_of(groups, COUNTS)))


def campaign(conn: Connection, *, year: int, org: str | None = None, by: str = sc.BY_ORG, compare: int | None = None,
             workflow: str | None = None, lang: str = "zh", kept: bool = True) -> Report:
    """The campaign report of a year for an organisation's subtree, optionally beside another year."""
    sc.check_grouping(by)
    scope = sc.resolve(conn, org)
    main = _section(scope, by, lang, figures(conn, scope, by, year, workflow, kept=kept), str(year))
    regional_groups = regional_figures(conn, scope, year, workflow)
    regional = _section(scope, sc.BY_ORG, lang, regional_groups,
                        "区域性、行业性合同" if lang == "zh" else "regional and industry contracts")
    before = change = None
    if compare is not None:
        before = _section(scope, by, lang, figures(conn, scope, by, compare, workflow, kept=kept), str(compare))
        change = change_rows("group", COLUMNS, main, before, f"{year} − {compare}")
    meta: dict[str, Any] = {"year": year, "org": scope.code, "org_name": scope.name, "group_by": by}
    if workflow:
        meta["workflow"] = workflow
    where = f"{scope.name}（{scope.code}）" if scope.code else "全部组织"
    where_en = f"{scope.name} ({scope.code})" if scope.code else "all organisations"
    return Report(
        kind="campaign",
        title_zh=f"{year} 年度要约行动 · {where}",
        title_en=f"Offer campaign {year} · {where_en}",
        meta=meta,
        group_key="group",
        group_zh={"org": "下级组织", "industry": "行业", "size": "职工人数"}[by],
        group_en={"org": "sub-organisation", "industry": "industry", "size": "size band"}[by],
        columns=COLUMNS,
        main=main,
        definitions=DEFINITIONS,
        chart=Chart(bars=("offers", "offers_upper", "accepted"), rates=("upper_share", "acceptance_rate")),
        compare=before,
        change=change,
        compare_meta={"year": compare} if compare is not None else {},
        more={"regional": regional} if regional_groups else {},
    )
