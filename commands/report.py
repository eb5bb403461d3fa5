"""bargain report …: campaign, coverage, funnel and overdue figures for managers (DOMAIN §7)."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from commands.common import as_of_day, checked_out, now, out_format, state
from commands.printing import report_console, write_file

if TYPE_CHECKING:
    from engine.reports.model import Report

reports = typer.Typer(help="统计报表 / reports for managers", no_args_is_help=True)


class ReportFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"
    md = "md"
    png = "png"
    pdf = "pdf"


EXTENSIONS = {"table": "txt", "json": "json", "csv": "csv", "xlsx": "xlsx", "md": "md", "png": "png", "pdf": "pdf"}


class GroupBy(str, Enum):
    org = "org"
    industry = "industry"
    size = "size"


def register(app: typer.Typer) -> None:
    """Attach `bargain report` to the root app."""
    app.add_typer(reports, name="report")


OrgOpt = Annotated[Optional[str], typer.Option("--org", help="组织代码：只统计该组织及其下级 / only this organisation's subtree")]
ByOpt = Annotated[GroupBy, typer.Option("--by", help="分组：下级组织、行业或职工人数 / group by sub-organisation, industry or size band")]
FormatOpt = Annotated[Optional[ReportFormat], typer.Option(
    "--format", help="输出格式 / table|json|csv|xlsx|md|png|pdf (default: from --out's extension, else table); "
                     "csv: 英文列名与小数（CLI.md，不随 --lang 变化）/ the English keys and fractions of CLI.md whatever --lang; "
                     "xlsx: 中文表头与百分比 / headers in the chosen language, rates as %")]
OutOpt = Annotated[Optional[Path], typer.Option(
    "--out", help="写入文件 / write to this file (xlsx, png and pdf default to a file in the current folder)", callback=checked_out)]
WorkflowOpt = Annotated[Optional[str], typer.Option("--workflow", help="只统计该工作流的案件 / only cases of this workflow (default: all)")]


def _year(value: int, option: str) -> int:
    from engine.values import check_year

    return check_year(value, option)


def _as_of(value: Optional[str]) -> Any:
    return as_of_day(value, rule="date")  # one parser and one message for every --as-of (2026-02-29 says why)


def _format(fmt: Optional[ReportFormat], out: Optional[Path]) -> ReportFormat:
    return ReportFormat(out_format(fmt.value if fmt else None, out, EXTENSIONS, "table"))


def emit(ctx: typer.Context, report: Report, fmt: Optional[ReportFormat], out: Optional[Path], stem: str) -> Optional[Path]:
    """Print or write a report in the chosen format; returns the file written, if any."""
    from engine.outputs import export
    from engine.outputs.page import Filing
    from engine.times import local_date

    st = state(ctx)
    lang = st.lang
    chosen = _format(fmt, out)
    if chosen in (ReportFormat.xlsx, ReportFormat.png, ReportFormat.pdf):
        path = out or Path(f"{stem}.{chosen.value}")
        filing = Filing(unit=str(report.meta.get("org_name") or st.t("全部组织", "all organisations")),
                        preparer=st.who(), on=local_date(now()))
        if chosen is ReportFormat.xlsx:
            write_file(path, export.xlsx_bytes(report, lang, filing))
        elif chosen is ReportFormat.pdf:
            from engine.outputs.pdf import pdf_bytes
            from engine.outputs.report_page import report_html

            write_file(path, pdf_bytes(report_html(report, lang, filing), title=report.title(lang), author=filing.preparer))
        else:
            from engine.outputs.chart import render_png

            rendered = render_png(report, lang)
            if rendered.warning:
                typer.echo(("警告: " if lang == "zh" else "warning: ") + st.t(*rendered.warning), err=True)
            write_file(path, rendered.png)
        typer.echo(st.t(f"已写入 {path}", f"written: {path}"))
        return path
    if chosen is ReportFormat.table and out is None:
        c = report_console(report, lang)
        for item in export.text_tables(report, lang):
            c.print(item)
        return None
    if chosen is ReportFormat.json:
        from engine.outputs.render import to_json

        text = to_json(report.as_json()) + "\n"
    elif chosen is ReportFormat.csv:
        text = export.csv_text(report)
    elif chosen is ReportFormat.md:
        text = export.markdown(report, lang)
    else:
        text = export.text_table(report, lang)
    if out is None:
        typer.echo(text, nl=False)
        return None
    write_file(out, text.encode("utf-8"))
    # Say what was written; on stderr for JSON, so stdout stays one JSON document (CLI.md).
    typer.echo(st.t(f"已写入 {out}", f"written: {out}"), err=chosen is ReportFormat.json)
    return out


def _access(ctx: typer.Context, fmt: Optional[ReportFormat], out: Optional[Path]) -> dict[str, Any]:
    """Who asks, and whether it is an export (a file, csv, xlsx or png: report.export) or a reading (report.read)."""
    exporting = out is not None or _format(fmt, out) in (ReportFormat.csv, ReportFormat.xlsx, ReportFormat.png)
    return {"who": state(ctx).principal(), "export": exporting}


def _lang(ctx: typer.Context, fmt: Optional[ReportFormat], out: Optional[Path]) -> str:
    """The language a report is built in: --lang, except for JSON and CSV, whose labels (group_name) are English
    whatever --lang, as their keys are (CLI.md: JSON is stable; a script reads the same file in either language)."""
    return "en" if _format(fmt, out) in (ReportFormat.json, ReportFormat.csv) else state(ctx).lang


def _stem(kind: str, label: str, org: Optional[str]) -> str:
    return f"{kind}-{label}" + (f"-{org}" if org else "")


@reports.command("campaign")
def campaign(
    ctx: typer.Context,
    year: Annotated[int, typer.Option("--year", help="要约年度 / campaign year (the year of the first offer)")],
    org: OrgOpt = None,
    by: ByOpt = GroupBy.org,
    compare: Annotated[Optional[int], typer.Option("--compare", help="对比年度 / another year to show beside it, with the change")] = None,
    workflow: WorkflowOpt = None,
    fmt: FormatOpt = None,
    out: OutOpt = None,
) -> None:
    """要约行动统计：要约数、上级要约占比、应约率、签订与生效 / the offer campaign: offers, upper share, acceptance, contracts.

    Example: bargain report campaign --year 2026 --org 320500 --by org --format xlsx --out campaign.xlsx
    """
    from engine.usecases import reporting

    st = state(ctx)
    report = reporting.campaign(st.store(), year=_year(year, "--year"), org=org, by=by.value,
                       compare=_year(compare, "--compare") if compare is not None else None, workflow=workflow, lang=_lang(ctx, fmt, out),
                       **_access(ctx, fmt, out))
    emit(ctx, report, fmt, out, _stem("campaign", str(year), report.meta.get("org")))


@reports.command("coverage")
def coverage(
    ctx: typer.Context,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="统计日 / the date (default: today)")] = None,
    org: OrgOpt = None,
    by: ByOpt = GroupBy.org,
    compare: Annotated[Optional[int], typer.Option(
        "--compare", help="对比年度：同月同日 / the same day of another year, with the change")] = None,
    fmt: FormatOpt = None,
    out: OutOpt = None,
) -> None:
    """建制率：已建会企业中集体合同在有效期内的比例，总体及50人、100人以上 / contract coverage on a date, overall and 50+ / 100+.

    Example: bargain report coverage --as-of 2026-12-31 --org 320500 --format png --out coverage.png
    """
    from engine.usecases import reporting

    st = state(ctx)
    day = _as_of(as_of)
    report = reporting.coverage(st.store(), as_of=day, org=org, by=by.value,
                       compare=_year(compare, "--compare") if compare is not None else None, lang=_lang(ctx, fmt, out),
                       **_access(ctx, fmt, out))
    emit(ctx, report, fmt, out, _stem("coverage", day.isoformat(), report.meta.get("org")))


@reports.command("funnel")
def funnel(
    ctx: typer.Context,
    year: Annotated[int, typer.Option("--year", help="要约年度 / campaign year")],
    org: OrgOpt = None,
    workflow: WorkflowOpt = None,
    fmt: FormatOpt = None,
    out: OutOpt = None,
) -> None:
    """进度漏斗：各状态达到数、停留数与各环节天数中位数 / how far the year's cases got, where they stall, median days per step.

    Example: bargain report funnel --year 2026 --org 320505 --format md
    """
    from engine.usecases import reporting

    st = state(ctx)
    report = reporting.funnel(st.store(), year=_year(year, "--year"), org=org, workflow=workflow, lang=_lang(ctx, fmt, out),
                              **_access(ctx, fmt, out))
    emit(ctx, report, fmt, out, _stem("funnel", str(year), report.meta.get("org")))


@reports.command("overdue")
def overdue(
    ctx: typer.Context,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="统计日 / the date (default: today)")] = None,
    org: OrgOpt = None,
    fmt: FormatOpt = None,
    out: OutOpt = None,
) -> None:
    """逾期案件：按期限类型和下级组织统计已超过法定期限仍未完成的案件 / overdue cases by kind of deadline and sub-organisation.

    Example: bargain report overdue --as-of 2026-06-30 --org 320500 --format xlsx --out overdue.xlsx
    """
    from engine.usecases import reporting

    st = state(ctx)
    day = _as_of(as_of)
    report = reporting.overdue(st.store(), as_of=day, org=org, lang=_lang(ctx, fmt, out), **_access(ctx, fmt, out))
    emit(ctx, report, fmt, out, _stem("overdue", day.isoformat(), report.meta.get("org")))


@reports.command("quality")
def quality(
    ctx: typer.Context,
    year: Annotated[int, typer.Option("--year", help="合同期限起始年度 / the year the contracts' terms start")],
    org: OrgOpt = None,
    by: ByOpt = GroupBy.org,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="期限核对日 / deadlines as of this day (default: today)")] = None,
    fmt: FormatOpt = None,
    out: OutOpt = None,
) -> None:
    """集体合同质量：各项得分及其权重与依据、照抄与典型案例 / contract quality: each part with its weight and source, copies, typical.

    Example: bargain report quality --year 2026 --org 320500 --by industry --format md
    """
    from engine.usecases import reporting

    st = state(ctx)
    report = reporting.quality(st.store(), year=_year(year, "--year"), org=org, by=by.value, as_of=_as_of(as_of), lang=_lang(ctx, fmt, out),
                               **_access(ctx, fmt, out))
    emit(ctx, report, fmt, out, _stem("quality", str(year), report.meta.get("org")))


@reports.command("wages")
def wages(
    ctx: typer.Context,
    year: Annotated[int, typer.Option("--year", help="合同期限起始年度 / the year the contracts' terms start")],
    org: OrgOpt = None,
    by: ByOpt = GroupBy.org,
    fmt: FormatOpt = None,
    out: OutOpt = None,
) -> None:
    """工资协议条款同比：调整幅度、企业最低工资、第七条内容 / agreed wages year on year: adjustment %, minimum wage, items covered.

    Example: bargain report wages --year 2027 --org 320500 --by industry
    """
    from engine.usecases import reporting

    st = state(ctx)
    report = reporting.wages(st.store(), year=_year(year, "--year"), org=org, by=by.value, lang=_lang(ctx, fmt, out),
                             **_access(ctx, fmt, out))
    emit(ctx, report, fmt, out, _stem("wages", str(year), report.meta.get("org")))
