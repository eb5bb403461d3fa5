"""bargain counselor …: the counselor registry, the registration form, annual summaries and workload."""

from __future__ import annotations

from datetime import date
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from commands.common import TableJson, checked_id, checked_out, checked_year, console, echo_json, now, out_format, state
from commands.importing import CheckOpt, FileArg, FormatOpt, SheetOpt, SkipOpt, rows_json, run_import
from commands.printing import print_updated, state_names

counselors = typer.Typer(help="指导员 / bargaining counselors", no_args_is_help=True)


class FormFormat(str, Enum):
    xlsx = "xlsx"
    csv = "csv"


class SummaryFormat(str, Enum):
    md = "md"
    json = "json"
    docx = "docx"
    pdf = "pdf"


SUMMARY_EXTENSIONS = {"md": "md", "json": "json", "docx": "docx", "pdf": "pdf"}


def _experience(path: Optional[Path]) -> str:
    """The counselor's own 经验和体会, as UTF-8 text (paragraphs separated by a blank line)."""
    from engine.errors import DataError

    if path is None:
        return ""
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"无法读取 {path}：{exc}", f"cannot read {path}: {exc}",
                        hint_zh="经验和体会应为 UTF-8 文本，段落之间空一行", hint_en="write UTF-8 text, a blank line between paragraphs",
                        rule="experience", actual=str(path)) from None


def register(app: typer.Typer) -> None:
    """Attach `bargain counselor` to the root app."""
    app.add_typer(counselors, name="counselor")


def _date_option(value: Optional[str], option: str) -> Optional[date]:
    """A date typed for an option (2026-04-10, 2026/4/10, 2026年4月10日), or a clear refusal naming the option."""
    if value is None or not value.strip():
        return None
    from engine.errors import DataError
    from engine.values import check_day, parse_date

    try:
        return check_day(parse_date(value), option)
    except ValueError:
        raise DataError(f"{option} 不是有效日期：{value}（请写 2026-04-10）", f"{option} is not a date: {value} (write 2026-04-10)",
                        rule="date", actual=value) from None


def _today() -> date:
    from engine.times import local_date

    return local_date(now())


@counselors.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="指导员姓名 / name")],
    org: Annotated[str, typer.Option(help="聘用或所在工会组织代码 / code of the employing organisation")],
    kind: Annotated[Optional[str], typer.Option(help="full_time|part_time（专职|兼职）(new: part_time)")] = None,
    status: Annotated[Optional[str], typer.Option(help="retired|off_post|in_service（退休|离岗|在职）(new: in_service)")] = None,
    gender: Annotated[Optional[str], typer.Option(help="性别 / 男|女")] = None,
    birth_date: Annotated[Optional[str], typer.Option("--birth-date", help="出生日期 / birth date")] = None,
    education: Annotated[Optional[str], typer.Option(help="学历 / education")] = None,
    training: Annotated[Optional[str], typer.Option(help="参加相关培训情况 / training attended")] = None,
    employer: Annotated[Optional[str], typer.Option(help="所在单位名称 / employer (new: the organisation's name)")] = None,
    background: Annotated[Optional[str], typer.Option(help="原工作单位或经历 / former post (e.g. 原区总工会副主席)")] = None,
    term_start: Annotated[Optional[str], typer.Option("--term-start", help="聘用开始 / term start")] = None,
    term_end: Annotated[Optional[str], typer.Option("--term-end", help="聘用结束 / term end")] = None,
    phone: Annotated[Optional[str], typer.Option(help="联系电话 / phone")] = None,
    fmt: Annotated[TableJson, typer.Option("--format")] = TableJson.table,
) -> None:
    """登记或更新一名指导员（同一组织、姓名、出生日期即同一人；只改给出的选项；在职人员只能登记为兼职）/
    register or update one counselor (same organisation, name and birth date: the same person; only the options
    given change; staff in service may only be part-time).

    Example: bargain counselor add 王建国 --org 320505 --kind full_time --status retired --birth-date 1958-05-12
    """
    from engine.usecases import registers

    st = state(ctx)

    def text(value: Optional[str]) -> Optional[str]:
        return value.strip() if value is not None else None

    fields: dict[str, Any] = {
        "name": name.strip(), "gender": gender, "birth_date": _date_option(birth_date, "--birth-date"),
        "education": text(education), "training": text(training), "employer": text(employer), "kind": kind,
        "background": text(background), "status": status, "term_start": _date_option(term_start, "--term-start"),
        "term_end": _date_option(term_end, "--term-end"), "phone": text(phone), "org_code": org.strip(),
    }
    row, done = registers.add_counselor(st.store(writing=True), fields, who=st.principal())
    if fmt is TableJson.json:
        echo_json({**row, **done.as_json()})
        return
    typer.echo(row["id"])
    if done.outcome != "inserted":  # the id stays alone on stdout (scripts read it); what changed goes to stderr
        print_updated(st, done, err=True)


