"""bargain init and bargain demo."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from commands.common import console, now, state


def register(app: typer.Typer) -> None:
    """Attach `bargain init` and `bargain demo` to the root app."""
    app.command("init")(init)
    app.command("demo")(demo)


def init(ctx: typer.Context) -> None:
    """创建或升级数据库结构 / create or upgrade the database schema.

    Example: bargain --db sqlite:///city.db init
    """
    st = state(ctx)
    store = st.store()
    typer.echo(st.t(f"数据库已就绪：{store.url}", f"database ready: {store.url}"))


def demo(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option(help="输出目录 / folder for the demo database and files")] = Path("demo-out"),
    enterprises: Annotated[int, typer.Option(help="企业数 / number of enterprises")] = 300,
) -> None:
    """演示：在 SQLite 上建一个示例城市并走完一个协商年度 / build a sample city on SQLite and play a bargaining year.

    Example: bargain demo --out demo-out
    """
    from rich.progress import Progress

    from engine import demo as demo_mod
    from engine.store import Store

    st = state(ctx)
    out.mkdir(parents=True, exist_ok=True)
    db = out / "demo.db"
    for f in (db, out / "demo.db-wal", out / "demo.db-shm"):
        f.unlink(missing_ok=True)
    store = Store(f"sqlite:///{db}")
    with Progress(console=console(stderr=True), transient=True) as bar:
        task = bar.add_task(st.t("推进案件", "playing cases"), total=enterprises)
        played = demo_mod.run(store, n_enterprises=enterprises, progress=lambda i, n: bar.update(task, completed=i))
    c = console()
    c.print(st.t(
        f"示例城市：{played.orgs} 个工会组织，{played.enterprises} 家企业，{played.counselors} 名指导员，{played.cases} 个案件",
        f"sample city: {played.orgs} organisations, {played.enterprises} enterprises, {played.counselors} counselors, {played.cases} cases",
    ))
    ticked = _tick(store, played)
    c.print(st.t(f"每日 tick（截至 {ticked.as_of}）：{ticked.cases} 个案件自动推进（逾期未答复、审查期满）",
                 f"daily tick (as of {ticked.as_of}): {ticked.cases} cases moved automatically (lapsed offers, reviews)"))
    ctx.find_root().obj = type(st)(db=f"sqlite:///{db}", actor=st.actor, lang=st.lang)
    from commands.case import timeline

    _summary(ctx, played)
    timeline(ctx, played.showcase)
    from commands.counselor import write_demo_files

    files = write_demo_files(store, out, org_code=demo_mod.CITY[0], year=2026, lang=st.lang)
    c.print(st.t(f"指导员登记表：{files['form']}；年度工作总结：{files.get('summary', '—')}",
                 f"counselor registration form: {files['form']}; annual summary: {files.get('summary', '—')}"))
    from commands.report import write_demo_reports

    reports = write_demo_reports(store, out, org_code=demo_mod.CITY[0], year=2026, lang=st.lang)
    c.print(st.t(f"要约行动报表：{reports['xlsx']}；图表：{reports['png']}",
                 f"campaign report: {reports['xlsx']}; chart: {reports['png']}"))
    c.print(st.t(f"数据库：{db}（可用 --db sqlite:///{db} 继续操作）", f"database: {db} (continue with --db sqlite:///{db})"))


def _tick(store: Any, played: Any) -> Any:
    """Run the daily tick as a federation would, as of the demo's today (never after the real today)."""
    from datetime import date

    import sqlalchemy as sa

    from engine import holidays
    from engine import tick as ticker
    from engine.store import case_t

    holidays.calendar()
    result = ticker.run(store, as_of=min(date.today(), date(2026, 11, 23)), recorded_at=now())
    with store.read() as conn:
        played.by_state = dict(conn.execute(sa.select(case_t.c.state, sa.func.count()).group_by(case_t.c.state)).all())
    return result


def _summary(ctx: typer.Context, played: Any) -> None:
    from engine import registry
    from engine.render import simple_table

    st = state(ctx)
    spec = registry.spec("enterprise_wage")
    by_state = played.by_state
    rows = [(spec.states[s].zh if st.lang == "zh" else s, by_state.get(s, 0)) for s in spec.states if by_state.get(s)]
    headers = [st.t("状态", "state"), st.t("案件数", "cases")]
    console().print(simple_table(st.t("案件状态（2026 年度）", "Cases by state (2026)"), headers, rows))
