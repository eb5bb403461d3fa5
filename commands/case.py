"""bargain case …: open, advance, assign, log, show, list, timeline."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from typer.core import TyperCommand

from commands.common import (
    TableJson,
    as_of_day,
    checked_hours,
    checked_id,
    checked_out,
    console,
    echo_json,
    now,
    out_format,
    parse_at,
    state,
    write_out,
)
from commands.printing import print_timeline

cases = typer.Typer(help="案件 / bargaining cases", no_args_is_help=True)


class TriggerHelp(TyperCommand):
    """`case advance --help`: the docstring, then every trigger with its data keys, read from the workflow files."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        from engine import registry
        from engine.vocab import triggers_help

        lang = state(ctx).lang
        found = [(spec.key, t.trigger, t.zh, t.en, t.fields.values()) for spec in registry.specs().values()
                 for t in spec.transitions.values() if not t.auto]
        head = ("触发器及其数据（--set KEY=VALUE；*必填；枚举值可写英文或中文）" if lang == "zh"
                else "Triggers and their data (--set KEY=VALUE; * required; enum values in English or Chinese)")
        self.epilog = "\n\n".join([head, *triggers_help(found, lang)])
        super().format_help(ctx, formatter)


class ActivityHelp(TyperCommand):
    """`case log --help`: every activity kind, by key and by its Chinese name (both are accepted)."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        from engine.activity import ACTIVITIES

        lines = [f"{k}　{zh}　({en})" for k, (zh, en) in ACTIVITIES.items()]
        head = ("活动类型（--activity 可写英文键或中文名）" if state(ctx).lang == "zh"
                else "Activity kinds (--activity takes the key or the Chinese name)")
        self.epilog = "\n\n".join([head, *lines])
        super().format_help(ctx, formatter)


class StateHelp(TyperCommand):
    """`case list --help`: every state, by identifier and by its Chinese name (both are accepted by --state)."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        from engine.usecases.caseview import all_states

        lines = [f"{k}　{s.zh}　({s.en})" for k, s in all_states().items()]
        head = ("状态（--state 可写英文标识或中文名）" if state(ctx).lang == "zh"
                else "States (--state takes the identifier or the Chinese name)")
        self.epilog = "\n\n".join([head, *lines])
        super().format_help(ctx, formatter)


class TimelineFormat(str, Enum):
    text = "text"
    md = "md"
    json = "json"
    html = "html"
    pdf = "pdf"


TIMELINE_EXTENSIONS = {"text": "txt", "md": "md", "json": "json", "html": "html", "pdf": "pdf"}


def register(app: typer.Typer) -> None:
    """Attach `bargain case` to the root app."""
    app.add_typer(cases, name="case")


def _data(sets: list[str], data_file: Optional[Path]) -> dict[str, Any]:
    from commands.common import json_object_file
    from engine.errors import DataError

    data: dict[str, Any] = {}
    if data_file is not None:
        data.update(json_object_file(data_file))
    given: dict[str, list[str]] = {}
    for item in sets:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise DataError(f"--set 应写成 KEY=VALUE：{item}", f"--set takes KEY=VALUE, not {item}", rule="set")
        given.setdefault(key.strip(), []).append(value)
    for key, values in given.items():
        # A key given twice is a list, one item per --set, each kept whole (README: "Typing lists").
        data[key] = values[0] if len(values) == 1 else values
    return data


