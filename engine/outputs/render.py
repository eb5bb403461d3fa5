"""Output for people and programs: JSON, text tables, and timelines as text, Markdown and HTML."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from engine.activity import ACTIVITIES
from engine.citation import cite, cite_in_text
from engine.outputs.page import cn_day
from engine.spec import Field, Transition, WorkflowSpec
from engine.timeline import actor_label
from engine.times import localize
from engine.vocab import ENUM_LABELS, enum_label, field_label

if TYPE_CHECKING:
    from engine.outputs.table import Table


def jurisdiction_label(name: str, lang: str) -> str:
    """A jurisdiction profile as a person reads it: its Chinese title in zh (全国（默认）, 上海), its name in en."""
    if lang != "zh" or not name:
        return name
    from engine.registry import profiles

    p = profiles().get(name)
    return p.title_zh if p else name

KIND_LABEL = {
    "zh": {"transition": "转换", "involvement": "指导", "deadline": "期限", "opened": "立案", "assignment": "分派",
           "coverage": "覆盖", "regional": "区域合同", "void": "撤销", "amendment": "更正",
           "renewal": "续订"},
    "en": {"transition": "step", "involvement": "involvement", "deadline": "deadline", "opened": "opened", "assignment": "assigned",
           "coverage": "coverage", "regional": "regional", "void": "void", "amendment": "amendment",
           "renewal": "renewal"},
}
STATUS_LABEL = {"zh": {"open": "未到期", "met": "已按期", "overdue": "已逾期"}, "en": {"open": "open", "met": "met", "overdue": "overdue"}}


def _default(obj: Any) -> Any:
    if isinstance(obj, datetime):  # every instant in JSON carries +08:00 (CLI.md), whatever zone it was read in
        return (localize(obj) if obj.tzinfo is not None else obj).isoformat()
    if isinstance(obj, date):
        return obj.isoformat()
    raise TypeError(f"not JSON serialisable: {type(obj).__name__}")


def to_json(obj: Any) -> str:
    """One JSON document, UTF-8 text kept readable."""
    return json.dumps(obj, ensure_ascii=False, indent=2, default=_default)


def state_label(spec: WorkflowSpec | None, state: str, lang: str) -> str:
    """A state's name in the chosen language."""
    if spec is None or state not in spec.states:
        return state
    s = spec.states[state]
    return f"{s.zh}" if lang == "zh" else s.en


def trigger_label(spec: WorkflowSpec | None, trigger: str, lang: str) -> str:
    """A trigger's name in the chosen language."""
    if spec is None or trigger not in spec.transitions:
        return trigger
    t = spec.transitions[trigger]
    return t.zh if lang == "zh" else t.en


def _value(f: Field | None, key: str, v: Any, lang: str) -> str:
    """One trigger data value as a person reads it: enum names, representatives with their chief, 是/否, dates."""
    zh = lang == "zh"
    if isinstance(v, list):
        if v and isinstance(v[0], Mapping):
            chief = "（首席）" if zh else " (chief)"
            outside = "（外聘）" if zh else " (external)"
            return ("、" if zh else ", ").join(
                str(x.get("name", "")) + (chief if x.get("chief") else "") + (outside if x.get("external") else "") for x in v)
        return ("、" if zh else ", ").join(map(str, v))
    if isinstance(v, bool):
        return ("是" if v else "否") if zh else ("yes" if v else "no")
    if (f is not None and f.type == "enum") or (f is None and key in ENUM_LABELS):
        return enum_label(f, key, str(v), lang)
    if zh and f is not None and f.type == "date" and isinstance(v, str):
        try:
            return cn_day(date.fromisoformat(v))
        except ValueError:
            return v
    return str(v)


def data_text(data: Mapping[str, Any], t: Transition | None, lang: str) -> str:
    """A trigger's data as archive text: 层级：上级工会要约；收到日期：2026年3月8日."""
    zh = lang == "zh"
    fields = t.fields if t is not None else {}
    parts = [f"{field_label(k, lang)}{'：' if zh else ': '}{_value(fields.get(k), k, v, lang)}" for k, v in data.items()
             if v is not None and v != ""]
    return ("；" if zh else "; ").join(parts)