@counselors.command("form")
def form(
    ctx: typer.Context,
    org: Annotated[str, typer.Option(help="填报单位的组织代码 / the reporting organisation (its whole subtree is listed)")],
    out: Annotated[Path, typer.Option(help="输出文件 / output file (.xlsx or .csv)", callback=checked_out)],
    fmt: Annotated[Optional[FormFormat], typer.Option("--format", help="xlsx|csv (default: from the file name)")] = None,
    unit: Annotated[Optional[str], typer.Option(help="填报单位 / reporting unit (default: the organisation's name)")] = None,
    filler: Annotated[Optional[str], typer.Option(help="填表人 / who fills the form (default: --as)")] = None,
    phone: Annotated[str, typer.Option(help="联系电话 / the filler's phone")] = "",
    date_: Annotated[Optional[str], typer.Option("--date", help="填报日期，年龄按此日计 / form date, ages on it (default: today)")] = None,
    blank_rows: Annotated[int, typer.Option("--blank-rows", min=0, max=200,
                                            help="表末留空行数，供手工补填 / empty ruled rows to fill by hand")] = 5,
    note_file: Annotated[Optional[Path], typer.Option(
        "--note-file", help="表下注释模板（UTF-8，每行一段）/ the notes under the table, one paragraph a line "
                            "(default: the Dalian notice's wording, data/registration_note.txt)")] = None,
) -> None:
    """写出《集体协商专职指导员登记表》（大连市总工会通知附件格式，A4 横向）/ write the counselor registration form.

    Example: bargain counselor form --org 320505 --out 登记表.xlsx --filler 张军 --phone 82610417 --date 2026-04-10
    """
    from engine import registration
    from engine.outputs.form_sheet import load_notes, write_csv, write_xlsx
    from engine.usecases import counselor_work

    st = state(ctx)
    notes = load_notes(note_file)
    filled_on = _date_option(date_, "--date") or _today()
    kind = FormFormat(out_format(fmt.value if fmt else None, out, {"xlsx": "xlsx", "csv": "csv"}, "xlsx"))
    found = counselor_work.form_people(st.store(), org.strip(), who=st.principal())
    name, people = found.unit, found.people
    the_form = registration.build(people, unit=unit if unit is not None else name, filled_on=filled_on,
                                  filler=filler if filler is not None else (st.actor or ""), phone=phone)
    (write_csv if kind is FormFormat.csv else write_xlsx)(the_form, out, blank_rows=blank_rows, notes=notes)
    n = len(the_form.rows)
    typer.echo(st.t(f"已写出登记表：{out}（{n} 名专职指导员）", f"registration form written: {out} ({n} full-time counselors)"))
    if n == 0:
        typer.echo(st.t(f"注意：{name} 及下级没有登记专职指导员", f"note: {name} and its subtree have no full-time counselor registered"),
                   err=True)


