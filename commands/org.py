"""bargain org …: the union hierarchy."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from commands.common import TableJson, state
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
    done = registers.add_org(st.store(), code.strip(), name.strip(), kind, parent.strip() if parent else None, jurisdiction)
    print_updated(st, done)


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