def basis_text(t: Transition | None, lang: str) -> str:
    """The legal sources a trigger's checks enforce, cited as a Chinese document does (《集体合同规定》第三十六条)."""
    if t is None:
        return ""
    sep = "；" if lang == "zh" else "; "
    by_law: dict[str, list[str]] = {}  # 《集体合同规定》第十九条、第二十条: one title, its articles in order
    for c in t.checks:
        for part in cite((c.source_zh if lang == "zh" else "") or c.source, lang).split(sep):
            law, mark, rest = part.partition("》")
            key, art = (law + mark, rest) if mark and law.startswith("《") else (part, "")
            arts = by_law.setdefault(key, [])
            if art and art not in arts:
                arts.append(art)
    return sep.join(law + "、".join(arts) for law, arts in by_law.items())


def describe(e: Mapping[str, Any], spec: WorkflowSpec | None, lang: str) -> tuple[str, str, str]:
    """One timeline entry as (what happened, its details, its legal basis) in the chosen language."""
    kind = e["kind"]
    zh = lang == "zh"
    basis = ""
    if kind == "transition":
        t = spec.transitions.get(e["trigger"]) if spec is not None else None
        moved = f"{state_label(spec, e['from'], lang)} → {state_label(spec, e['to'], lang)}"
        what = (f"{trigger_label(spec, e['trigger'], lang)}（{e['trigger']}）：{moved}" if zh
                else f"{trigger_label(spec, e['trigger'], lang)} ({e['trigger']}): {moved}")
        detail = data_text(e.get("data", {}), t, lang)
        basis = basis_text(t, lang)
    elif kind == "void":
        what = (f"撤销第 {e.get('voids')} 条（{e.get('trigger')}）：回到 {state_label(spec, e.get('to', ''), lang)}" if zh
                else f"voided entry {e.get('voids')} ({e.get('trigger')}): back to {state_label(spec, e.get('to', ''), lang)}")
        detail = (f"原因：{e.get('reason', '')}" if zh else f"reason: {e.get('reason', '')}")
    elif kind == "amendment":
        fixed = e.get("corrected", {})
        was = e.get("was", {})
        t = spec.transitions.get(str(e.get("trigger"))) if spec is not None else None
        fields = t.fields if t is not None else {}
        what = (f"更正第 {e.get('amends')} 条（{e.get('trigger')}）" if zh else f"amended entry {e.get('amends')} ({e.get('trigger')})")
        sep = "：" if zh else ": "
        changed = [f"{field_label(k, lang)}{sep}{_value(fields.get(k), k, was.get('data', {}).get(k), lang)} → "
                   f"{_value(fields.get(k), k, v, lang)}" for k, v in fixed.get("data", {}).items() if was.get("data", {}).get(k) != v]
        if fixed.get("at") != was.get("at"):
            changed.insert(0, f"{'时间' if zh else 'at'}{sep}{str(was.get('at'))[:16]} → {str(fixed.get('at'))[:16]}")
        detail = ("；" if zh else "; ").join(changed) + ("；原因：" if zh else "; reason: ") + str(e.get("reason", ""))
    elif kind == "involvement":
        label = ACTIVITIES.get(e["activity"], (e["activity"], e["activity"]))[0 if zh else 1]
        what = f"{label}（{e['hours']:g} 小时）" if zh else f"{label} ({e['hours']:g} h)"
        detail = ""
    elif kind == "deadline":
        status = STATUS_LABEL[lang].get(e.get("status", ""), e.get("status", ""))
        ds = spec.deadlines.get(e["deadline"]) if spec is not None else None
        name = (ds.zh if zh else ds.en) if ds is not None else e["deadline"]
        what = f"{name} {'截止' if zh else 'due'} {e['due']}：{status}"
        detail = ""
        if e.get("ended_by") == "renewal":  # engine.deadline.RENEWAL: a later case's offer met the window
            detail = f"{'续订要约' if zh else 'renewal offer'} {e.get('ended_on')}"
        elif e.get("ended_by"):
            detail = f"{trigger_label(spec, str(e['ended_by']), lang)} {e.get('ended_on')}"
        if e.get("provisional"):
            detail += ("；" if detail else "") + ("暂定（节假日安排未知）" if zh else "provisional (holidays not known)")
        basis = cite((e.get("rule_zh") if zh else None) or e.get("rule", ""), lang)
    elif kind == "coverage":
        what = (f"覆盖企业调整（{e.get('on')} 起）" if zh else f"coverage changed (from {e.get('on')})")
        detail = (f"加入 {len(e.get('added', []))} 家，移出 {len(e.get('removed', []))} 家" if zh
                  else f"{len(e.get('added', []))} added, {len(e.get('removed', []))} removed")
    elif kind == "regional":
        what = (f"纳入区域性/行业性合同（案件 {e['case_id']}，{e['union']}）" if zh
                else f"covered by regional contract (case {e['case_id']}, {e['union']})")
        detail = f"{e['added_on']} – {e.get('removed_on') or ''}; {e['state']}"
    elif kind == "renewal":
        if e.get("renews_case_id") is not None:
            what = (f"续订案件 {e['renews_case_id']} 的合同" if zh else f"renews the contract of case {e['renews_case_id']}")
            linked = state_label(spec, str(e["state"]), lang) if e.get("state") else ""
            detail = f"{e.get('term_start') or ''} – {e.get('term_end') or ''}; {linked}"
        else:
            what = (f"合同由案件 {e['renewed_by_case_id']} 续订" if zh else f"renewed by case {e['renewed_by_case_id']}")
            detail = state_label(spec, str(e["state"]), lang) if e.get("state") else ""
    elif kind == "opened":
        what = ("立案：" if zh else "opened: ") + str(e.get("data", {}).get("workflow", ""))
        where = jurisdiction_label(str(e.get("data", {}).get("jurisdiction", "")), lang)
        detail = (("地区配置：" if zh else "jurisdiction: ") + where) if where else ""
    else:
        cid, who = e.get("counselor_id"), e.get("to_name") or ""
        named = (f"{who}（{cid}）" if zh else f"{who} ({cid})") if who else str(cid)
        what = ("分派给指导员 " if zh else "assigned to counselor ") + named
        detail = ""
    return what, detail, basis


