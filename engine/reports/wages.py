"""Wages year on year (issue 17 item 5): what the contracts of a year agreed (wage adjustment %, enterprise minimum
wage, WCB art. 7 items covered) beside the year before, by sub-organisation, industry or size band, and per
enterprise that has a contract in both years.

Averages are over the contracts that state the figure; sums are kept as integers (hundredths of a per cent,
fen) so the groups add up to the total exactly.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy.engine import Connection

from engine.reports import scope as sc
from engine.reports.model import INT, Chart, Column, Report, Section, change_rows
from engine.store import contracts as store
from engine.vocab import size_band

NUMBER = "number"  # a column kind: an average, shown as a plain number by every exporter
FIGURES = ("contracts", "renewals", "n_adjustment", "adjustment_bp", "n_min_wage", "min_wage_fen", "items")

COLUMNS = (
    Column("contracts", "合同数", "contracts", INT),
    Column("renewals", "其中续订", "of which renewals", INT),
    Column("adjustment_avg", "平均工资调整幅度（%）", "average wage adjustment (%)", NUMBER),
    Column("min_wage_avg", "平均企业最低工资（元/月）", "average enterprise minimum wage (yuan/month)", NUMBER),
    Column("items_avg", "平均涵盖第七条内容（项）", "average WCB art. 7 items covered", NUMBER),
)

DEFINITIONS: dict[str, tuple[str, str]] = {
    "contracts": ("合同期限起始于当年、已记录条款的合同数", "contracts with terms recorded whose term starts in the year"),
    "renewals": ("其中由要约行动续订上一份合同的（bargain campaign launch 在续订窗口内发起，《工资集体协商试行办法》第二十四条）",
                 "of those, renewals of an earlier contract offered by the campaign in the renewal window (WCB art. 24)"),
    "adjustment_avg": ("约定了职工工资调整幅度的合同的平均调整幅度（《工资集体协商试行办法》第七条（三））",
                       "the average wage adjustment of the contracts that state one (WCB art. 7 (3))"),
    "min_wage_avg": ("约定了企业最低工资的合同的平均数（不得低于当地最低工资标准，《劳动合同法》第五十五条）",
                     "the average enterprise minimum wage of the contracts that state one (at least the local minimum, LCL art. 55)"),
    "items_avg": ("平均涵盖《工资集体协商试行办法》第七条所列内容的项数（共九项）",
                  "the average number of the nine WCB art. 7 items covered"),
}


def _key(by: str, r: Any) -> str:
    return str(r.org_path) if by == sc.BY_ORG else str(r.industry or "") if by == sc.BY_INDUSTRY else size_band(int(r.employees or 0))


def _figures(r: Any, renewals: set[int]) -> list[int]:
    t: Mapping[str, Any] = r.terms or {}
    adj, minw = t.get("wage_adjustment_pct"), t.get("enterprise_min_wage")
    return [1, int(r.case_id in renewals), int(adj is not None), int(Decimal(adj) * 100) if adj is not None else 0,
            int(minw is not None), int(Decimal(minw) * 100) if minw is not None else 0, len(t.get("items") or [])]


def _avg(row: Mapping[str, int]) -> dict[str, Any]:
    def mean(total: int, n: int) -> float | None:
        return float(Decimal(total) / 100 / n) if n else None

    return {"contracts": row["contracts"], "renewals": row["renewals"],
            "adjustment_avg": mean(row["adjustment_bp"], row["n_adjustment"]),
            "min_wage_avg": mean(row["min_wage_fen"], row["n_min_wage"]),
            "items_avg": float(Decimal(row["items"]) / row["contracts"]) if row["contracts"] else None}


def _section(conn: Connection, scope: sc.Scope, by: str, year: int, lang: str) -> tuple[Section, list[Any]]:
    rows = [r for r in store.contracts_in(conn, scope.path, year=year, with_text=False) if r.terms]
    renewals = {int(x.case_id) for x in store.renewal_link_rows(conn, [r.case_id for r in rows]) if x.case_id in
                {r.case_id for r in rows}}
    grouped = sc.roll_up(scope, by, ([_key(by, r), *_figures(r, renewals)] for r in rows), FIGURES)
    out = [{"group": k, "group_name": sc.group_name(scope, by, k, lang), **_avg(v)} for k, v in grouped.items()]
    return Section(str(year), out, _avg(sc.total_of(grouped, FIGURES))), rows


def _terms(r: Any) -> dict[str, Any]:
    t: Mapping[str, Any] = r.terms or {}
    return {"case_id": r.case_id, "wage_adjustment_pct": t.get("wage_adjustment_pct"),
            "enterprise_min_wage": t.get("enterprise_min_wage"), "items": len(t.get("items") or [])}


def _delta(now: Any, before: Any) -> str | None:
    if now is None or before is None:
        return None
    return str(Decimal(str(now)) - Decimal(str(before)))


def wages(conn: Connection, *, year: int, org: str | None = None, by: str = sc.BY_ORG, lang: str = "zh") -> Report:
    """The terms of a year's contracts beside the year before's, by group and per enterprise."""
    sc.check_grouping(by)
    scope = sc.resolve(conn, org)
    now, now_rows = _section(conn, scope, by, year, lang)
    before, before_rows = _section(conn, scope, by, year - 1, lang)
    change = change_rows("group", COLUMNS, now, before, f"{year} − {year - 1}")
    def party(r: Any) -> tuple[str, str]:  # an enterprise by its credit code; a regional contract by its union
        return (str(r.credit_code), "" if r.credit_code else str(r.party_org or r.org_code))

    last = {party(r): r for r in before_rows}
    enterprises = []
    for r in now_rows:
        old = last.get(party(r))
        if old is None:
            continue
        a, b = _terms(r), _terms(old)
        enterprises.append({"credit_code": r.credit_code, "enterprise": r.enterprise, "org_code": r.org_code,
                            "industry": r.industry, "now": a, "before": b,
                            "change": {k: _delta(a[k], b[k]) for k in ("wage_adjustment_pct", "enterprise_min_wage", "items")}})
    where = f"{scope.name}（{scope.code}）" if scope.code else "全部组织"
    where_en = f"{scope.name} ({scope.code})" if scope.code else "all organisations"
    notes = [(f"{e['enterprise']}：调整幅度 {e['before']['wage_adjustment_pct']}% → {e['now']['wage_adjustment_pct']}%，企业最低工资 "
              f"{e['before']['enterprise_min_wage']} → {e['now']['enterprise_min_wage']} 元，第七条内容 {e['before']['items']} → "
              f"{e['now']['items']} 项",
              f"{e['enterprise']}: adjustment {e['before']['wage_adjustment_pct']}% → {e['now']['wage_adjustment_pct']}%, minimum "
              f"wage {e['before']['enterprise_min_wage']} → {e['now']['enterprise_min_wage']} yuan, items {e['before']['items']} → "
              f"{e['now']['items']}") for e in enterprises]
    return Report(
        kind="wages", title_zh=f"{year} 年度工资协议条款同比 · {where}", title_en=f"Agreed wages {year} year on year · {where_en}",
        meta={"year": year, "org": scope.code, "org_name": scope.name, "group_by": by},
        group_key="group", group_zh={"org": "下级组织", "industry": "行业", "size": "职工人数"}[by],
        group_en={"org": "sub-organisation", "industry": "industry", "size": "size band"}[by],
        columns=COLUMNS, main=now, definitions=DEFINITIONS, chart=Chart(bars=("contracts", "renewals")),
        compare=before, change=change, compare_meta={"year": year - 1}, extra={"enterprises": enterprises}, notes=notes,
    )


def renewal_in(conn: Connection, case_id: int) -> dict[str, Any] | None:
    """For `case show`: the case this one renews and those that renew it, with the terms year on year; None if unlinked."""
    renews, renewed_by = store.renews(conn, case_id), store.renewed_by(conn, case_id)
    if renews is None and not renewed_by:
        return None

    def terms(cid: int | None) -> dict[str, Any] | None:
        row = store.contract(conn, cid) if cid is not None else None
        if row is None or not row.terms:
            return None
        t = _terms(row)
        t.pop("case_id")
        return t

    now, before = terms(case_id), terms(renews)
    change = ({k: _delta(now[k], before[k]) for k in ("wage_adjustment_pct", "enterprise_min_wage", "items")}
              if now is not None and before is not None else None)
    return {"renews_case_id": renews, "renewed_by": renewed_by, "terms": now, "previous_terms": before, "change": change}
