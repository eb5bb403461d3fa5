"""bargain case cover: the enterprises a regional or industry case covers."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from commands.common import TableJson, checked_id, console, echo_json, now, parse_at, state


def register(cases: typer.Typer) -> None:
    """Attach `bargain case cover` and `bargain case covered` to the case group (cli.py hands it over)."""
    cases.command("cover")(cover)
    cases.command("covered")(covered)


def cover(
    ctx: typer.Context,
    case_id: Annotated[int, typer.Argument(help="区域性/行业性案件编号 / regional case id", callback=checked_id)],
    enterprise: Annotated[Optional[list[str]], typer.Option(
        "--enterprise", help="加入覆盖的企业信用代码（可重复）/ credit code to add")] = None,
    remove: Annotated[Optional[list[str]], typer.Option(
        "--remove", help="移出覆盖的企业信用代码（可重复）/ credit code to remove")] = None,
    file: Annotated[Optional[Path], typer.Option("--file", help="企业清单 CSV/XLSX（列：统一社会信用代码）/ file of credit codes")] = None,
    on: Annotated[Optional[str], typer.Option("--on", help="生效日期 / the date the change takes effect (default: --at)")] = None,
    at: Annotated[Optional[str], typer.Option(help="记录时间 / when it happened")] = None,
    fmt: Annotated[TableJson, typer.Option("--format")] = TableJson.table,
) -> None:
    """调整区域性/行业性合同覆盖的企业 / add or remove the enterprises a regional case covers.

    Example: bargain case cover 12 --file 甪直镇餐饮企业.csv --on 2026-05-01
    """
    from engine.credit import check_credit_code
    from engine.times import local_date
    from engine.usecases.regional import cover as do_cover

    st = state(ctx)
    codes = [check_credit_code(c) for c in enterprise or []]
    if file is not None:
        from engine.imports.coverfile import read_codes

        codes.extend(read_codes(file))
    drop = [check_credit_code(c) for c in remove or []]
    when = parse_at(at)
    day = local_date(parse_at(on)) if on else local_date(when)
    result = do_cover(st.store(writing=True), case_id, add=codes, remove=drop, on=day, at=when, recorded_at=now(), actor=st.who(),
                      who=st.principal())
    if fmt is TableJson.json:
        echo_json({"case_id": case_id, "on": day.isoformat(), **result})
        return
    n_add, n_rm, n_same = len(result["added"]), len(result["removed"]), len(result["unchanged"])
    typer.echo(st.t(
        f"案件 {case_id}：加入 {n_add} 家，移出 {n_rm} 家，已覆盖未变 {n_same} 家（{day} 起）",
        f"case {case_id}: {len(result['added'])} added, {len(result['removed'])} removed, "
        f"{len(result['unchanged'])} already covered (from {day})",
    ))


def covered(
    ctx: typer.Context,
    case_id: Annotated[int, typer.Argument(help="区域性/行业性案件编号 / regional case id", callback=checked_id)],
    on: Annotated[Optional[str], typer.Option("--on", help="某日覆盖的企业 / covered on this date (default: all, with dates)")] = None,
    fmt: Annotated[TableJson, typer.Option("--format")] = TableJson.table,
) -> None:
    """列出区域性/行业性案件覆盖的企业 / list the enterprises a regional case covers.

    Example: bargain case covered 12 --on 2026-06-30
    """
    from engine.outputs.render import simple_table
    from engine.times import local_date
    from engine.usecases.regional import covered as list_covered

    st = state(ctx)
    day = local_date(parse_at(on)) if on else None
    rows = list_covered(st.store(), case_id, day, who=st.principal())
    if fmt is TableJson.json:
        echo_json(rows)
        return
    cols = ["credit_code", "name", "employees", "added_on", "removed_on"]
    title = st.t(f"案件 {case_id} 覆盖企业（{len(rows)} 家）", f"Enterprises covered by case {case_id} ({len(rows)})")
    console().print(simple_table(title, cols, [[r[c] for c in cols] for r in rows]))