def _cn(text: str) -> str:
    """The engine's own Chinese words, every citation in them Chinese all the way (parts joined by ；)."""
    return cite_in_text(text).replace("; ", "；")


def note_text(note: str, lang: str) -> str:
    """An entry's note in the reader's language. The engine writes its own notes in both, 'zh / en': the lapse a tick
    applies (期限届满 … / period ran out on …) and a late entry the law deemed done ([the person's note；]依法于 … 生效
    … / in force by law at …, engine.usecases.acts); the reader is shown their side. Any other note is as written."""
    zh, sep, en = note.partition(" / period ran out on ")
    if sep:
        return _cn(zh) if lang == "zh" else "period ran out on " + en
    zh, sep, en = note.partition(" / in force by law at ")
    if sep:
        own, _, law = zh.rpartition("依法于 ")
        own = own.removesuffix("；")
        if lang == "zh":
            return (own + "；" if own else "") + _cn("依法于 " + law)
        return (own + "; " if own else "") + "in force by law at " + en
    return note


def _describe(e: Mapping[str, Any], spec: WorkflowSpec | None, lang: str) -> tuple[str, str]:
    what, detail, basis = describe(e, spec, lang)
    if basis:
        detail += (("；" if lang == "zh" else "; ") if detail else "") + ("依据：" if lang == "zh" else "basis: ") + basis
    return what, detail


def corrections_marks(e: Mapping[str, Any], lang: str) -> tuple[str, str]:
    """What to put before an entry's title and after its details when a later entry voided or amended it."""
    prefix, suffix = "", ""
    if e.get("voided"):
        v = e["voided"]
        prefix += "【已撤销】" if lang == "zh" else "(voided) "
        by, when = actor_label(v["actor"], v.get("actor_name")), str(v["recorded_at"])[:16]
        suffix += (f"（第 {v['by_seq']} 条撤销，{by}，{when}：{v['reason']}）" if lang == "zh"
                   else f" (voided by entry {v['by_seq']}, {by}, {when}: {v['reason']})")
    if e.get("amended"):
        prefix += "【已更正】" if lang == "zh" else "(amended) "
        by = e["amended"][-1]["by_seq"]
        suffix += f"（第 {by} 条更正）" if lang == "zh" else f" (amended by entry {by})"
    return prefix, suffix


