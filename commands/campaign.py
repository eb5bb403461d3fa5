"""bargain campaign …: the annual offer campaign (要约行动)."""

from __future__ import annotations

import sys
from enum import Enum
from typing import Annotated, Any, Optional

import typer

from commands.common import TableJson, checked_year, console, echo_json, now, parse_at, rich_console, state

campaigns = typer.Typer(help="要约行动 / the annual offer campaign", no_args_is_help=True)


class Level(str, Enum):
    enterprise = "enterprise"
    upper_level = "upper"  # (not `upper`: that is a str method)


def register(app: typer.Typer) -> None:
    """Attach `bargain campaign` to the root app."""
    app.add_typer(campaigns, name="campaign")


@campaigns.command("launch")
def launch(
    ctx: typer.Context,
    year: Annotated[int, typer.Option(help="要约年度 / campaign year", callback=checked_year)],
    org: Annotated[Optional[str], typer.Option(
        help="组织代码：只在其下级范围内 / organisation whose subtree is targeted (default: all)")] = None,
    level: Annotated[Level, typer.Option(
        help="已建会企业的要约方式（未建会的一律由上级工会要约）/ offer level where there is a union")] = Level.enterprise,
    at: Annotated[Optional[str], typer.Option(help="要约发出日期或时间（默认现在）/ when the offers go out (default: now)")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只统计，按下级组织列出 / count by sub-organisation, open nothing")] = False,
    fmt: Annotated[TableJson, typer.Option("--format")] = TableJson.table,
) -> None:
    """发起要约行动：向范围内无合同在执行、无进行中案件的企业立案并发出要约 / launch the offer launch.

    Opens a case and sends an offer to every enterprise in the subtree with no contract in force and no
    case under way; enterprises without a union get the upper-level offer. All or nothing; a second run
    opens nothing.

    Example: bargain campaign launch --year 2026 --org 320505 --at 2026-03-02 --dry-run
    """
    from engine.usecases import launch

    st = state(ctx)
    when = parse_at(at)
    store = st.store(writing=True)
    kwargs: dict[str, Any] = {"year": year, "org": org, "at": when, "recorded_at": now(), "actor": st.who(),
                              "level": level.value, "dry_run": dry_run, "who": st.principal()}
    if sys.stderr.isatty() and not dry_run:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=rich_console(stderr=True), transient=True) as bar:
            task = bar.add_task(st.t("立案并发出要约", "opening cases and sending offers"), total=None)
            done = launch.launch(store, **kwargs, progress=lambda i, n: bar.update(task, completed=i, total=n))
    else:
        done = launch.launch(store, **kwargs)
    if fmt == TableJson.json:
        echo_json(done.as_json())
        return
    _print(st, done)


def _print(st: Any, done: Any) -> None:
    from engine.outputs.render import simple_table

    scope = done.org or st.t("全部", "all")
    title = st.t(f"{done.year} 年度要约行动（{scope}）", f"{done.year} offer campaign ({scope})")
    rows = [(g["org"], g["name"], g["cases"], g["upper"], g["carried_over"]) for g in done.by_org]
    rows.append((st.t("合计", "total"), "", done.to_open, sum(g["upper"] for g in done.by_org), done.carried_over))
    offered = st.t("拟要约", "to offer") if done.dry_run else st.t("已要约", "offered")
    head = [st.t("下级组织", "sub-organisation"), st.t("名称", "name"), offered, st.t("其中上级工会要约", "by upper level"),
            st.t("结转（往年案件未结）", "carried over (open case)")]
    if done.by_org:
        console().print(simple_table(title, head, rows))
    skipped = done.in_scope - done.to_open
    if done.dry_run:
        typer.echo(st.t(
            f"试运行：将立案 {done.to_open} 个（范围内企业 {done.in_scope} 家，"
            f"{skipped} 家已有合同在执行、进行中案件或本年度已要约，其中 {done.carried_over} 家往年案件未结、结转）；未写入",
            f"dry run: would open {done.to_open} cases ({done.in_scope} enterprises in scope, {skipped} with a contract"
            f" in force, a case under way or already offered in {done.year}; {done.carried_over} carried over with an"
            f" earlier case still open); nothing written"))
    else:
        typer.echo(st.t(
            f"已立案并发出要约 {done.opened} 个（范围内企业 {done.in_scope} 家，跳过 {skipped} 家，"
            f"其中结转 {done.carried_over} 家），"
            f"用时 {done.seconds:.1f} 秒",
            f"opened {done.opened} cases with their offers ({done.in_scope} enterprises in scope, {skipped} skipped,"
            f" {done.carried_over} of them carried over)"
            f" in {done.seconds:.1f} s"))