def _print_case(ctx: typer.Context, view: Any, fmt: TableJson) -> None:
    """A case view (engine.usecases.caseview.CaseView) as `case show` prints it."""
    from commands.printing import print_case_deadlines

    st = state(ctx)
    data = view.as_json()
    if fmt is TableJson.json:
        echo_json(data)
        return
    from engine import registry
    from engine.outputs.render import jurisdiction_label, simple_table, state_label

    c = view.case
    spec = registry.spec(c.workflow_key)
    rows = [
        (st.t("案件", "case"), data["case_id"]),
        (st.t("企业", "enterprise"), f"{data['name']} ({data['credit_code']})" if data["credit_code"] else data["name"]),
        (st.t("工作流", "workflow"), data["workflow"]),
        (st.t("地区配置", "jurisdiction"), jurisdiction_label(data["jurisdiction"], st.lang)),
        (st.t("状态", "state"), f"{state_label(spec, c.state, st.lang)} ({c.state})"),
        (st.t("版本", "version"), data["version"]),
        (st.t("指导员", "counselor"), f"{data['counselor_name']} ({data['counselor_id']})" if data["counselor_id"] else "—"),
        (st.t("可执行", "next"), ", ".join(data["allowed"]) or "—"),
    ]
    if data.get("last_act"):
        from engine.timeline import actor_label

        last = data["last_act"]
        rows.append((st.t("最近办理", "last act"), f"{str(last['at'])[:16].replace('T', ' ')} {last['trigger'] or last['kind']} · "
                     f"{actor_label(last['actor'], last['actor_name'])}"))
    console().print(simple_table(st.t("案件", "Case"), ["", ""], rows, show_header=False))
    print_case_deadlines(ctx, view.deadlines)
    if data.get("quality"):
        _print_quality(st, data["quality"])
    if data.get("renewal"):
        r = data["renewal"]
        lines = []
        if r["renews_case_id"] is not None:
            lines.append(st.t(f"续订案件 {r['renews_case_id']} 的合同", f"renews the contract of case {r['renews_case_id']}"))
        if r["renewed_by"]:
            by = ", ".join(map(str, r["renewed_by"]))
            lines.append(st.t(f"合同由案件 {by} 续订", f"renewed by case {by}"))
        if r["change"]:
            b, n = r["previous_terms"], r["terms"]
            lines.append(st.t(f"同比：调整幅度 {b['wage_adjustment_pct']}% → {n['wage_adjustment_pct']}%，企业最低工资 "
                              f"{b['enterprise_min_wage']} → {n['enterprise_min_wage']} 元，第七条内容 {b['items']} → {n['items']} 项",
                              f"year on year: adjustment {b['wage_adjustment_pct']}% → {n['wage_adjustment_pct']}%, minimum wage "
                              f"{b['enterprise_min_wage']} → {n['enterprise_min_wage']} yuan, items {b['items']} → {n['items']}"))
        for line in lines:
            typer.echo(line)


def _print_quality(st: Any, quality: dict[str, Any]) -> None:
    """The contract's quality score, part by part with its weight, what it earned, why and its source."""
    from engine.outputs.render import simple_table

    zh = st.lang == "zh"
    rows = [[p["zh"] if zh else p["en"], p["weight"], p["earned"], p["detail_zh"] if zh else p["detail_en"], p["source"]]
            for p in quality["parts"]]
    rows.append([st.t("合计", "total"), quality["out_of"], quality["total"], "", ""])
    heads = [st.t("评分项", "point"), st.t("权重", "weight"), st.t("得分", "earned"), st.t("说明", "why"), st.t("依据", "source")]
    console().print(simple_table(st.t("合同质量得分", "Contract quality score"), heads, rows))


@cases.command("open")
def open_(
    ctx: typer.Context,
    credit_code: Annotated[str, typer.Argument(
        help="统一社会信用代码；区域性/行业性工作流填工会组织代码 / the enterprise's credit code (a union's code for regional_wage)")],
    workflow: Annotated[Optional[str], typer.Option(help="工作流 / workflow NAME or NAME@VERSION")] = None,
    counselor: Annotated[Optional[int], typer.Option(help="指导员编号 / counselor id", callback=checked_id)] = None,
    at: Annotated[Optional[str], typer.Option(help="立案时间 / when (date or datetime)")] = None,
    fmt: Annotated[TableJson, typer.Option("--format")] = TableJson.table,
) -> None:
    """立案：为企业开启一个协商案件，打印案件编号 / open a case for an enterprise and print its id.

    Example: bargain case open 91320505MA1XXXXXXX --counselor 3
    Regional: bargain case open 320506001 --workflow regional_wage
    """
    from engine import registry
    from engine.usecases import acts

    st = state(ctx)
    if workflow and registry.spec(workflow).scope == "regional":  # the party is a union, named by its code
        from engine.usecases.regional import open_regional

        c = open_regional(st.store(writing=True), credit_code.strip(), at=parse_at(at), recorded_at=now(), actor=st.who(),
                          workflow=workflow, counselor_id=counselor, who=st.principal())
    else:
        c = acts.open_case(st.store(writing=True), credit_code.strip().upper(), at=parse_at(at), recorded_at=now(), actor=st.who(),
                              workflow=workflow, counselor_id=counselor, who=st.principal())
    if fmt is TableJson.json:
        echo_json({"case_id": c.case_id, "state": c.state, "workflow": c.workflow_key, "version": c.version})
    else:
        typer.echo(c.case_id)


