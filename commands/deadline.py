"""bargain deadlines / tick / holidays: legal due dates, the daily tick, and the holiday calendar."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from commands.common import TableJson, as_of_day, console, echo_json, now, progress_bar, state
from commands.printing import deadline_json, deadline_row, labels, warn_provisional

if TYPE_CHECKING:
    pass


class Status(str, Enum):
    open = "open"
    met = "met"
    overdue = "overdue"


def register(app: typer.Typer) -> None:
    """Attach `bargain deadlines`, `bargain tick` and `bargain holidays` to the root app."""
    app.command("deadlines")(deadlines)
    app.command("tick")(tick)
    app.command("holidays")(holidays_)


def deadlines(
    ctx: typer.Context,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="以哪天为准 / as of this date (default: today)")] = None,
    org: Annotated[Optional[str], typer.Option(help="组织代码 / only this organisation's subtree")] = None,
    kind: Annotated[Optional[str], typer.Option(help="期限类型 / only this kind, e.g. offer_reply")] = None,
    status: Annotated[Optional[Status], typer.Option(help="只列此状态 / only open, met or overdue")] = None,
    all_: Annotated[bool, typer.Option("--all", help="含已结束的期限（历史）/ include deadlines already met or ended")] = False,
    limit: Annotated[int, typer.Option(help="表格最多行数 / at most this many table rows (JSON: all)")] = 1000,
    fmt: Annotated[TableJson, typer.Option("--format")] = TableJson.table,
) -> None:
    """列出法定期限：到期日、状态和依据 / list legal deadlines with their due date, status and rule.

    By default only deadlines cases still wait on (open or overdue); --all adds those met or ended.
    Due dates follow the Civil Code (arts. 201-203) on the official calendar and each case's jurisdiction.

    Example: bargain deadlines --org 320505 --status overdue --as-of 2026-10-20
    """
    from engine.usecases import deadlines as listing

    st = state(ctx)
    day = as_of_day(as_of)
    ended = all_ or status is Status.met  # a met deadline no longer waits: it is history
    rows = listing.listed(st.store(light=True), day, org=org.strip() if org else None, kind=kind,
                          status=status.value if status else None, include_ended=ended,
                          who=st.principal())
    warn_provisional([d for _, d in rows], st.lang)
    if as_of and day < as_of_day(None):  # a past day: say what the list is (cases are not rewound to that day)
        typer.echo(st.t(f"注意：{day} 早于今天。所列为各案件现在所处环节的期限及其在 {day} 的状态；"
                        "此后已推进或办结的案件，不回溯为当日的情况",
                        f"note: {day} is before today. This lists the deadlines of each case's present step with their "
                        f"status on {day}; a case that moved on since is not rewound to how it stood then"), err=True)
    if fmt is TableJson.json:
        echo_json([deadline_json(d, r) for r, d in rows])
        return
    from engine.outputs.render import simple_table

    names = labels(st.lang)
    head = st.t("案件,企业,期限,到期日,状态,依据,备注", "case,enterprise,deadline,due,status,rule,note").split(",")
    table = [[str(r.case.case_id), r.name, *deadline_row(d, st.lang, names)] for r, d in rows[:limit]]
    shown = f"{len(table)}/{len(rows)}" if len(rows) > len(table) else str(len(rows))
    title = st.t(f"法定期限（截至 {day}，{shown} 项）", f"Deadlines as of {day} ({shown})")
    console().print(simple_table(title, head, table))


def tick(
    ctx: typer.Context,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="以哪天为准 / as of this date, not after today (default: today)")] = None,
    details: Annotated[bool, typer.Option("--details", help="逐案列出每个自动转换 / list every transition, case by case")] = False,
    fmt: Annotated[TableJson, typer.Option("--format")] = TableJson.table,
) -> None:
    """执行到期的自动转换（逾期未答复、审查期满、合同期满）/ apply the automatic transitions that are due.

    lapse_offer (no reply in time → refused), lapse_review (no objection in time → effective) and
    expire (term ended → expired), recorded by `system` at the moment each period ran out. Running it
    twice changes nothing the second time.

    On a terminal a progress bar runs on stderr. The table is a summary: transitions by organisation
    (the branch below the root) and kind; --details lists every transition instead. JSON always has
    every transition in `applied`, as before, and the same summary in `summary`; --details does not
    change it.

    Example: bargain tick --as-of 2026-10-20
    """
    from engine.registry import holidays
    from engine.usecases import tick as ticker

    st = state(ctx)
    day = as_of_day(as_of)
    holidays.calendar()
    store = st.store(writing=True)
    with progress_bar(st.t("自动转换", "automatic transitions")) as step:
        result = ticker.run(store, as_of=day, recorded_at=now(), progress=step, who=st.principal())
    warn_provisional(result.waiting, st.lang)
    for case_id, exc in result.failed:
        typer.echo(st.t(f"警告：案件 {case_id} 未能自动推进：", f"warning: case {case_id} was not moved: ") + exc.message(st.lang),
                   err=True)
    groups = ticker.summary(store, result.applied)
    if fmt is TableJson.json:
        echo_json({
            "as_of": day.isoformat(), "applied": [a.as_json() for a in result.applied], "cases": result.cases,
            "summary": [g.as_json() for g in groups],
            "waiting": [d.as_json() for d in result.waiting],
            "failed": [{"case_id": i, **exc.as_json("en")} for i, exc in result.failed],
        })
        return
    if result.waiting:
        typer.echo(st.t(f"{len(result.waiting)} 项期限涉及未知年份的节假日，暂不执行（见上方警告）",
                        f"{len(result.waiting)} lapses wait for holiday data of an unknown year (see the warning above)"))
    if not result.applied:
        typer.echo(st.t(f"截至 {day} 没有到期的自动转换", f"nothing due as of {day}"))
        return
    from engine.outputs.render import simple_table

    title = st.t(f"自动转换（截至 {day}，{len(result.applied)} 次，{result.cases} 个案件）",
                 f"Automatic transitions as of {day} ({len(result.applied)} in {result.cases} cases)")
    if details:
        head = st.t("案件,信用代码,触发器,从,到,发生时间,期限,到期日", "case,credit code,trigger,from,to,at,deadline,due").split(",")
        rows = [[a.case_id, a.credit_code, a.trigger, a.from_state, a.to_state, a.at.isoformat(), a.deadline, a.due.isoformat()]
                for a in result.applied]
        console().print(simple_table(title, head, rows))
        return
    head = st.t("组织代码,组织,触发器,转换,案件", "org,organisation,trigger,transitions,cases").split(",")
    rows = [[g.org_code, g.org_name, g.trigger, g.transitions, g.cases] for g in groups]
    by_trigger: dict[str, int] = {}
    for g in groups:
        by_trigger[g.trigger] = by_trigger.get(g.trigger, 0) + g.transitions
    rows += [["", st.t("合计", "total"), trigger, n, ""] for trigger, n in sorted(by_trigger.items())]
    console().print(simple_table(title, head, rows))
    typer.echo(st.t("逐案明细：bargain tick --details 或 --format json", "every case: bargain tick --details, or --format json"))


def holidays_(
    ctx: typer.Context,
    year: Annotated[Optional[int], typer.Option(help="列出某年的放假与调休 / list one year's rest and make-up working days")] = None,
    fmt: Annotated[TableJson, typer.Option("--format")] = TableJson.table,
) -> None:
    """节假日日历：已知年份，或某年的放假与调休 / the holiday calendar: known years, or one year's days.

    Years come from the chinese-calendar package plus data/holidays/YYYY.toml (and $BARGAIN_HOLIDAYS).

    Example: bargain holidays --year 2026
    """
    from engine.registry import holidays

    st = state(ctx)
    cal = holidays.calendar()
    years = sorted(cal.holidays.years)
    if year is None:
        if fmt is TableJson.json:
            echo_json({"years": years})
        else:
            span = f"{years[0]}–{years[-1]}" if years else "—"
            typer.echo(st.t(f"已知节假日安排的年份：{span}（共 {len(years)} 年）", f"years with a known holiday arrangement: {span} "
                            f"({len(years)} years)"))
        return
    if not cal.known(year):
        from engine.errors import NotFoundError

        raise NotFoundError(f"{year} 年节假日安排未知：请添加 data/holidays/{year}.toml",
                            f"the holidays of {year} are not known: add data/holidays/{year}.toml",
                            rule="holiday_year", actual=year)
    rest = sorted(d for d in cal.holidays.rest if d.year == year)
    work = sorted(d for d in cal.holidays.work if d.year == year)
    if fmt is TableJson.json:
        echo_json({"year": year, "rest_days": [d.isoformat() for d in rest], "working_days": [d.isoformat() for d in work]})
        return
    from engine.outputs.render import simple_table

    rows = [[d.isoformat(), st.t("放假", "rest day")] for d in rest] + [[d.isoformat(), st.t("调休上班", "make-up working day")]
                                                                       for d in work]
    rows.sort()
    console().print(simple_table(st.t(f"{year} 年节假日安排", f"Holidays of {year}"), [st.t("日期", "day"), st.t("类型", "kind")], rows))
