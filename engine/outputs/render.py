"""Output for people and programs: JSON, rich tables, and timelines as text, Markdown and HTML."""

from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from engine.activity import ACTIVITIES
from engine.spec import WorkflowSpec
from engine.times import localize

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


def _describe(e: Mapping[str, Any], spec: WorkflowSpec | None, lang: str) -> tuple[str, str]:
    kind = e["kind"]
    zh = lang == "zh"
    if kind == "transition":
        moved = f"{state_label(spec, e['from'], lang)} → {state_label(spec, e['to'], lang)}"
        what = f"{trigger_label(spec, e['trigger'], lang)}（{e['trigger']}）：{moved}"
        detail = ", ".join(f"{k}={_short(v)}" for k, v in e.get("data", {}).items())
    elif kind == "void":
        what = (f"撤销第 {e.get('voids')} 条（{e.get('trigger')}）：回到 {state_label(spec, e.get('to', ''), lang)}" if zh
                else f"voided entry {e.get('voids')} ({e.get('trigger')}): back to {state_label(spec, e.get('to', ''), lang)}")
        detail = (f"原因：{e.get('reason', '')}" if zh else f"reason: {e.get('reason', '')}")
    elif kind == "amendment":
        fixed = e.get("corrected", {})
        was = e.get("was", {})
        what = (f"更正第 {e.get('amends')} 条（{e.get('trigger')}）" if zh else f"amended entry {e.get('amends')} ({e.get('trigger')})")
        changed = [f"{k}: {_short(was.get('data', {}).get(k))} → {_short(v)}" for k, v in fixed.get("data", {}).items()
                   if was.get("data", {}).get(k) != v]
        if fixed.get("at") != was.get("at"):
            changed.insert(0, f"at: {str(was.get('at'))[:16]} → {str(fixed.get('at'))[:16]}")
        detail = "; ".join(changed) + ("；原因：" if zh else "; reason: ") + str(e.get("reason", ""))
    elif kind == "involvement":
        label = ACTIVITIES.get(e["activity"], (e["activity"], e["activity"]))[0 if zh else 1]
        what = f"{label}（{e['hours']:g} 小时）" if zh else f"{label} ({e['hours']:g} h)"
        detail = ""
    elif kind == "deadline":
        status = STATUS_LABEL[lang].get(e.get("status", ""), e.get("status", ""))
        what = f"{e['deadline']} {'截止' if zh else 'due'} {e['due']}：{status}"
        detail = (e.get("rule_zh") if zh else None) or e.get("rule", "")
        if e.get("ended_by"):
            detail += f"；{e['ended_by']} {e.get('ended_on')}" if zh else f"; {e['ended_by']} {e.get('ended_on')}"
        if e.get("provisional"):
            detail += "；暂定（节假日安排未知）" if zh else "; provisional (holidays not known)"
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
            detail = f"{e.get('term_start') or ''} – {e.get('term_end') or ''}; {e.get('state') or ''}"
        else:
            what = (f"合同由案件 {e['renewed_by_case_id']} 续订" if zh else f"renewed by case {e['renewed_by_case_id']}")
            detail = str(e.get("state") or "")
    elif kind == "opened":
        what = ("立案：" if zh else "opened: ") + str(e.get("data", {}).get("workflow", ""))
        detail = str(e.get("data", {}).get("jurisdiction", ""))
    else:
        cid, who = e.get("counselor_id"), e.get("to_name") or ""
        named = (f"{who}（{cid}）" if zh else f"{who} ({cid})") if who else str(cid)
        what = ("分派给指导员 " if zh else "assigned to counselor ") + named
        detail = ""
    return what, detail


def _short(v: Any) -> str:
    if isinstance(v, list):
        if v and isinstance(v[0], Mapping):
            return "[" + ", ".join(str(x.get("name", "")) + ("*" if x.get("chief") else "") for x in v) + "]"
        return "[" + ", ".join(map(str, v)) + "]"
    return str(v)


def _rows(tl: Mapping[str, Any], spec: WorkflowSpec | None, lang: str) -> list[tuple[str, str, str, str, str, str]]:
    out = []
    for e in tl["entries"]:
        what, detail = _describe(e, spec, lang)
        if e.get("voided"):
            v = e["voided"]
            what = ("【已撤销】" if lang == "zh" else "(voided) ") + what
            detail += (f"（第 {v['by_seq']} 条撤销，{v['actor']}，{str(v['recorded_at'])[:16]}：{v['reason']}）" if lang == "zh"
                       else f" (voided by entry {v['by_seq']}, {v['actor']}, {str(v['recorded_at'])[:16]}: {v['reason']})")
        if e.get("amended"):
            what = ("【已更正】" if lang == "zh" else "(amended) ") + what
            by = e["amended"][-1]["by_seq"]
            detail += f"（第 {by} 条更正）" if lang == "zh" else f" (amended by entry {by})"
        at = str(e["at"])[:16].replace("T", " ")
        out.append((at, KIND_LABEL[lang].get(e["kind"], e["kind"]), what, detail, str(e.get("actor", "")), str(e.get("note", ""))))
    return out


