"""Printing helpers the command modules share: deadlines as table rows and JSON, provisional warnings."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from commands.common import console, state

if TYPE_CHECKING:
    from engine.deadline import Deadline
    from engine.usecases.deadlines import Row


def deadline_json(d: Deadline, row: Row | None = None) -> dict[str, Any]:
    """One deadline as `bargain deadlines --format json` prints it."""
    out = d.as_json()
    if row is not None:
        c = row.case
        out.update({"credit_code": c.credit_code or None, "enterprise": row.name, "org_code": row.org_code,
                    "workflow": c.workflow_key, "jurisdiction": c.jurisdiction, "state": c.state})
    return out


def warn_provisional(found: Sequence[Deadline], lang: str) -> None:
    """One line on stderr per missing holiday year, so a provisional date is never read as certain."""
    seen: set[tuple[int, ...]] = set()
    for d in found:
        if d.provisional and d.missing_years not in seen:
            seen.add(d.missing_years)
            typer.echo(("警告：" if lang == "zh" else "warning: ") + d.warning(lang), err=True)


def labels(lang: str) -> dict[str, str]:
    """Deadline kinds named in the chosen language."""
    from engine import registry

    out: dict[str, str] = {}
    for spec in registry.specs().values():
        for k, ds in spec.deadlines.items():
            out.setdefault(k, ds.zh if lang == "zh" else ds.en)
    return out


def deadline_row(d: Deadline, lang: str, names: dict[str, str]) -> list[str]:
    """One deadline as table cells: kind, due, status, rule, note (window start, what ended it, provisional)."""
    from engine.outputs.render import STATUS_LABEL

    zh = lang == "zh"
    note = []
    if d.opens:
        note.append(("窗口开始 " if zh else "opens ") + d.opens.isoformat())
    if d.ended_by:
        note.append(f"{_ended_by(d.ended_by, lang)} {d.ended_on}")
    if d.provisional:
        note.append(("暂定：" if zh else "provisional: ") + d.warning(lang))
    from engine.citation import cite

    return [names.get(d.kind, d.kind), d.due.isoformat(), STATUS_LABEL[lang].get(d.status, d.status),
            cite(d.rule_zh, lang) if zh else d.rule, ("；" if zh else "; ").join(note)]


def _ended_by(trigger: str, lang: str) -> str:
    """What ended a deadline, named in the chosen language (a trigger of any workflow, or a renewal offer)."""
    from engine import registry
    from engine.deadline import RENEWAL

    if trigger == RENEWAL:
        return "续订要约" if lang == "zh" else "renewal offer"
    for spec in registry.specs().values():
        if trigger in spec.transitions:
            t = spec.transitions[trigger]
            return t.zh if lang == "zh" else t.en
    return trigger




def print_case_deadlines(ctx: typer.Context, found: Sequence[Deadline]) -> None:
    """The deadlines table under a case (nothing when the case has none yet)."""
    if not found:
        return
    from engine.outputs.render import simple_table

    st = state(ctx)
    head = st.t("期限,到期日,状态,依据,备注", "deadline,due,status,rule,note").split(",")
    names = labels(st.lang)
    console().print(simple_table(st.t("法定期限", "Deadlines"), head, [deadline_row(d, st.lang, names) for d in found]))
    warn_provisional(found, st.lang)


def state_names() -> dict[str, tuple[str, str]]:
    from engine import registry

    names: dict[str, tuple[str, str]] = {}
    for spec in registry.specs().values():
        for key, s in spec.states.items():
            names.setdefault(key, (s.zh, s.en))
    return names


def print_timeline(st: Any, tl: dict[str, Any]) -> None:
    """A timeline as the text table `case timeline` prints on a terminal."""
    from engine import registry
    from engine.outputs.render import timeline_table

    console().print(timeline_table(tl, registry.spec(tl["workflow"]), st.lang))


def write_file(path: Path, data: bytes) -> None:
    """Write bytes to a file, atomically; a failure is one line naming the file."""
    from engine.errors import DataError
    from engine.outputs.export import write_bytes

    try:
        write_bytes(path, data)
    except OSError as exc:
        raise DataError(f"无法写入 {path}：{exc.strerror or exc}", f"cannot write {path}: {exc.strerror or exc}", rule="out") from None


def report_console(report: Any, lang: str) -> Any:
    """The terminal's console; when the output is not a terminal, one wide enough for every heading on one line."""
    import sys

    from commands.common import Printer
    from engine.outputs.export import table_width

    if sys.stdout.isatty():
        return console()
    return Printer(width=max(160, table_width(report, lang)))


def print_updated(st: Any, done: Any, *, err: bool = False) -> None:
    """What an add-or-update did (engine.changes.Updated): `已更新: 320505（industry: 制造业 → 餐饮）`."""
    from engine.changes import describe

    word = st.t({"inserted": "已添加", "updated": "已更新", "unchanged": "无变化"}[done.outcome], done.outcome)
    what = describe(done.changes)
    typer.echo(f"{word}: {done.key}" + (st.t(f"（{what}）", f" ({what})") if what else ""), err=err)
