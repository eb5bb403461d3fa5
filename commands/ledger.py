"""bargain ledger …: past campaign records (要约台账) in, as cases."""

from __future__ import annotations

import typer

from commands.common import TableJson, now, state
from commands.importing import CheckOpt, FileArg, FormatOpt, SheetOpt, SkipOpt, run_import

ledgers = typer.Typer(help="要约台账 / offer ledgers of past campaigns", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Attach `bargain ledger` to the root app."""
    app.add_typer(ledgers, name="ledger")


@ledgers.command("import")
def import_(
    ctx: typer.Context,
    file: FileArg,
    sheet: SheetOpt = None,
    skip_invalid: SkipOpt = False,
    check: CheckOpt = False,
    fmt: FormatOpt = TableJson.table,
) -> None:
    """导入要约台账，每行成为一个案件 / import an offer ledger: each row becomes a case.

    Columns (English or Chinese headers): credit_code 统一社会信用代码, year 年度, level 要约方式
    (enterprise|upper, 企业工会|上级工会), offer_date 要约日期, response 应约情况 (accepted|refused|none,
    应约|拒绝|无), response_date 应约日期. The offer and the reply are fired through the workflow at the
    ledger's dates, so reports count past years like live ones; one case per enterprise and year.

    Example: bargain ledger import 2025要约台账.xlsx
    """
    from engine.imports.ledger import LedgerImport

    st = state(ctx)
    run_import(ctx, LedgerImport(recorded_at=now(), actor=st.who()), file, sheet=sheet, skip_invalid=skip_invalid,
               check=check, fmt=fmt)
