"""What every `bargain … import FILE` shares: options, the progress bar, bad rows, the one-line summary."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from commands.common import TableJson, echo_json, state

if TYPE_CHECKING:
    from engine.imports.core import Kind, Result

FileArg = Annotated[Path, typer.Argument(
    help="CSV（UTF-8、带 BOM 或 GB18030）或 XLSX 文件 / a CSV (UTF-8, UTF-8 BOM, GB18030) or XLSX file", show_default=False)]
SheetOpt = Annotated[Optional[str], typer.Option(
    "--sheet", help="XLSX 工作表名称或序号（默认第一个可见的）/ sheet name or number (default: the first visible one)")]
SkipOpt = Annotated[bool, typer.Option(
    "--skip-invalid", help="写入正确的行，错误行写入 NAME.rejected.csv / write the good rows, bad ones to NAME.rejected.csv")]
CheckOpt = Annotated[bool, typer.Option("--check", help="只检查，不写入 / validate only, write nothing")]
FormatOpt = Annotated[TableJson, typer.Option(
    "--format", help="table：一行摘要；json：摘要与错误 / table: one summary line; json: summary and errors")]


def summary(result: Result, lang: str) -> str:
    """The one line printed at the end."""
    c = result.counts
    if lang == "zh":
        head = "检查（未写入）" if result.check_only else ("未写入任何内容" if not result.written else "")
        text = (f"{result.file}：新增 {c['inserted']}，更新 {c['updated']}，无变化 {c['unchanged']}，拒绝 {result.rejected_rows}"
                f"（共 {result.rows} 行，{result.seconds:.1f} 秒）")
        return f"{text}；{head}" if head else text
    head = "check only, nothing written" if result.check_only else ("nothing written" if not result.written else "")
    text = (f"{result.file}: {c['inserted']} inserted, {c['updated']} updated, {c['unchanged']} unchanged, "
            f"{result.rejected_rows} rejected ({result.rows} rows in {result.seconds:.1f} s)")
    return f"{text}; {head}" if head else text


def run_import(ctx: typer.Context, kind: Kind, file: Path, *, sheet: str | None = None, skip_invalid: bool = False,
               check: bool = False, fmt: TableJson = TableJson.table) -> Result:
    """Run one import with a progress bar on a terminal; print bad rows and the summary; exit 1 when refused."""
    from engine.errors import DataError
    from engine.imports.core import row_lines, run

    st = state(ctx)
    store = st.store(writing=True)
    if sys.stderr.isatty():
        from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

        from commands.common import rich_console

        with Progress(TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(), TimeElapsedColumn(),
                      console=rich_console(stderr=True), transient=True) as bar:
            task = bar.add_task(st.t(f"导入 {file.name}", f"importing {file.name}"), total=None)

            def tick(done: int, total: int | None) -> None:
                bar.update(task, completed=done, total=total)

            result = run(store, file, kind, sheet=sheet, skip_invalid=skip_invalid, check=check, lang=st.lang, progress=tick,
                         who=st.principal())
    else:
        result = run(store, file, kind, sheet=sheet, skip_invalid=skip_invalid, check=check, lang=st.lang, who=st.principal())
    from engine.outputs.table import safe

    for line in row_lines(result.issues, file.name, st.lang):
        typer.echo(safe(line), err=True)  # a cell's control or bidi character shown as its escape, not sent raw
    if result.hidden_sheets:
        hid = "、".join(f"「{n}」" for n in result.hidden_sheets)
        typer.echo(safe(st.t(f"注意：隐藏的工作表{hid}已跳过，读取的是第一个可见的工作表「{result.sheet}」"
                             f"（要导入隐藏的表，请用 --sheet {result.hidden_sheets[0]}）",
                             f"note: the hidden sheet(s) {', '.join(repr(n) for n in result.hidden_sheets)} skipped; read the "
                             f"first visible sheet '{result.sheet}' (to import a hidden one: --sheet {result.hidden_sheets[0]})")),
                   err=True)
    if result.hidden_rows:
        n, shown = len(result.hidden_rows), result.hidden_rows[:10]
        more_zh, more_en = ("等" if n > len(shown) else ""), (", ..." if n > len(shown) else "")
        typer.echo(st.t(f"注意：{n} 行在 Excel 中是隐藏的（或被筛选掉），也已读取（第 {'、'.join(map(str, shown))} 行{more_zh}）",
                        f"note: {n} rows hidden (or filtered out) in Excel were read too (rows {', '.join(map(str, shown))}{more_en})"),
                   err=True)
    if result.ignored_columns:
        names = ", ".join(result.ignored_columns)
        typer.echo(st.t(f"注意：未识别的列已忽略：{names}", f"note: columns not used: {names}"), err=True)
    if result.rejected_file:
        typer.echo(st.t(f"被拒绝的行已写入 {result.rejected_file}", f"rejected rows written to {result.rejected_file}"), err=True)
    refused = bool(result.issues) and (check or not skip_invalid)
    if fmt == TableJson.json:
        echo_json(result.as_json(st.lang))
    else:
        typer.echo(summary(result, st.lang))
    if refused:
        n = result.rejected_rows
        error = DataError(
            f"{n} 行有错误，未写入任何内容" + ("" if check else "；改正后重新导入，或用 --skip-invalid 只导入正确的行"),
            f"{n} bad rows; nothing was written" + ("" if check else ": fix them and import again, or use --skip-invalid"),
            rule="import_rows", actual=n)
        if fmt == TableJson.json:  # the JSON summary above is the one document on stdout
            typer.echo(("错误: " if st.lang == "zh" else "error: ") + error.message(st.lang), err=True)
            raise typer.Exit(1)
        raise error
    return result


def rows_json(rows: Any, keys: tuple[str, ...]) -> list[dict[str, Any]]:
    """Database rows as JSON objects with the given keys (the import columns' English names)."""
    return [{k: getattr(r, k) for k in keys} for r in rows]