@cases.command("advance", cls=TriggerHelp)
def advance(
    ctx: typer.Context,
    case_id: Annotated[int, typer.Argument(help="案件编号 / case id", callback=checked_id)],
    trigger: Annotated[str, typer.Argument(help="触发器 / trigger, e.g. send_offer")],
    at: Annotated[Optional[str], typer.Option(help="发生时间 / when it happened (a date means 09:00)")] = None,
    by: Annotated[Optional[int], typer.Option("--by", help="指导员编号 / counselor who did it", callback=checked_id)] = None,
    sets: Annotated[Optional[list[str]], typer.Option(
        "--set", help="触发器数据 KEY=VALUE，可重复；枚举值可写中文（chair=企业方）/ trigger data, repeatable; "
                      "enum values in English or Chinese (see the list below)")] = None,
    data_file: Annotated[Optional[Path], typer.Option(
        "--data", help="触发器数据的 JSON 文件 / a JSON file with trigger data (e.g. data/samples/reps.json for elect_reps)")] = None,
    note: Annotated[str, typer.Option(help="备注 / note")] = "",
    expect_version: Annotated[Optional[int], typer.Option(
        "--expect-version", help="只在案件仍为此版本时执行 / refuse (exit 3) if the case is no longer at this version")] = None,
    fmt: Annotated[TableJson, typer.Option("--format")] = TableJson.table,
) -> None:
    """推进案件：执行一个触发器，检查全部法定规则 / fire a trigger on a case, checking every rule.

    Example: bargain case advance 1 send_offer --set level=upper --at 2026-03-02
    Chinese: bargain case advance 1 hold_round --set chair=企业方 --set outcome=交换工资方案
    """
    from engine.usecases import acts

    st = state(ctx)
    view = acts.advance(st.store(writing=True, light=True), case_id, trigger, _data(sets or [], data_file), at=parse_at(at),
                        recorded_at=now(), actor=st.who(by), counselor_id=by, note=note, expect_version=expect_version,
                        as_of=as_of_day(None), who=st.principal())
    _print_case(ctx, view, fmt)


@cases.command("assign")
def assign(
    ctx: typer.Context,
    case_id: Annotated[int, typer.Argument(help="案件编号 / case id", callback=checked_id)],
    counselor_id: Annotated[int, typer.Argument(help="指导员编号 / counselor id", callback=checked_id)],
    at: Annotated[Optional[str], typer.Option(help="时间 / when")] = None,
    fmt: Annotated[TableJson, typer.Option("--format")] = TableJson.table,
) -> None:
    """分派指导员 / give a case to a counselor.

    Example: bargain case assign 1 3
    """
    from engine.usecases import acts

    st = state(ctx)
    view = acts.assign(st.store(writing=True), case_id, counselor_id, at=parse_at(at), recorded_at=now(), actor=st.who(),
                       as_of=as_of_day(None), who=st.principal())
    _print_case(ctx, view, fmt)