@counselors.command("summary")
def summary(
    ctx: typer.Context,
    counselor_id: Annotated[int, typer.Argument(help="指导员编号 / counselor id", callback=checked_id)],
    year: Annotated[Optional[int], typer.Option(help="年度 / calendar year (default: this year)", callback=checked_year)] = None,
    fmt: Annotated[Optional[SummaryFormat], typer.Option(
        "--format", help="md|json|docx|pdf (default: from --out's extension, else md)")] = None,
    out: Annotated[Optional[Path], typer.Option(
        help="写入文件 / write to this file (docx/pdf default: counselor-ID-YEAR.docx/.pdf)", callback=checked_out)] = None,
    experience: Annotated[Optional[Path], typer.Option(
        "--experience", help="经验和体会（UTF-8 文本，段落间空一行），写入第七部分 / the counselor's own experience and "
                             "reflections, a text file; also logged entries of activity experience (经验和体会)")] = None,
) -> None:
    """指导员年度工作总结：指导的案件、工时、困难与解决办法、成效、经验和体会，签名与日期 / a counselor's annual work summary.

    Example: bargain counselor summary 1 --year 2026 --format docx --experience 经验体会.txt --out 王建国-2026年度工作总结.docx
    """
    from engine.outputs.files import write_atomic
    from engine.outputs.render import to_json
    from engine.outputs.summary_doc import markdown, summary_html, write_docx
    from engine.usecases import counselor_work

    st = state(ctx)
    chosen = SummaryFormat(out_format(fmt.value if fmt else None, out, SUMMARY_EXTENSIONS, "md"))
    own = _experience(experience)
    y = year or _today().year
    doc = counselor_work.summary(st.store(), counselor_id, y, who=st.principal())
    if chosen is SummaryFormat.docx:
        target = out or Path(f"counselor-{counselor_id}-{y}.docx")
        write_docx(doc, state_names(), target, st.lang, experience=own, created=now())
        typer.echo(st.t(f"已写出年度工作总结：{target}", f"annual summary written: {target}"))
        return
    if chosen is SummaryFormat.pdf:
        from engine.outputs.pdf import pdf_bytes

        target = out or Path(f"counselor-{counselor_id}-{y}.pdf")
        page = summary_html(doc, state_names(), st.lang, experience=own)
        data = pdf_bytes(page, title=f"{doc['counselor']['name']} {y}", author=str(doc["counselor"]["name"]))
        write_atomic(target, lambda tmp: tmp.write_bytes(data))
        typer.echo(st.t(f"已写出年度工作总结：{target}", f"annual summary written: {target}"))
        return
    text = to_json(doc) + "\n" if chosen is SummaryFormat.json else markdown(doc, state_names(), st.lang, experience=own)
    if out is None:
        typer.echo(text, nl=False)
    else:
        write_atomic(out, lambda tmp: tmp.write_text(text, encoding="utf-8"))
        typer.echo(st.t(f"已写入 {out}", f"written: {out}"), err=chosen is SummaryFormat.json)


@counselors.command("workload")
def workload(
    ctx: typer.Context,
    org: Annotated[Optional[str], typer.Option(help="组织代码 / only this organisation's subtree")] = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="截至日期 / as of this day (default: today)")] = None,
    fmt: Annotated[TableJson, typer.Option("--format")] = TableJson.table,
) -> None:
    """指导员工作量：在办案件、逾期期限、本年工时 / per counselor: open cases, overdue deadlines, hours this year.

    Example: bargain counselor workload --org 320505 --as-of 2026-06-30
    """
    from engine.usecases import counselor_work

    st = state(ctx)
    day = _date_option(as_of, "--as-of") or _today()
    rows = counselor_work.workload(st.store(), org.strip() if org else None, day, who=st.principal())
    if fmt is TableJson.json:
        echo_json(rows)
        return
    from engine.counselor import KIND_ZH
    from engine.outputs.render import simple_table

    cols = ["counselor_id", "name", "kind", "org_code", "open_cases_in", "overdue", "entries", "hours"]
    heads = [st.t(z, e) for z, e in (("编号", "id"), ("姓名", "name"), ("类别", "kind"), ("组织", "org"), ("在办案件", "open cases"),
                                      ("逾期期限", "overdue"), ("记录", "entries"), ("本年工时", "hours"))]
    body = [[KIND_ZH.get(r[c], r[c]) if (c == "kind" and st.lang == "zh") else r[c] for c in cols] for r in rows]
    title = st.t(f"指导员工作量（截至 {day.isoformat()}）", f"Counselor workload (as of {day.isoformat()})")
    console().print(simple_table(title, heads, body))


