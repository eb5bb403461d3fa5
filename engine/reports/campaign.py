"""The offer campaign (要约行动) of a year: offers, upper-level offers, acceptances, refusals, contracts (DOMAIN §7).

One SQL aggregate over the case rows' projection columns, grouped by the enterprise's organisation
path (or industry, or size band) inside the subtree; the roll-up to direct children and the rates
are arithmetic on those few group rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from engine.reports import scope as sc
from engine.reports.model import RATE, Chart, Column, Report, Section, change_rows, rate
from engine.store.tables import case_t, enterprise_t

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
    "offers": ("当年发出要约的案件数（以首次要约日期计年度；一家企业的一个协商类型为一个案件）",
               "cases whose first offer was sent in the year (one case = one enterprise and one kind of contract)"),
    "offers_upper": ("其中由上一级工会发出（两级要约）的要约数；再次要约的，以最近一次要约的发出方为准",
                     "of those, offers sent by the upper-level union (two-level offer); "
                     "after a re-offer, the latest offer's sender counts"),
    "upper_share": ("上级要约占比 = 上级工会要约数 ÷ 要约数", "upper_share = offers_upper / offers"),
    "accepted": ("企业书面应约的案件数（对最近一次要约）", "cases whose employer accepted (the latest offer) in writing"),
    "acceptance_rate": ("应约率 = 应约数 ÷ 要约数（无官方公式，本系统定义）",
                        "acceptance_rate = accepted / offers (no official formula is published; this is ours)"),
    "accepted_on_time": ("在法定答复期限内应约的案件数（集体合同规定第32条、工资集体协商试行办法第17条：收到要约之日起20日，"
                         "按所在地配置与法定节假日顺延计算）",
                         "acceptances within the reply period (CCR art. 32, WCB art. 17: 20 days from receipt, per the "
                         "jurisdiction profile, extended past rest days and holidays)"),
    "on_time_rate": ("按期应约率 = 按期应约数 ÷ 要约数", "on_time_rate = accepted_on_time / offers"),
    "refused": ("企业拒绝或逾期未答复的案件数", "cases the employer refused or let lapse without a reply"),
    "pending": ("仍在等待答复的案件数（含再次要约后待答复）", "cases still waiting for a reply (including after a re-offer)"),
    "signed": ("已签订集体合同（曾达到“已签订”）的案件数", "cases that reached signed"),
    "filed": ("已报送人社部门审查（曾达到“已报送审查”）的案件数", "cases that reached filed (sent to the labour administration)"),
    "effective": ("合同已生效（审查通过或15日内未提出异议）的案件数，含其后到期的", "cases that reached effective (review passed "
                  "or no objection within 15 days), including those that expired since"),
    "workers_covered": ("上述已生效案件所在企业的职工人数合计", "workers of the enterprises whose case of the year took effect"),
}


def figures(conn: Connection, scope: sc.Scope, by: str, year: int, workflow: str | None = None) -> dict[str, dict[str, int]]:
    """The additive counts of each group: one SQL aggregate over the year's case rows in the subtree (a range
    scan of ix_bcase_campaign in path order, on the rows' copies of the enterprise's path and head count),
    then the roll-up to direct children. Only grouping by industry joins the enterprises."""
    c = case_t.c
    count = sc.count_if
    g = sc.group_column(by, c.ent_path, c.ent_employees).label("g")
    stmt = sa.select(
        g,
        sa.func.count(),
        count(c.offer_level == "upper"),
        count(c.response == "accepted"),
        count(sa.and_(c.response == "accepted", c.responded_on <= c.reply_due)),
        count(c.response.in_(("refused", "lapsed"))),
        sa.func.count() - sa.func.count(c.response),  # COUNT(column) counts the rows where it is set
        sa.func.count(c.signed_on),
        sa.func.count(c.filed_on),
        sa.func.count(c.effective_on),
        sa.func.sum(sa.case((c.effective_on.is_not(None), c.ent_employees), else_=sc.ZERO)),
    ).where(c.offer_year == year, sc.in_scope(scope, c.ent_path))
    if workflow:
        stmt = stmt.where(c.workflow == workflow)
    if by == sc.BY_INDUSTRY:
        stmt = stmt.select_from(case_t.join(enterprise_t, enterprise_t.c.id == c.enterprise_id))
    return sc.roll_up(scope, by, conn.execute(stmt.group_by(sa.literal_column("g"))), COUNTS)


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
             workflow: str | None = None, lang: str = "zh") -> Report:
    """The campaign report of a year for an organisation's subtree, optionally beside another year."""
    sc.check_grouping(by)
    scope = sc.resolve(conn, org)
    main = _section(scope, by, lang, figures(conn, scope, by, year, workflow), str(year))
    before = change = None
    if compare is not None:
        before = _section(scope, by, lang, figures(conn, scope, by, compare, workflow), str(compare))
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
    )
