"""bargain workflow …: list the shipped workflows, show one as a table or a Mermaid diagram."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any

import typer

from commands.common import console, echo_json, state

workflows = typer.Typer(help="工作流定义 / workflow definitions", no_args_is_help=True)


class ShowFormat(str, Enum):
    table = "table"
    mermaid = "mermaid"
    json = "json"


def register(app: typer.Typer) -> None:
    """Attach `bargain workflow` to the root app."""
    app.add_typer(workflows, name="workflow")


@workflows.command("list")
def list_(ctx: typer.Context, fmt: Annotated[ShowFormat, typer.Option("--format")] = ShowFormat.table) -> None:
    """列出工作流及版本 / list the workflows and their versions.

    Example: bargain workflow list
    """
    from engine import registry
    from engine.outputs.render import simple_table

    st = state(ctx)
    rows = [
        {"workflow": s.key, "name": s.name, "version": s.version, "title": s.title_zh if st.lang == "zh" else s.title_en,
         "extends": s.extends or None, "states": len(s.states), "triggers": len(s.transitions)}
        for s in registry.specs().values()
    ]
    if fmt is ShowFormat.json:
        echo_json(rows)
        return
    cols = ["workflow", "title", "extends", "states", "triggers"]
    console().print(simple_table(st.t("工作流", "Workflows"), cols, [[r[c] or "" for c in cols] for r in rows]))


@workflows.command("show")
def show(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="NAME or NAME@VERSION")],
    fmt: Annotated[ShowFormat, typer.Option("--format")] = ShowFormat.table,
) -> None:
    """显示工作流的状态、触发器、检查与法律依据 / show a workflow's states, triggers, checks and sources.

    Example: bargain workflow show enterprise_wage --format mermaid
    """
    from engine import registry
    from engine.outputs.render import mermaid, simple_table
    from engine.vocab import enum_labels

    st = state(ctx)
    spec = registry.spec(name)

    def data_field(f: Any) -> dict[str, Any]:
        # An enum's allowed values with the labels a person reads, in both languages (the key stays the identifier).
        out: dict[str, Any] = {"type": f.type, "required": f.required}
        if f.values:
            out["values"] = [{"value": v, "zh": zh, "en": en} for v, (zh, en) in enum_labels(f).items()]
        return out

    if fmt is ShowFormat.mermaid:
        typer.echo(mermaid(spec, st.lang), nl=False)
        return
    rows: list[dict[str, Any]] = [
        {"trigger": t.trigger, "from": list(t.sources), "to": t.dest, "destinations": list(t.destinations), "auto": t.auto,
         "data": {f.name: data_field(f) for f in t.fields.values()},
         "checks": [{"rule": c.rule, "source": c.source} for c in t.checks]}
        for t in spec.transitions.values()
    ]
    if fmt is ShowFormat.json:
        echo_json({"workflow": spec.key, "initial": spec.initial, "states": list(spec.states), "transitions": rows,
                   "params": {p.name: {"value": p.value, "unit": p.unit, "source": p.source} for p in spec.params.values()}})
        return
    from engine.citation import cite
    from engine.vocab import field_text

    def source(c: Any) -> str:  # as the timeline cites it: Chinese all the way in zh (source_zh where it explains)
        return cite((c.source_zh if st.lang == "zh" else "") or c.source, st.lang)

    table_rows = [
        [r["trigger"] + (" (auto)" if r["auto"] else ""), ", ".join(r["from"]), r["to"],
         "\n".join(field_text(f, st.lang) for f in spec.transitions[r["trigger"]].fields.values()),
         "\n".join(f"{c.rule} — {source(c)}" for c in spec.transitions[r["trigger"]].checks)]
        for r in rows
    ]
    title = f"{spec.key} · {spec.title_zh if st.lang == 'zh' else spec.title_en}"
    console().print(simple_table(title, [st.t("触发器", "trigger"), st.t("从", "from"), st.t("到", "to"),
                                         st.t("数据（*必填）", "data (* required)"), st.t("检查 — 依据", "checks — source")], table_rows))
    prow = [[p.name, p.value, p.unit, cite(p.source, st.lang)] for p in spec.params.values()]
    console().print(simple_table(st.t("参数", "Parameters"), [st.t("参数", "param"), st.t("数值", "value"), st.t("单位", "unit"),
                                                             st.t("依据", "source")], prow))