def _rows(tl: Mapping[str, Any], spec: WorkflowSpec | None, lang: str) -> list[tuple[str, str, str, str, str, str]]:
    out = []
    for e in tl["entries"]:
        what, detail = _describe(e, spec, lang)
        prefix, suffix = corrections_marks(e, lang)
        what, detail = prefix + what, detail + suffix
        at = str(e["at"])[:16].replace("T", " ")
        out.append((at, KIND_LABEL[lang].get(e["kind"], e["kind"]), what, detail, actor_label(e.get("actor"), e.get("actor_name")),
                    note_text(str(e.get("note") or ""), lang)))
    return out


def timeline_rows(tl: Mapping[str, Any], spec: WorkflowSpec | None, lang: str) -> list[tuple[str, str, str, str, str, str]]:
    """The timeline as rows a person reads: when, kind, what, detail, actor, note (the web's table; the CLI's too)."""
    return _rows(tl, spec, lang)


def _title(tl: Mapping[str, Any], spec: WorkflowSpec | None, lang: str) -> str:
    ent = tl["enterprise"]
    ident = ent["credit_code"] or tl.get("party_org", "")
    state = state_label(spec, tl["state"], lang)
    if lang == "zh":
        return f"案件 {tl['case_id']} · {ent.get('name', '')}（{ident}）· {tl['workflow']} · 当前：{state}"
    return f"Case {tl['case_id']} · {ent.get('name', '')} ({ident}) · {tl['workflow']} · now: {state}"


HEAD = {"zh": ("时间", "类型", "事项", "详情", "操作人", "备注"), "en": ("when", "kind", "what", "detail", "actor", "note")}


def timeline_table(tl: Mapping[str, Any], spec: WorkflowSpec | None, lang: str) -> Table:
    """A timeline as a text table, for the terminal (engine.outputs.table)."""
    from engine.outputs.table import Table

    table = Table(title=_title(tl, spec, lang))
    for h in HEAD[lang]:
        table.add_column(h)
    for row in _rows(tl, spec, lang):
        table.add_row(*row)
    return table


