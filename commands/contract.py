"""bargain contract …: a case's agreed terms, its text, the federation's reference texts, copying found."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from commands.common import TableJson, console, echo_json, json_object_file, now, state

contracts = typer.Typer(help="集体合同 / contracts: terms, texts, reference texts, copying", no_args_is_help=True)
references = typer.Typer(help="参考文本 / the federation's reference texts", no_args_is_help=True)
contracts.add_typer(references, name="reference")


# The zh words for the verdicts and the missing specific terms (their JSON keys stay English).
_MIN_WAGE_ZH = {"ok": "符合", "below": "低于标准", "unknown": "无法核对"}
_MISSING_ZH = {"terms": "未登记合同条款", "wage_adjustment_pct": "工资调整幅度", "enterprise_min_wage": "企业最低工资"}


def register(app: typer.Typer) -> None:
    """Attach `bargain contract` to the root app."""
    app.add_typer(contracts, name="contract")


@contracts.command("terms")
def terms(
    ctx: typer.Context,
    case_id: Annotated[int, typer.Argument(help="案件编号 / case id")],
    data: Annotated[Path, typer.Option("--data", help="条款 JSON 文件 / the agreed terms as a JSON file")],
    fmt: Annotated[TableJson, typer.Option("--format")] = TableJson.table,
) -> None:
    """记录合同条款并核对最低工资标准 / record what was agreed, checked against the local minimum wage.

    Example: bargain contract terms 1 --data terms.json
    """
    from engine.usecases import contracts as uc

    st = state(ctx)
    done = uc.record_terms(st.store(), case_id, json_object_file(data), at=now(), actor=st.who(), who=st.principal())
    if fmt is TableJson.json:
        echo_json(done.as_json())
        return
    from engine.citation import cite_zh
    from engine.contract import WCB7_ITEMS
    from engine.outputs.render import simple_table

    v = done.min_wage
    missing = done.terms.missing_items()
    rows = [
        (st.t("案件", "case"), done.case_id),
        (st.t("地区代码", "place"), done.place or "—"),
        (st.t("最低工资核对", "minimum wage"), st.t(f"{_MIN_WAGE_ZH.get(v.status, v.status)}：{v.zh}", f"{v.status}: {v.en}")),
        (st.t("依据", "source"), st.t(cite_zh(v.source), v.source)),
        (st.t("未约定的第七条内容", "WCB art. 7 items missing"),
         ("、".join(WCB7_ITEMS[m] for m in missing) if st.lang == "zh" else ", ".join(missing)) or "—"),
    ]
    console().print(simple_table(st.t("合同条款已记录", "Terms recorded"), ["", ""], rows))


@contracts.command("attach")
def attach(
    ctx: typer.Context,
    case_id: Annotated[int, typer.Argument(help="案件编号 / case id")],
    file: Annotated[Path, typer.Argument(help="合同文本 / the contract file (.docx, .pdf, .txt)")],
    fmt: Annotated[TableJson, typer.Option("--format")] = TableJson.table,
) -> None:
    """附上合同文本：保留原件及 sha256，提取文字 / attach a case's contract file: original kept with its sha256, text extracted.

    Example: bargain contract attach 1 合同.docx
    """
    from engine.imports import document

    st = state(ctx)
    done = document.attach(st.store(), case_id, file, at=now(), actor=st.who(), who=st.principal())
    if fmt is TableJson.json:
        echo_json(done.as_json())
        return
    typer.echo(st.t(f"已保存：案件 {case_id} {done.name}（{done.size:,} 字节，{done.chars:,} 字，sha256 {done.sha256}）",
                    f"kept: case {case_id} {done.name} ({done.size:,} bytes, {done.chars:,} characters, sha256 {done.sha256})"))


@references.command("add")
def reference_add(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="参考文本 / the reference file (.docx, .pdf, .txt)")],
    name: Annotated[str, typer.Option("--name", help="名称 / the reference text's name")],
    org: Annotated[Optional[str], typer.Option("--org", help="发布的工会组织（不填为全部）/ the federation issuing it (none: all)")] = None,
    fmt: Annotated[TableJson, typer.Option("--format")] = TableJson.table,
) -> None:
    """登记参考文本 / add a federation's reference text (参考文本) that copies are compared with.

    Example: bargain contract reference add 参考文本.docx --name 苏州市2026参考文本 --org 320500
    """
    from engine.imports import document

    st = state(ctx)
    done = document.add_reference(st.store(), file, name=name, org=org, at=now(), actor=st.who(), who=st.principal())
    if fmt is TableJson.json:
        echo_json(done.as_json())
        return
    typer.echo(st.t(f"已登记参考文本 {name}（编号 {done.reference_id}，{done.chars:,} 字）",
                    f"reference text {name} added (id {done.reference_id}, {done.chars:,} characters)"))


@contracts.command("similar")
def similar(
    ctx: typer.Context,
    org: Annotated[Optional[str], typer.Option("--org", help="组织代码 / only this organisation's subtree")] = None,
    year: Annotated[Optional[int], typer.Option("--year", help="合同期限起始年度 / the year the terms start")] = None,
    fmt: Annotated[TableJson, typer.Option("--format")] = TableJson.table,
) -> None:
    """雷同合同：近似相同的合同组与照抄参考文本的合同 / groups of near-identical contracts and copied templates.

    Example: bargain contract similar --org 320500 --year 2026
    """
    from engine.usecases import reporting

    st = state(ctx)
    found = reporting.similar(st.store(), org=org, year=year, who=st.principal())
    if fmt is TableJson.json:
        echo_json(found.as_json())
        return
    from engine.outputs.render import simple_table

    c = console()
    c.print(st.t(f"{found.org_name}：有文本的合同 {found.contracts} 份，参考文本 {len(found.references)} 份，阈值 {found.threshold}",
                 f"{found.org_name}: {found.contracts} contracts with a text, {len(found.references)} reference texts, "
                 f"threshold {found.threshold}"))
    group_rows = [[n, m["case_id"], m["enterprise"], m["org_code"], f"{m['max_jaccard']:.2f}", m["reference"] or "—"]
                  for n, g in enumerate(found.group_rows, start=1) for m in g]
    heads = [st.t("组", "group"), st.t("案件", "case"), st.t("企业", "enterprise"), st.t("组织", "org"),
             st.t("相似度", "jaccard"), st.t("参考文本", "reference")]
    c.print(simple_table(st.t(f"近似相同的合同组（{len(found.group_rows)}）", f"Near-identical groups ({len(found.group_rows)})"),
                         heads, group_rows))
    copied = [[x["case_id"], x["enterprise"], x["reference"], f"{x['jaccard']:.2f}",
               "、".join(_MISSING_ZH.get(m, m) for m in x["missing"]) if st.lang == "zh" else ", ".join(x["missing"])]
              for x in found.copied]
    c.print(simple_table(st.t(f"照抄参考文本（{len(copied)}）", f"Copied templates ({len(copied)})"),
                         [st.t("案件", "case"), st.t("企业", "enterprise"), st.t("参考文本", "reference"),
                          st.t("相似度", "jaccard"), st.t("缺少的具体条款", "specific terms missing")], copied))
    c.print(st.t(f"依据：{found.threshold_source}", f"source: {found.threshold_source}"))
