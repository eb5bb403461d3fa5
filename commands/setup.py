"""bargain init and bargain demo."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from commands.common import TableJson, as_of_day, checked_folder, console, echo_json, now, progress_bar, rich_console, state
from commands.printing import print_timeline, report_console, state_names, write_file


def register(app: typer.Typer) -> None:
    """Attach `bargain init` and `bargain demo` to the root app."""
    app.command("init")(init)
    app.command("demo")(demo)
    app.command("reproject")(reproject)


def init(ctx: typer.Context) -> None:
    """创建或升级数据库结构 / create or upgrade the database schema.

    Example: bargain --db sqlite:///city.db init
    """
    st = state(ctx)
    store = st.store()  # opening the store applies any revision the database lacks
    if store.backup_path is not None:
        typer.echo(st.t(f"升级前已备份：{store.backup_path}", f"copied before the upgrade: {store.backup_path}"))
    typer.echo(st.t(f"数据库已就绪：{store.url}", f"database ready: {store.url}"))


def reproject(
    ctx: typer.Context,
    fmt: Annotated[TableJson, typer.Option("--format")] = TableJson.table,
) -> None:
    """按现行节假日与地区配置重算所有案件的期限列 / recompute every case's stored deadline columns.

    The stored due dates (reply_due, next_due, lapse_due: what deadline lists, overdue counts and the tick
    read) are computed on the holiday calendar and the jurisdiction profiles in force. A writing command
    does this by itself when it sees they changed; this runs it now, whatever the fingerprint says.

    Example: bargain reproject
    """
    from engine.usecases import reproject as reprojecting

    st = state(ctx)
    store = st.store()
    with progress_bar(st.t("重算期限", "recomputing deadlines")) as tick:
        done = reprojecting.run(store, who=st.principal(), progress=tick)
    if fmt is TableJson.json:
        echo_json({"cases": done.cases, "changed": done.changed, "fingerprint": done.fingerprint,
                   "previous": done.previous})
        return
    typer.echo(st.t(f"已重算 {done.cases} 个案件的期限，{done.changed} 个有变动",
                    f"deadlines recomputed for {done.cases} cases, {done.changed} moved"))


def demo(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option(
        help="输出目录 / folder for the demo database and files", callback=checked_folder)] = Path("demo-out"),
    enterprises: Annotated[int, typer.Option(help="企业数 / number of enterprises")] = 300,
) -> None:
    """演示：在 SQLite 上建一个示例城市并走完一个协商年度 / build a sample city on SQLite and play a bargaining year.

    Example: bargain demo --out demo-out
    """
    from rich.progress import Progress

    from engine.errors import DataError
    from engine.store.database import Store
    from engine.usecases import caseview
    from engine.usecases import demo as demo_mod

    if not 1 <= enterprises <= 100_000:
        raise DataError(f"--enterprises 应在 1 到 100000 之间，而不是 {enterprises}",
                        f"--enterprises must be between 1 and 100000, not {enterprises}", rule="demo_size", actual=enterprises)
    st = state(ctx)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DataError(f"无法建立文件夹 {out}：{exc.strerror or exc}", f"cannot make the folder {out}: {exc.strerror or exc}",
                        rule="out", actual=str(out)) from None
    db = out / "demo.db"
    for f in (db, out / "demo.db-wal", out / "demo.db-shm"):
        f.unlink(missing_ok=True)
    store = Store(f"sqlite:///{db}")
    with Progress(console=rich_console(stderr=True), transient=True) as bar:
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
    _summary(ctx, played)
    print_timeline(st, caseview.timeline(store, played.showcase, as_of=as_of_day(None)))
    files = write_demo_files(store, out, org_code=demo_mod.CITY[0], year=2026, lang=st.lang)
    c.print(st.t(f"指导员登记表：{files['form']}；年度工作总结：{files.get('summary', '—')}",
                 f"counselor registration form: {files['form']}; annual summary: {files.get('summary', '—')}"))
    reports = write_demo_reports(store, out, org_code=demo_mod.CITY[0], year=2026, lang=st.lang)
    c.print(st.t(f"要约行动报表：{reports['xlsx']}；图表：{reports['png']}",
                 f"campaign report: {reports['xlsx']}; chart: {reports['png']}"))
    people = demo_mod.add_users(store)
    c.print(st.t(f"数据库：{db}（可用 --db sqlite:///{db} --as 登录名 继续操作）",
                 f"database: {db} (continue with --db sqlite:///{db} --as LOGIN)"))
    from engine.outputs.render import simple_table

    c.print(simple_table(st.t("演示用户（网页登录）", "Demo users (for the web pages)"),
                         [st.t("登录名", "login"), st.t("密码", "password"), st.t("姓名", "name"), st.t("角色", "role"),
                          st.t("组织", "org"), st.t("指导员编号", "counselor")],
                         [(u["login"], u["password"], u["name"], u["role"], u["org"], u["counselor_id"] or "") for u in people]))
    c.print(st.t(f"打开网页：bargain --db sqlite:///{db} serve，然后在浏览器访问 http://127.0.0.1:8000/",
                 f"open the web pages: bargain --db sqlite:///{db} serve, then browse to http://127.0.0.1:8000/"))


def _tick(store: Any, played: Any) -> Any:
    """Run the daily tick as a federation would, as of the demo's today (never after the real today)."""
    from datetime import date

    from engine.registry import holidays
    from engine.usecases import caseview
    from engine.usecases import tick as ticker

    holidays.calendar()
    result = ticker.run(store, as_of=min(date.today(), date(2026, 11, 23)), recorded_at=now())
    played.by_state = caseview.states_count(store)
    return result


