"""bargain enterprise …: the enterprises bargained with."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from commands.common import TableJson, checked_people, echo_json, state
from commands.importing import CheckOpt, FileArg, FormatOpt, SheetOpt, SkipOpt, rows_json, run_import
from commands.printing import print_updated

enterprises = typer.Typer(help="企业 / enterprises", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Attach `bargain enterprise` to the root app."""
    app.add_typer(enterprises, name="enterprise")


@enterprises.command("add")
def add(
    ctx: typer.Context,
    credit_code: Annotated[str, typer.Argument(help="统一社会信用代码 / credit code (18 characters, checked)")],
    name: Annotated[str, typer.Argument(help="企业名称 / name")],
    org: Annotated[Optional[str], typer.Option(help="所属工会代码 / organisation code (required for a new one)")] = None,
    industry: Annotated[Optional[str], typer.Option(help="行业 / industry")] = None,
    employees: Annotated[Optional[int], typer.Option(help="职工人数 / workers (new: 0)", callback=checked_people)] = None,
    union: Annotated[Optional[bool], typer.Option("--union/--no-union", help="是否建会 / has a union (new: yes)")] = None,
) -> None:
    """添加或更新一家企业（只改给出的选项）/ add or update one enterprise (only the options given change).

    Example: bargain enterprise add 91320505MA1XXXXXXX 某某公司 --org 320505 --employees 120
    """
    from engine.credit import check_credit_code
    from engine.usecases import registers

    st = state(ctx)
    code = check_credit_code(credit_code)
    done = registers.add_enterprise(st.store(writing=True), {
        "credit_code": code, "name": name.strip(), "org_code": org.strip() if org else None,
        "industry": industry.strip() if industry is not None else None, "employees": employees, "has_union": union,
    }, who=st.principal())
    print_updated(st, done)


@enterprises.command("import")
def import_(
    ctx: typer.Context,
    file: FileArg,
    sheet: SheetOpt = None,
    skip_invalid: SkipOpt = False,
    check: CheckOpt = False,
    fmt: FormatOpt = TableJson.table,
) -> None:
    """从 CSV/XLSX 导入企业 / import enterprises from a CSV or XLSX file.

    Columns (English or Chinese headers, any order): credit_code 统一社会信用代码 (checked, GB 32100-2015),
    name 企业名称, org_code 所属工会 (code or name), industry 行业, employees 职工人数, has_union 是否建会
    (是/否). An empty cell keeps what is stored. Re-importing a file changes nothing.

    Example: bargain enterprise import 企业名单.xlsx --skip-invalid
    """
    from engine.imports.enterprise import EnterpriseImport

    run_import(ctx, EnterpriseImport(), file, sheet=sheet, skip_invalid=skip_invalid, check=check, fmt=fmt)


ENTERPRISE_KEYS = ("credit_code", "name", "org_code", "industry", "employees", "has_union")


@enterprises.command("list")
def list_(
    ctx: typer.Context,
    org: Annotated[Optional[str], typer.Option(help="只列出该组织及其下级 / only this organisation's subtree")] = None,
    fmt: Annotated[TableJson, typer.Option("--format")] = TableJson.table,
) -> None:
    """列出企业 / list enterprises (JSON: the import columns' keys).

    Example: bargain enterprise list --org 320505 --format json
    """
    from commands.common import console, echo_json
    from engine.outputs.render import simple_table
    from engine.usecases import registers

    st = state(ctx)
    rows = registers.list_enterprises(st.store(), org, who=st.principal())
    if fmt == TableJson.json:
        echo_json(rows_json(rows, ENTERPRISE_KEYS))
        return
    yes, no = st.t("是", "yes"), st.t("否", "no")
    table = simple_table(
        st.t(f"企业（{len(rows)} 家）", f"Enterprises ({len(rows)})"),
        [st.t("统一社会信用代码", "credit code"), st.t("企业名称", "name"), st.t("所属工会", "org"), st.t("行业", "industry"),
         st.t("职工人数", "employees"), st.t("是否建会", "union")],
        [(r.credit_code, r.name, r.org_code, r.industry, r.employees, yes if r.has_union else no) for r in rows])
    console().print(table)


@enterprises.command("retire")
def retire(
    ctx: typer.Context,
    credit_code: Annotated[str, typer.Argument(help="统一社会信用代码 / credit code")],
    on: Annotated[str, typer.Option(help="自该日起 / from this day (closed, merged, moved away)")],
    reason: Annotated[str, typer.Option(help="原因 / why (注销、合并、迁出)")],
    fmt: Annotated[TableJson, typer.Option("--format")] = TableJson.table,
) -> None:
    """企业注销、合并或迁出：自该日起不再立案、不计入建制率，历史保留 / retire an enterprise from a day: no new
    cases, not counted in coverage from then, history kept.

    Example: bargain enterprise retire 91320505MA1XXXXXXX --on 2026-09-30 --reason 注销
    """
    from engine.errors import DataError
    from engine.usecases import corrections
    from engine.values import parse_date

    st = state(ctx)
    try:
        day = parse_date(on)
    except ValueError:
        raise DataError(f"--on 不是有效日期：{on}", f"--on is not a date: {on}", rule="date") from None
    done = corrections.retire_enterprise(st.store(writing=True), credit_code.strip().upper(), on=day, reason=reason,
                                         who=st.principal())
    if fmt is TableJson.json:
        echo_json(done)
        return
    typer.echo(st.t(f"已注销/迁出：{done['credit_code']} {done['name']}，自 {done['retired_on']} 起（{done['reason']}）",
                    f"retired: {done['credit_code']} {done['name']} from {done['retired_on']} ({done['reason']})"))