@counselors.command("import")
def import_(
    ctx: typer.Context,
    file: FileArg,
    sheet: SheetOpt = None,
    skip_invalid: SkipOpt = False,
    check: CheckOpt = False,
    fmt: FormatOpt = TableJson.table,
) -> None:
    """从 CSV/XLSX 导入指导员 / import counselors from a CSV or XLSX file.

    Columns (English or Chinese headers): name 指导员姓名, gender 性别, birth_date 出生日期, education 学历,
    training 参加相关培训情况, employer 所在单位名称, kind 类别 (full_time|part_time, 专职|兼职), background
    从业背景, status 状态 (retired|off_post|in_service, 退休|离岗|在职), term_start, term_end (or the form's
    聘用期限), phone 联系电话, org_code 所属工会 (required: the union the counselor belongs to). The full-time
    rule is checked. A counselor is the same person when organisation, name and birth date match (without a
    birth date: the one person of that name in that union). The registration form that `counselor form`
    writes is a report, not an import file: it is refused.

    Example: bargain counselor import 指导员名册.xlsx
    """
    from engine.imports.counselor import CounselorImport

    run_import(ctx, CounselorImport(), file, sheet=sheet, skip_invalid=skip_invalid, check=check, fmt=fmt)


COUNSELOR_KEYS = ("id", "name", "gender", "birth_date", "education", "training", "employer", "kind", "background",
                  "status", "term_start", "term_end", "phone", "org_code")


@counselors.command("list")
def list_(
    ctx: typer.Context,
    org: Annotated[Optional[str], typer.Option(help="只列出该组织及其下级 / only this organisation's subtree")] = None,
    fmt: Annotated[TableJson, typer.Option("--format")] = TableJson.table,
) -> None:
    """列出指导员 / list counselors (JSON: id plus the import columns' keys).

    Example: bargain counselor list --org 320505 --format json
    """
    from engine.counselor import KIND_ZH, STATUS_ZH
    from engine.outputs.render import simple_table
    from engine.usecases import registers

    st = state(ctx)
    rows = registers.list_counselors(st.store(), org, who=st.principal())
    if fmt == TableJson.json:
        echo_json(rows_json(rows, COUNSELOR_KEYS))
        return
    zh = st.lang == "zh"
    heads = [st.t(z, e) for z, e in (("编号", "id"), ("姓名", "name"), ("性别", "gender"), ("类别", "kind"), ("状态", "status"),
                                      ("所在单位", "employer"), ("所属工会", "org"), ("聘用期限", "term"), ("联系电话", "phone"))]
    body = [(r.id, r.name, r.gender, KIND_ZH.get(r.kind, r.kind) if zh else r.kind,
             STATUS_ZH.get(r.status, r.status) if zh else r.status, r.employer, r.org_code,
             f"{r.term_start or ''}–{r.term_end or ''}" if (r.term_start or r.term_end) else "", r.phone) for r in rows]
    console().print(simple_table(st.t(f"指导员（{len(rows)} 名）", f"Counselors ({len(rows)})"), heads, body))


@counselors.command("merge")
def merge(
    ctx: typer.Context,
    keep: Annotated[int, typer.Argument(help="保留的指导员编号 / the counselor id kept", callback=checked_id)],
    drop: Annotated[int, typer.Argument(help="重复登记、并入的编号 / the duplicate's id, merged into KEEP", callback=checked_id)],
    fmt: Annotated[TableJson, typer.Option("--format")] = TableJson.table,
) -> None:
    """合并重复登记的指导员（案件转给保留者，原记录保留）/ merge a counselor registered twice (cases move to KEEP,
    history kept).

    Example: bargain counselor merge 3 7
    """
    from engine.usecases import corrections

    st = state(ctx)
    done = corrections.merge_counselors(st.store(writing=True), keep, drop, who=st.principal())
    if fmt is TableJson.json:
        echo_json(done)
        return
    filled = ", ".join(done["filled"]) or "—"
    typer.echo(st.t(f"已合并：{drop} 并入 {keep}（转移案件 {done['cases_moved']} 个；补全字段：{filled}）",
                    f"merged: {drop} into {keep} ({done['cases_moved']} cases moved; fields filled: {filled})"))