@cases.command("log", cls=ActivityHelp)
def log(
    ctx: typer.Context,
    case_id: Annotated[int, typer.Argument(help="案件编号 / case id", callback=checked_id)],
    by: Annotated[int, typer.Option("--by", help="指导员编号 / counselor id", callback=checked_id)],
    activity: Annotated[str, typer.Option(
        help="活动类型，英文键或中文名 / activity kind, its key or Chinese name: attend_round, 遇到的困难 (list below)")],
    note: Annotated[str, typer.Option(help="做了什么 / what was done")],
    hours: Annotated[float, typer.Option(help="工时 / hours (0–24)", callback=checked_hours)] = 0.0,
    at: Annotated[Optional[str], typer.Option(help="时间 / when")] = None,
    fmt: Annotated[TableJson, typer.Option("--format")] = TableJson.table,
) -> None:
    """记录指导工作 / record what a counselor did on a case.

    Example: bargain case log 1 --by 3 --activity attend_round --hours 2 --note "主持第一轮协商"
    Chinese: bargain case log 1 --by 3 --activity 遇到的困难 --note "企业以经营困难为由拒绝增资"
    """
    from engine.timeline import entry
    from engine.usecases import acts

    st = state(ctx)
    e = acts.log(st.store(writing=True, light=True), case_id, by, activity, at=parse_at(at), recorded_at=now(), actor=st.who(by), note=note,
                 hours=hours, who=st.principal())
    if fmt is TableJson.json:
        echo_json(entry(e))
    else:
        typer.echo(st.t(f"已记录：案件 {case_id} 第 {e.seq} 条", f"recorded: case {case_id} entry {e.seq}"))


@cases.command("show")
def show(
    ctx: typer.Context,
    case_id: Annotated[int, typer.Argument(help="案件编号 / case id", callback=checked_id)],
    fmt: Annotated[TableJson, typer.Option("--format")] = TableJson.table,
) -> None:
    """查看案件 / show a case: state, version, what may come next.

    Example: bargain case show 1 --format json
    """
    from engine.usecases import caseview

    st = state(ctx)
    _print_case(ctx, caseview.show(st.store(light=True), case_id, as_of=as_of_day(None), who=st.principal()), fmt)


@cases.command("mark")
def mark(
    ctx: typer.Context,
    case_id: Annotated[int, typer.Argument(help="案件编号 / case id")],
    typical: Annotated[bool, typer.Option("--typical/--not-typical", help="典型案例 / mark typical (or take the mark off)")] = True,
    note: Annotated[str, typer.Option("--note", help="为何典型 / why it is typical")] = "",
    fmt: Annotated[TableJson, typer.Option("--format")] = TableJson.table,
) -> None:
    """标记典型案例（列入质量报表）/ mark a case typical (典型), listed in `report quality`.

    Example: bargain case mark 1 --typical --note "工资增幅与效益挂钩，条款具体"
    """
    from engine.usecases import contracts

    st = state(ctx)
    done = contracts.mark(st.store(), case_id, typical=typical, note=note, at=now(), actor=st.who(), who=st.principal())
    if fmt is TableJson.json:
        echo_json(done)
    else:
        typer.echo(st.t(f"案件 {case_id} 已标记为典型案例" if typical else f"案件 {case_id} 已取消典型标记",
                        f"case {case_id} marked typical" if typical else f"case {case_id} no longer marked typical"))


@cases.command("filing")
def filing(
    ctx: typer.Context,
    case_id: Annotated[int, typer.Argument(help="案件编号 / case id")],
    out: Annotated[Path, typer.Option("--out", help="写入的 zip 文件 / the .zip file to write")],
    fmt: Annotated[TableJson, typer.Option("--format")] = TableJson.table,
) -> None:
    """报送审查材料：合同文本、协商过程说明、职代会决议、双方代表名单（Word）/ the filing bundle as Word documents in a zip.

    Example: bargain case filing 1 --out 报送材料.zip
    """
    from engine.outputs.filing_doc import write_bundle
    from engine.usecases import contracts

    st = state(ctx)
    names = write_bundle(contracts.filing_material(st.store(), case_id, who=st.principal()), out, st.lang)
    if fmt is TableJson.json:
        echo_json({"case_id": case_id, "out": str(out), "files": names})
    else:
        typer.echo(st.t(f"已写入 {out}（{len(names)} 个文件）", f"written: {out} ({len(names)} files)"))


