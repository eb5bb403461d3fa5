"""The case page's timeline as it is listed: newest first, each actor by name, a voided or amended step marked with
who, when and why (the amended one with its values as now recorded), and each step's amend form, prefilled with what
it recorded, when the reader may correct the case (the engine's decision, engine/usecases/casepage.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine import registry
from engine.spec import WorkflowSpec
from engine.usecases.casepage import CasePage
from web import forms

SYSTEM = ("系统", "the system")  # the actor of what the deadline clock records (a lapsed offer), unless a user is so named


def _named(tl: Mapping[str, Any], names: Mapping[str, str], lang: str = "zh") -> dict[str, Any]:
    """The timeline with each actor's name in place of their login (a login with no user keeps itself; `system`, the
    clock, is named in the reader's language)."""
    def name(login: Any, recorded: Any = "") -> str:  # the name recorded at the act (event.actor_name) first
        who = str(login or "")
        if not recorded and who == "system" and who not in names:
            return SYSTEM[0] if lang == "zh" else SYSTEM[1]
        return str(recorded or "") or names.get(who, who)

    entries = []
    for e in tl["entries"]:
        e = {**e, "actor": name(e.get("actor"), e.get("actor_name")), "actor_name": ""}
        if e.get("voided"):
            v = e["voided"]
            e["voided"] = {**v, "actor": name(v.get("actor"), v.get("actor_name")), "actor_name": "",
                           "recorded_at": str(v.get("recorded_at", "")).replace("T", " ")}
        if e.get("amended"):
            e["amended"] = [{**a, "actor": name(a.get("actor"), a.get("actor_name")), "actor_name": "",
                             "recorded_at": str(a.get("recorded_at", "")).replace("T", " ")} for a in e["amended"]]
        entries.append(e)
    return {**tl, "entries": entries}


def _minute(at: Any) -> str:
    """An ISO time as the datetime-local field shows it (to the minute)."""
    return str(at or "")[:16]


def _amend_form(spec: WorkflowSpec, e: Mapping[str, Any], lang: str) -> dict[str, Any] | None:
    t = spec.transitions.get(str(e.get("trigger")))
    if t is None:
        return None
    last = (e.get("amended") or [None])[-1]
    data = last["data"] if last else e.get("data", {})
    at = _minute(last["at"] if last else e.get("at"))
    keep = {**forms.values_of(t, data), "at": at}
    return {"form": forms.form_for(t, lang), "keep": keep, "at_was": at,
            "was_true": [k for k, f in t.fields.items() if f.type == "bool" and data.get(k)]}


def case_page_values(cp: CasePage, lang: str, *, failed: str | None, posted: Mapping[str, Any]) -> dict[str, Any]:
    """The timeline as the page lists it (newest first, actors by name, each transition's amend form when the reader may
    correct) and the void form's target."""
    from engine.outputs.render import data_text, timeline_rows

    spec = registry.spec(cp.timeline["workflow"])
    tl = _named(cp.timeline, cp.actor_names, lang)
    items: list[dict[str, Any]] = []
    last_move: dict[str, Any] | None = None
    for e, (at, kind, what, detail, who, note) in zip(tl["entries"], timeline_rows(tl, spec, lang)):
        item: dict[str, Any] = {"at": at, "kind": kind, "what": what, "detail": detail, "who": who, "note": note,
                                "seq": e.get("seq"), "entry_kind": e["kind"], "voided": e.get("voided"),
                                "amended": e.get("amended"), "now": "", "amend": None}
        if e["kind"] in ("void", "amendment") and note.strip() == str(e.get("reason", "")).strip():
            item["note"] = ""  # a correction's note is its reason, already in its details
        if e["kind"] == "transition" and not e.get("voided"):
            if e.get("amended"):
                t = spec.transitions.get(str(e.get("trigger")))
                now = data_text(e["amended"][-1].get("data", {}), t, lang)
                item["now"] = f"{_minute(e['amended'][-1].get('at')).replace('T', ' ')}{'：' if lang == 'zh' else ': '}{now}"
            if cp.may_correct:
                item["amend"] = _amend_form(spec, e, lang)
                if item["amend"] is not None and failed == f"amend-{e.get('seq')}":
                    item["amend"]["keep"] = dict(posted)
            if last_move is None or int(e["seq"]) > int(last_move["seq"]):
                last_move = item
        items.append(item)
    return {"timeline": list(reversed(items)), "may_correct": cp.may_correct, "rep_rows": forms.rep_rows,
            "void_target": last_move if cp.may_correct else None}