def timeline_md(tl: Mapping[str, Any], spec: WorkflowSpec | None, lang: str) -> str:
    """A timeline as a Markdown document."""
    lines = [f"# {_title(tl, spec, lang)}", "", "| " + " | ".join(HEAD[lang]) + " |", "|" + "---|" * len(HEAD[lang])]
    for row in _rows(tl, spec, lang):
        lines.append("| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in row) + " |")
    return "\n".join(lines) + "\n"


TIMELINE_CSS = """
.timeline { list-style: none; margin: 1em 0 0 8.2em; padding: 0; border-left: 2px solid #1F4E79; }
.entry { position: relative; padding: 0 0 .9em 1.1em; break-inside: avoid; }
.entry::before { content: ""; position: absolute; left: -.42em; top: .45em; width: .7em; height: .7em;
  border-radius: 50%; background: #1F4E79; }
.entry.involvement::before { background: #5B9BD5; }
.entry.deadline::before { background: #fff; border: 2px solid #888; width: .55em; height: .55em; }
.entry.overdue::before { border-color: #b00020; }
.when { position: absolute; left: -8.9em; width: 7.6em; text-align: right; color: #444; font-size: .92em; }
.when .time { display: block; color: #888; font-size: .9em; }
.kind { display: inline-block; font-size: .78em; padding: 0 .4em; margin-right: .35em; border-radius: .25em;
  background: #eef2f7; color: #1F4E79; vertical-align: .08em; }
.what { font-weight: bold; margin: 0; }
.detail, .basis, .who { margin: .1em 0 0; }
.basis { color: #555; font-size: .92em; }
.who { color: #666; font-size: .9em; }
.entry.deadline .what { font-weight: normal; font-style: italic; color: #555; }
.entry.overdue .what { color: #b00020; }
.entry.voided .what { text-decoration: line-through; color: #888; }
"""


def timeline_html(tl: Mapping[str, Any], spec: WorkflowSpec | None, lang: str) -> str:
    """A timeline as one self-contained HTML page: a vertical line of entries (date on the left, what happened,
    its data in words, its legal basis, who and why), readable at A4 width and printable (the PDF's source)."""
    from engine.outputs.htmldoc import esc, page

    zh = lang == "zh"
    ent = tl["enterprise"]
    ident = ent.get("credit_code") or tl.get("party_org", "")
    items = []
    for e in tl["entries"]:
        what, detail, basis = describe(e, spec, lang)
        prefix, suffix = corrections_marks(e, lang)
        what, detail = prefix + what, (detail + suffix).strip()
        at = str(e["at"])
        day, clock = at[:10], at[11:16]
        kind = KIND_LABEL[lang].get(e["kind"], e["kind"])
        lines = [f'<p class="what"><span class="kind">{esc(kind)}</span>{esc(what)}</p>']
        if detail:
            lines.append(f'<p class="detail">{esc(detail)}</p>')
        if basis:
            lines.append(f'<p class="basis">{"依据：" if zh else "Basis: "}{esc(basis)}</p>')
        who = []
        if e.get("actor"):
            who.append(("操作人：" if zh else "by ") + actor_label(e["actor"], e.get("actor_name")))
        if e.get("note"):
            who.append(("备注：" if zh else "note: ") + note_text(str(e["note"]), lang))
        if who:
            lines.append(f'<p class="who">{esc("　".join(who) if zh else " · ".join(who))}</p>')
        cls = f'{e["kind"]} {e.get("status", "")} {"voided" if e.get("voided") else ""}'.strip()
        clock_html = "" if e["kind"] == "deadline" else f'<span class="time">{esc(clock)}</span>'
        items.append(f'<li class="entry {esc(cls)}"><div class="when">{esc(day)}{clock_html}</div>{"".join(lines)}</li>')
    state = state_label(spec, tl["state"], lang)
    title = (f"案件 {tl['case_id']} 时间线 · {ent.get('name', '')}" if zh else f"Case {tl['case_id']} timeline · {ent.get('name', '')}")
    meta = [
        (("企业" if zh else "Enterprise"), f"{ent.get('name', '')}（{ident}）" if zh else f"{ent.get('name', '')} ({ident})"),
        (("工作流" if zh else "Workflow"), tl["workflow"]),
        (("地区配置" if zh else "Jurisdiction"), jurisdiction_label(str(tl.get("jurisdiction", "")), lang)),
        (("当前状态" if zh else "Now"), state),
    ]
    meta_html = "　".join(f"{esc(k)}：{esc(v)}" if zh else f"{esc(k)}: {esc(v)}" for k, v in meta)
    body = (f"<h1>{esc(title)}</h1>\n<p class=\"meta\">{meta_html}</p>\n<ol class=\"timeline\">\n" + "\n".join(items)
            + "\n</ol>\n" + f'<p class="foot">bargain · {esc(tl["workflow"])} · {esc(str(tl.get("jurisdiction", "")))}</p>')
    return page(title, body, lang, head=title, extra_css=TIMELINE_CSS)


def simple_table(title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], *, show_header: bool = True) -> Table:
    """A plain text table (show_header=False for a two-column record: label, value), long cells folded."""
    from engine.outputs.table import Table

    table = Table(title=title, show_header=show_header)
    for c in columns:
        table.add_column(str(c))
    for r in rows:
        table.add_row(*r)
    return table


def mermaid(spec: WorkflowSpec, lang: str) -> str:
    """A Mermaid state diagram of a workflow."""
    lines = ["stateDiagram-v2"]
    for s in spec.states.values():
        lines.append(f"    {s.name}: {s.name} {s.zh if lang == 'zh' else ''}".rstrip())
    lines.append(f"    [*] --> {spec.initial}")
    for t in spec.transitions.values():
        for src in t.sources:
            for n, dest in enumerate(t.destinations, 1):
                label = t.trigger + (" (auto)" if t.auto else "") + (f" (choice {n})" if len(t.destinations) > 1 else "")
                lines.append(f"    {src} --> {dest}: {label}")
    for s in spec.states.values():
        if s.final:
            lines.append(f"    {s.name} --> [*]")
    return "\n".join(lines) + "\n"