@cases.command("list", cls=StateHelp)
def list_(
    ctx: typer.Context,
    state_: Annotated[Optional[str], typer.Option(
        "--state", help="状态，英文标识或中文名 / only cases in this state: effective, 已生效 (list below)")] = None,
    org: Annotated[Optional[str], typer.Option(help="组织代码 / only this organisation's subtree")] = None,
    limit: Annotated[int, typer.Option(help="最多行数 / at most this many rows")] = 1000,
    overdue: Annotated[bool, typer.Option("--overdue", help="只列有逾期未办期限的案件 / only cases with an overdue deadline")] = False,
    fmt: Annotated[TableJson, typer.Option("--format")] = TableJson.table,
) -> None:
    """列出案件 / list cases, optionally by state, organisation subtree, or overdue deadlines.

    Example: bargain case list --state negotiating --org 320505
    """
    from engine.usecases import caseview

    st = state(ctx)
    rows = caseview.list_cases(st.store(), state=state_, org=org, limit=limit, overdue=overdue, as_of=as_of_day(None),
                                who=st.principal())
    if fmt is TableJson.json:
        echo_json(rows)
        return
    from engine.outputs.render import simple_table

    cols = ["case_id", "credit_code", "enterprise", "org_code", "workflow", "state", "counselor_name", *(["overdue"] if overdue else [])]
    heads = {"case_id": ("案件", "case"), "credit_code": ("统一社会信用代码", "credit code"), "enterprise": ("企业", "enterprise"),
             "org_code": ("所属工会", "union"), "workflow": ("流程", "workflow"), "state": ("状态", "state"),
             "counselor_name": ("指导员", "counselor"), "overdue": ("逾期", "overdue")}
    from engine.usecases.caseview import all_states, deadline_names

    names, kinds = all_states(), deadline_names()

    def shown(r: dict[str, Any], c: str) -> Any:
        if c == "state" and st.lang == "zh" and r[c] in names:
            return f"{names[r[c]].zh} ({r[c]})"
        if c == "overdue" and isinstance(r.get(c), list):  # the overdue deadlines, by their names in the chosen language
            return st.t("、", ", ").join(st.t(*kinds[k]) if k in kinds else k for k in r[c])
        if c == "counselor_name":  # the person's name; the id only where no name is on record
            return r.get(c) or (f"#{r['counselor_id']}" if r.get("counselor_id") is not None else "")
        return ", ".join(r[c]) if isinstance(r[c], list) else r[c]

    cells = [[shown(r, c) for c in cols] for r in rows]
    console().print(simple_table(st.t(f"案件（{len(rows)}）", f"Cases ({len(rows)})"),
                                 [st.t(*heads[c]) for c in cols], cells))