def _title(tl: Mapping[str, Any], spec: WorkflowSpec | None, lang: str) -> str:
    ent = tl["enterprise"]
    ident = ent["credit_code"] or tl.get("party_org", "")
    state = state_label(spec, tl["state"], lang)
    if lang == "zh":
        return f"案件 {tl['case_id']} · {ent.get('name', '')}（{ident}）· {tl['workflow']} · 当前：{state}"
    return f"Case {tl['case_id']} · {ent.get('name', '')} ({ident}) · {tl['workflow']} · now: {state}"


HEAD = {"zh": ("时间", "类型", "事项", "详情", "操作人", "备注"), "en": ("when", "kind", "what", "detail", "actor", "note")}


def timeline_table(tl: Mapping[str, Any], spec: WorkflowSpec | None, lang: str) -> Any:
    """A rich Table of a timeline, for the terminal."""
    from rich.table import Table

    table = Table(title=_title(tl, spec, lang), show_lines=False)
    for h in HEAD[lang]:
        table.add_column(h, overflow="fold")
    for row in _rows(tl, spec, lang):
        table.add_row(*row)
    return table


def timeline_md(tl: Mapping[str, Any], spec: WorkflowSpec | None, lang: str) -> str:
    """A timeline as a Markdown document."""
    lines = [f"# {_title(tl, spec, lang)}", "", "| " + " | ".join(HEAD[lang]) + " |", "|" + "---|" * len(HEAD[lang])]
    for row in _rows(tl, spec, lang):
        lines.append("| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in row) + " |")
    return "\n".join(lines) + "\n"


def timeline_html(tl: Mapping[str, Any], spec: WorkflowSpec | None, lang: str) -> str:
    """A timeline as one self-contained HTML page (no external files)."""
    esc = html.escape
    rows = "\n".join(
        f'<tr class="{esc(kind_of)}">' + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>"
        for row, kind_of in zip(_rows(tl, spec, lang), (e["kind"] + " " + str(e.get("status", "")) for e in tl["entries"]))
    )
    head = "".join(f"<th>{esc(h)}</th>" for h in HEAD[lang])
    title = esc(_title(tl, spec, lang))
    return f"""<!doctype html>
<html lang="{'zh-CN' if lang == 'zh' else 'en'}"><head><meta charset="utf-8"><title>{title}</title>
<style>
body{{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em;color:#222}}
h1{{font-size:1.3em}} table{{border-collapse:collapse;width:100%}}
th,td{{border:1px solid #ccc;padding:.35em .6em;text-align:left;vertical-align:top;font-size:.92em}}
th{{background:#f0f0f0}} tr.deadline td{{color:#555;font-style:italic}} tr.overdue td{{color:#b00020}}
tr.involvement td{{background:#f8fbff}}
</style></head><body>
<h1>{title}</h1>
<table><thead><tr>{head}</tr></thead><tbody>
{rows}
</tbody></table>
<p style="color:#888;font-size:.8em">bargain · {esc(tl['workflow'])} · {esc(str(tl.get('jurisdiction', '')))}</p>
</body></html>
"""


def simple_table(title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> Any:
    """A plain rich Table."""
    from rich.table import Table

    table = Table(title=title)
    for c in columns:
        table.add_column(str(c), overflow="fold")
    for r in rows:
        table.add_row(*("" if v is None else str(v) for v in r))
    return table


def mermaid(spec: WorkflowSpec, lang: str) -> str:
    """A Mermaid state diagram of a workflow."""
    lines = ["stateDiagram-v2"]
    for s in spec.states.values():
        lines.append(f"    {s.name}: {s.name} {s.zh if lang == 'zh' else ''}".rstrip())
    lines.append(f"    [*] --> {spec.initial}")
    for t in spec.transitions.values():
        for src in t.sources:
            label = t.trigger + (" (auto)" if t.auto else "")
            lines.append(f"    {src} --> {t.dest}: {label}")
    for s in spec.states.values():
        if s.final:
            lines.append(f"    {s.name} --> [*]")
    return "\n".join(lines) + "\n"
