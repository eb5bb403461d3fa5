"""bargain rollup …: the report counts kept per organisation and year, checked against the bare SQL and rebuilt."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from commands.common import TableJson, echo_json, state

rollup = typer.Typer(help="报表计数 / the report counts kept per organisation and year", no_args_is_help=True)

YearOpt = Annotated[Optional[int], typer.Option("--year", min=1900, max=2999,
                                                help="只查该年度（四位年份）/ only this year (four-digit year)")]
FormatOpt = Annotated[TableJson, typer.Option("--format")]

BAND = {"": "—", "<50": "<50", "50-99": "50-99", "100+": "100+"}


def register(app: typer.Typer) -> None:
    """Attach `bargain rollup` to the root app."""
    app.add_typer(rollup, name="rollup")


@rollup.command("check")
def check(ctx: typer.Context, year: YearOpt = None, fmt: FormatOpt = TableJson.table) -> None:
    """核对报表计数与明细 SQL 是否一致 / compare the kept report counts with the bare SQL.

    Prints every difference (organisation path, year, size band, workflow, measure, kept, bare); then the coverage
    counts kept by day, against the bare SQL of the coverage report on every day on which a count may change (a
    contract takes effect or its term ends, an enterprise retires, regional cover is added or removed) and today
    (with --year, that year's days): each figure at each organisation path, its own enterprises and its subtree
    (*), and at the root per size band. Exit 0 when they agree, 1 when one differs (repair with bargain rollup
    rebuild). JSON: {"equal", "year", "differences", "coverage_differences" (day, path, tier, figure, kept, bare)}.

    Example: bargain rollup check --year 2026
    """
    from engine.usecases import rollups

    st = state(ctx)
    diffs = rollups.check(st.store(), year=year, who=st.principal())
    cover = rollups.check_coverage(st.store(), year=year, who=st.principal())
    zh = st.lang == "zh"
    if fmt == TableJson.json:
        echo_json({"equal": not diffs and not cover, "year": year, "differences": diffs, "coverage_differences": cover})
    else:
        for d in diffs:
            wf = d["workflow"] or ("全部流程" if zh else "all workflows")
            band = BAND.get(d["band"], d["band"])
            if zh:
                typer.echo(f"{d['path']} {d['year']} 年 规模 {band} {wf} {d['measure']}：保存 {d['kept']}，明细 {d['bare']}")
            else:
                typer.echo(f"{d['path']} {d['year']} band {band} {wf} {d['measure']}: kept {d['kept']}, bare {d['bare']}")
        for d in cover:
            where = d["path"] + (" 下级合计" if zh else " subtree") * (d["tier"] == "*")
            if zh:
                typer.echo(f"{where} {d['day']} 建制率 {d['figure']}：保存 {d['kept']}，明细 {d['bare']}")
            else:
                typer.echo(f"{where} {d['day']} coverage {d['figure']}: kept {d['kept']}, bare {d['bare']}")
    which = (f"{year} 年" if zh else f"{year}") if year else ("全部年度" if zh else "all years")
    if diffs or cover:
        typer.echo(f"错误: 报表计数有 {len(diffs) + len(cover)} 处与明细不一致（{which}），用 bargain rollup rebuild 重建" if zh else
                   f"error: {len(diffs) + len(cover)} kept report counts differ from the bare SQL ({which}); repair with "
                   "bargain rollup rebuild", err=True)
        raise typer.Exit(1)
    if fmt != TableJson.json:
        typer.echo(f"报表计数与明细一致（{which}）" if zh else f"the kept report counts equal the bare SQL ({which})")


@rollup.command("rebuild")
def rebuild(ctx: typer.Context, year: YearOpt = None, fmt: FormatOpt = TableJson.table) -> None:
    """重建报表计数（一个事务）/ recount the kept report counts from the case and event rows, in one transaction.

    JSON: {"year", "repaired" (counts that differed before), "rows" (rows written)}.

    Example: bargain rollup rebuild
    """
    from engine.usecases import rollups

    st = state(ctx)
    done = rollups.rebuild(st.store(writing=True), year=year, who=st.principal())
    if fmt == TableJson.json:
        echo_json(done)
        return
    zh = st.lang == "zh"
    which = (f"{year} 年" if zh else f"{year}") if year else ("全部年度" if zh else "all years")
    typer.echo(f"已重建报表计数（{which}）：修正 {done['repaired']} 处，写入 {done['rows']} 行" if zh else
               f"rebuilt the kept report counts ({which}): {done['repaired']} repaired, {done['rows']} rows written")