@cases.command("timeline")
def timeline(
    ctx: typer.Context,
    case_id: Annotated[int, typer.Argument(help="案件编号 / case id", callback=checked_id)],
    fmt: Annotated[Optional[TimelineFormat], typer.Option(
        "--format", help="text|md|json|html|pdf (default: from --out's extension, else text)")] = None,
    out: Annotated[Optional[Path], typer.Option(
        help="写入文件 / write to this file (pdf default: case-ID-timeline.pdf)", callback=checked_out)] = None,
) -> None:
    """打印案件时间线 / print a case's timeline (text, md, json, html or a printable A4 pdf).

    Example: bargain case timeline 1 --format html --out case1.html
    PDF: bargain case timeline 1 --out 案件1时间线.pdf
    """
    from engine import registry
    from engine.outputs.render import timeline_html, timeline_md, timeline_table, to_json
    from engine.usecases import caseview

    st = state(ctx)
    chosen = TimelineFormat(out_format(fmt.value if fmt else None, out, TIMELINE_EXTENSIONS, "text"))
    tl = caseview.timeline(st.store(light=True), case_id, as_of=as_of_day(None), who=st.principal())
    spec = registry.spec(tl["workflow"])
    if chosen is TimelineFormat.pdf:
        from commands.printing import write_file
        from engine.outputs.pdf import pdf_bytes

        target = out or Path(f"case-{case_id}-timeline.pdf")
        title = st.t(f"案件 {case_id} 时间线", f"Case {case_id} timeline")
        write_file(target, pdf_bytes(timeline_html(tl, spec, st.lang), title=title, author=st.who()))
        typer.echo(st.t(f"已写入 {target}", f"written: {target}"))
        return
    if chosen is TimelineFormat.text:
        if out is None:
            print_timeline(st, tl)
            return
        from engine.outputs.files import write_text

        write_text(out, timeline_table(tl, spec, st.lang).render(160))
        typer.echo(st.t(f"已写入 {out}", f"written: {out}"))
        return
    text = {"md": timeline_md, "html": timeline_html}.get(chosen.value)
    rendered = text(tl, spec, st.lang) if text else to_json(tl) + "\n"
    if out is None:
        typer.echo(rendered, nl=False)
    else:
        write_out(str(out), rendered)
        typer.echo(st.t(f"已写入 {out}", f"written: {out}"), err=chosen is TimelineFormat.json)


@cases.command("void")
def void(
    ctx: typer.Context,
    case_id: Annotated[int, typer.Argument(help="案件编号 / case id", callback=checked_id)],
    reason: Annotated[str, typer.Option(help="原因 / why the step is undone")],
    expect_version: Annotated[Optional[int], typer.Option(
        "--expect-version", help="只在案件仍为此版本时执行 / refuse (exit 3) if the case is no longer at this version")] = None,
    fmt: Annotated[TableJson, typer.Option("--format")] = TableJson.table,
) -> None:
    """撤销案件的最后一步（原记录保留并标注）/ undo a case's last step (the step stays on the timeline, marked voided).

    Example: bargain case void 1 --reason "误录：企业尚未书面应约"
    """
    from engine.usecases import corrections

    st = state(ctx)
    view = corrections.void(st.store(writing=True), case_id, reason=reason, recorded_at=now(), actor=st.who(),
                            expect_version=expect_version, as_of=as_of_day(None), who=st.principal())
    _print_case(ctx, view, fmt)


@cases.command("amend")
def amend(
    ctx: typer.Context,
    case_id: Annotated[int, typer.Argument(help="案件编号 / case id", callback=checked_id)],
    seq: Annotated[int, typer.Argument(help="要更正的条目编号 / the entry (seq) to correct, from case timeline", callback=checked_id)],
    reason: Annotated[str, typer.Option(help="原因 / why it is corrected")],
    at: Annotated[Optional[str], typer.Option(help="更正后的发生时间 / the corrected date or datetime")] = None,
    sets: Annotated[Optional[list[str]], typer.Option("--set", help="KEY=VALUE corrected data (repeatable)")] = None,
    data_file: Annotated[Optional[Path], typer.Option("--data", help="JSON file with corrected data")] = None,
    expect_version: Annotated[Optional[int], typer.Option(
        "--expect-version", help="只在案件仍为此版本时执行 / refuse (exit 3) if the case is no longer at this version")] = None,
    fmt: Annotated[TableJson, typer.Option("--format")] = TableJson.table,
) -> None:
    """更正较早一步的日期或数据（须通过原触发器的全部检查）/ correct the date or data of an earlier step (checked
    as the original trigger was).

    Example: bargain case amend 1 8 --set present=45 --reason "出席人数抄录错误"
    """
    from engine.usecases import corrections

    st = state(ctx)
    view = corrections.amend(st.store(writing=True), case_id, seq, at=parse_at(at) if at else None, data=_data(sets or [], data_file),
                             reason=reason, recorded_at=now(), actor=st.who(), expect_version=expect_version,
                             as_of=as_of_day(None), who=st.principal())
    _print_case(ctx, view, fmt)
