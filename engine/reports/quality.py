"""Contract quality (集体合同质量年) of a year: each contract scored by engine.quality, averaged by sub-organisation,
industry or size band, with every part's weight and source in the definitions and the typical cases (典型) listed.

The year of a contract is the year its agreed term starts (else its campaign year). Scores are added up in
cents (integers), so the groups add up to the total exactly and the averages are of the same figures.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.engine import Connection

from engine.citation import cite_zh
from engine.quality import QualitySpec
from engine.registry.contracts import quality_spec
from engine.reports import scope as sc
from engine.reports.contract_facts import ContractQuality, quality_of, reference_prints
from engine.reports.model import Chart, Column, Report, Section
from engine.store import agenda
from engine.store import contracts as store
from engine.store.repository import load_cases
from engine.store.tables import case_t
from engine.vocab import size_band

SCORE = "score"  # a column kind: points, two decimals (rendered as a plain number by every exporter)


def columns(spec: QualitySpec) -> tuple[Column, ...]:
    """contracts, the average total, the average of each part, and the counts of flags."""
    return (
        Column("contracts", "合同数", "contracts"),
        Column("score_avg", "平均得分", "average score", SCORE),
        *(Column(f"avg_{p.id}", f"{p.zh}（{p.weight}）", f"{p.en} ({p.weight})", SCORE) for p in spec.points),
        Column("copied_template", "照抄参考文本", "copied template"),
        Column("min_wage_unknown", "最低工资未知", "minimum wage unknown"),
        Column("typical", "典型案例", "typical"),
    )


def definitions(spec: QualitySpec) -> dict[str, tuple[str, str]]:
    """Each figure's definition; each part with its weight and source."""
    out: dict[str, tuple[str, str]] = {
        "contracts": ("当年（合同期限起始年度）已记录条款或文本的合同数",
                      "contracts with terms or a text recorded whose term starts in the year"),
        "score_avg": ("质量得分（满分100）的平均值；各项权重与依据见下（workflows/quality.toml）",
                      "the average quality score out of 100; each part's weight and source below (workflows/quality.toml)"),
    }
    for p in spec.points:
        out[f"avg_{p.id}"] = (f"{p.zh}：满分 {p.weight} 分的平均得分。依据：{cite_zh(p.source)}",
                              f"{p.en}: average of {p.weight} points. Source: {p.source}")
    out["copied_template"] = (f"与参考文本相似度不低于 {spec.copy_threshold}（去除企业名称、日期、数字后的5字片段Jaccard）且未约定"
                              f"工资调整幅度或企业最低工资具体数额的合同数。依据：{cite_zh(spec.copy_threshold_source)}",
                              f"contracts matching a reference text at Jaccard >= {spec.copy_threshold} (5-character shingles, the "
                              f"enterprise's name, dates and numbers removed) that state no wage adjustment or enterprise "
                              f"minimum wage. Source: {spec.copy_threshold_source}")
    out["min_wage_unknown"] = ("当地当日最低工资标准未收录（data/minimum_wage.toml）或未约定企业最低工资的合同数：不作推测",
                               "contracts whose local minimum wage is not on file (data/minimum_wage.toml) or that state "
                               "none: never guessed")
    out["typical"] = ("标记为典型案例（bargain case mark --typical）的合同数", "contracts marked typical (bargain case mark --typical)")
    return out


def _figures(q: ContractQuality, typical: bool) -> list[int]:
    cents = [int(q.score.total * 100), *(int(p.earned * 100) for p in q.score.parts)]
    return [1, *cents, int(q.copied_template), int(q.min_wage.status == "unknown"), int(typical)]


def _avg(row: dict[str, int], keys: list[str]) -> dict[str, Any]:
    n = row["contracts"]
    out: dict[str, Any] = {"contracts": n}
    for k in keys:
        out[k] = float((Decimal(row[k]) / 100 / n).quantize(Decimal("0.01"))) if n else None  # points, to the hundredth
    for k in ("copied_template", "min_wage_unknown", "typical"):
        out[k] = row[k]
    return out


def quality(conn: Connection, *, year: int, org: str | None = None, by: str = sc.BY_ORG, as_of: date,
            lang: str = "zh") -> Report:
    """The quality report of a year for an organisation's subtree."""
    sc.check_grouping(by)
    scope = sc.resolve(conn, org)
    spec = quality_spec()
    rows = store.contracts_in(conn, scope.path, year=year)
    cases = {c.case_id: c for c in load_cases(conn, case_t.c.id.in_([r.case_id for r in rows]))} if rows else {}
    marks = store.marks(conn, [r.case_id for r in rows])
    refs_by_path: dict[str, Any] = {}
    raw: list[list[Any]] = []
    listed: list[dict[str, Any]] = []
    for r in rows:
        case = cases[r.case_id]
        refs = refs_by_path.get(r.org_path)
        if refs is None:
            refs = refs_by_path[r.org_path] = reference_prints(conn, r.org_path)
        q = quality_of(case, r, path=r.org_path, own_names=[str(r.enterprise)], refs=refs,
                       deadlines=agenda.case_deadlines(conn, case, as_of), as_of=as_of, spec=spec)
        m = marks.get(r.case_id)
        typical = bool(m and m.typical)
        key = r.org_path if by == sc.BY_ORG else (r.industry or "") if by == sc.BY_INDUSTRY else size_band(int(r.employees or 0))
        raw.append([key, *_figures(q, typical)])
        listed.append({"case_id": r.case_id, "credit_code": r.credit_code, "enterprise": r.enterprise, "org_code": r.org_code,
                       "score": str(q.score.total), "copied_template": q.copied_template, "min_wage": q.min_wage.status,
                       "typical": typical, "note": m.note if typical and m else ""})
    sums = ["score_avg", *(f"avg_{p.id}" for p in spec.points)]
    counts = ["contracts", *sums, "copied_template", "min_wage_unknown", "typical"]
    grouped = sc.roll_up(scope, by, raw, counts)
    main_rows = [{"group": k, "group_name": sc.group_name(scope, by, k, lang), **_avg(v, sums)} for k, v in grouped.items()]
    total = _avg(sc.total_of(grouped, counts), sums)
    typical_rows = [x for x in listed if x["typical"]]
    notes = [(f"典型案例：案件 {x['case_id']} {x['enterprise']}（得分 {x['score']}）：{x['note']}",
              f"typical: case {x['case_id']} {x['enterprise']} (score {x['score']}): {x['note']}") for x in typical_rows]
    where = f"{scope.name}（{scope.code}）" if scope.code else "全部组织"
    where_en = f"{scope.name} ({scope.code})" if scope.code else "all organisations"
    return Report(
        kind="quality", title_zh=f"{year} 年度集体合同质量 · {where}", title_en=f"Contract quality {year} · {where_en}",
        meta={"year": year, "org": scope.code, "org_name": scope.name, "group_by": by, "as_of": as_of.isoformat(),
              "points": [{"id": p.id, "zh": p.zh, "en": p.en, "weight": p.weight, "source": p.source} for p in spec.points]},
        group_key="group", group_zh={"org": "下级组织", "industry": "行业", "size": "职工人数"}[by],
        group_en={"org": "sub-organisation", "industry": "industry", "size": "size band"}[by],
        columns=columns(spec), main=Section(str(year), main_rows, total), definitions=definitions(spec),
        chart=Chart(bars=("contracts", "copied_template", "typical")),
        extra={"contracts": listed, "typical": typical_rows}, notes=notes,
    )