def _summary(ctx: typer.Context, played: Any) -> None:
    from engine import registry
    from engine.outputs.render import simple_table

    st = state(ctx)
    spec = registry.spec("enterprise_wage")
    by_state = played.by_state
    rows = [(spec.states[s].zh if st.lang == "zh" else s, by_state.get(s, 0)) for s in spec.states if by_state.get(s)]
    headers = [st.t("状态", "state"), st.t("案件数", "cases")]
    console().print(simple_table(st.t("案件状态（2026 年度）", "Cases by state (2026)"), headers, rows))


def write_demo_files(store: Any, out: Path, *, org_code: str, year: int, lang: str = "zh") -> dict[str, Path]:
    """For `bargain demo`: the org's registration form (as of 10 April, before the 17 April deadline) and the annual
    summary of its busiest full-time counselor, written beside the demo database."""
    from engine import registration
    from engine.outputs.form_sheet import write_xlsx
    from engine.outputs.summary_doc import write_docx
    from engine.usecases import counselor_work

    found = counselor_work.form_people(store, org_code)
    unit, people = found.unit, found.people
    doc = counselor_work.busiest_summary(store, org_code, year)
    paths = {"form": out / f"counselor-form-{org_code}.xlsx"}
    write_xlsx(registration.build(people, unit=unit, filled_on=date(year, 4, 10), filler="市总民管部"), paths["form"])
    if doc is not None:
        paths["summary"] = out / f"counselor-summary-{doc['counselor']['id']}-{year}.docx"
        write_docx(doc, state_names(), paths["summary"], lang, created=now())
    return paths


def write_demo_reports(store: Any, out: Path, *, org_code: str, year: int, lang: str) -> dict[str, Path]:
    """For `bargain demo`: print the campaign report and write its xlsx and png beside the database."""
    from engine.outputs import export
    from engine.outputs.chart import render_png
    from engine.outputs.page import Filing
    from engine.times import local_date
    from engine.usecases import reporting

    report = reporting.campaign(store, year=year, org=org_code, lang=lang)
    c = report_console(report, lang)
    for item in export.text_tables(report, lang):
        c.print(item)
    files = {"xlsx": out / f"campaign-{year}.xlsx", "png": out / f"campaign-{year}.png"}
    filing = Filing(unit=str(report.meta.get("org_name") or ""), preparer="市总民管部", on=local_date(now()))
    write_file(files["xlsx"], export.xlsx_bytes(report, lang, filing))
    rendered = render_png(report, lang)
    if rendered.warning:
        typer.echo(("警告: " if lang == "zh" else "warning: ") + rendered.warning[0 if lang == "zh" else 1], err=True)
    write_file(files["png"], rendered.png)
    return files
