"""bargain org …: the union hierarchy."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from commands.common import TableJson, console, echo_json, now, state
from commands.importing import CheckOpt, FileArg, FormatOpt, SheetOpt, SkipOpt, run_import
from commands.printing import print_updated

orgs = typer.Typer(help="工会组织 / union organisations", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Attach `bargain org` to the root app."""
    app.add_typer(orgs, name="org")


@orgs.command("add")
def add(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="组织代码 / organisation code")],
    name: Annotated[str, typer.Argument(help="名称 / name")],
    kind: Annotated[Optional[str], typer.Option(
        help="national|province|city|district|industry|town|other (new: other)")] = None,
    parent: Annotated[Optional[str], typer.Option(help="上级组织代码 / parent code")] = None,
    jurisdiction: Annotated[Optional[str], typer.Option(
        help="地区配置 / national|shanghai|zhejiang|henan|chongqing (default: inherited)")] = None,
) -> None:
    """添加或更新一个工会组织（只改给出的选项）/ add or update one organisation (only the options given change).

    Example: bargain org add 320505 高新区总工会 --kind district --parent 320500
    """
    from engine.usecases import registers

    st = state(ctx)
    done = registers.add_org(st.store(writing=True), code.strip(), name.strip(), kind, parent.strip() if parent else None, jurisdiction,
                            who=st.principal())
    print_updated(st, done)


@orgs.command("list")
def list_(
    ctx: typer.Context,
    org: Annotated[Optional[str], typer.Option("--org", help="只列出该组织及其下级 / only this organisation's subtree")] = None,
    fmt: Annotated[TableJson, typer.Option("--format")] = TableJson.table,
) -> None:
    """列出工会组织（树状）/ list organisations as a tree, with their kind, jurisdiction and enterprises.

    JSON: code, name, kind, parent_code, jurisdiction (its own; null = inherited), depth, enterprises.

    Example: bargain org list --org 320500 --format json
    """
    from engine.outputs.render import simple_table
    from engine.usecases import registers

    st = state(ctx)
    rows = registers.list_orgs(st.store(), org.strip() if org else None, who=st.principal())
    if fmt is TableJson.json:
        echo_json(rows)
        return
    heads = [st.t(z, e) for z, e in (("代码", "code"), ("名称", "name"), ("类型", "kind"), ("上级", "parent"),
                                      ("地区配置", "jurisdiction"), ("企业", "enterprises"))]
    from engine.outputs.render import jurisdiction_label
    from engine.vocab import ORG_KINDS

    def kind(k: str | None) -> str:
        return st.t(*ORG_KINDS[k]) if k in ORG_KINDS else (k or "")

    body = [(r["code"], "　" * r["depth"] + r["name"], kind(r["kind"]), r["parent_code"] or "",
             jurisdiction_label(r["jurisdiction"] or "", st.lang), r["enterprises"]) for r in rows]
    console().print(simple_table(st.t(f"工会组织（{len(rows)}）", f"Organisations ({len(rows)})"), heads, body))


@orgs.command("import")
def import_(
    ctx: typer.Context,
    file: FileArg,
    sheet: SheetOpt = None,
    skip_invalid: SkipOpt = False,
    check: CheckOpt = False,
    fmt: FormatOpt = TableJson.table,
) -> None:
    """从 CSV/XLSX 导入工会组织 / import organisations from a CSV or XLSX file.

    Columns (English or Chinese headers, any order): code 组织代码, name 组织名称, kind 类型
    (national|province|city|district|industry|town|other, 市/区/县/街道…), parent_code 上级组织代码,
    jurisdiction 地区配置 (empty: inherited). A parent may come after its children in the file.

    Example: bargain org import orgs.csv
    """
    from engine.imports.org import OrgImport

    run_import(ctx, OrgImport(), file, sheet=sheet, skip_invalid=skip_invalid, check=check, fmt=fmt)


@orgs.command("merge")
def merge(
    ctx: typer.Context,
    from_code: Annotated[str, typer.Argument(help="被合并的组织代码 / the organisation merged away")],
    into_code: Annotated[str, typer.Argument(help="并入的组织代码 / the organisation it joins")],
    on: Annotated[str, typer.Option(help="合并日期 / the day of the merger")],
    fmt: Annotated[TableJson, typer.Option("--format")] = TableJson.table,
) -> None:
    """组织合并：企业、指导员、下级组织和案件移至并入组织，合并记录保留 / merge an organisation into another: its
    enterprises, counselors, sub-organisations and cases move, the merger is recorded.

    Example: bargain org merge 320502 320508 --on 2012-10-01
    """
    from engine.errors import DataError
    from engine.usecases import corrections
    from engine.values import parse_date

    st = state(ctx)
    try:
        day = parse_date(on)
    except ValueError:
        raise DataError(f"--on 不是有效日期：{on}", f"--on is not a date: {on}", rule="date") from None
    done = corrections.merge_org(st.store(writing=True), from_code.strip(), into_code.strip(), on=day, recorded_at=now(),
                                 actor=st.who(), who=st.principal())
    if fmt is TableJson.json:
        echo_json(done)
        return
    typer.echo(st.t(
        f"已合并：{done['from']} 并入 {done['into']}（{done['on']}）：企业 {done['enterprises']}、指导员 {done['counselors']}、"
        f"下级组织 {done['orgs']}、案件 {done['cases']}",
        f"merged: {done['from']} into {done['into']} ({done['on']}): {done['enterprises']} enterprises, "
        f"{done['counselors']} counselors, {done['orgs']} sub-organisations, {done['cases']} cases"))
