"""Events (and deadlines) → the ordered entries of a case's timeline, in the JSON shape of CLI.md."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from engine.case import ASSIGNMENT, COVERAGE, INVOLVEMENT, OPENED, TRANSITION, Case, Event
from engine.correction import AMENDMENT, VOID, amendments, voids
from engine.times import localize


def actor_label(actor: object, name: object = "") -> str:
    """Who acted as a person reads it: "name (login)", or the login alone when no name differs from it."""
    login, shown = str(actor or ""), str(name or "")
    return f"{shown} ({login})" if shown and login and shown != login else (login or shown)


def entry(e: Event, counselor_names: Mapping[int, str] | None = None) -> dict[str, Any]:
    """One event as a timeline entry (with the counselor's name beside the id, when the names are given)."""
    at = localize(e.occurred_at).isoformat()
    base: dict[str, Any] = {"at": at, "seq": e.seq, "kind": e.kind, "actor": e.actor, "actor_name": e.actor_name}
    if e.kind == TRANSITION:
        base.update({"trigger": e.trigger, "from": e.from_state, "to": e.to_state, "data": dict(e.data)})
    elif e.kind == INVOLVEMENT:
        base.update({
            "activity": e.data.get("activity", ""), "hours": float(e.data.get("hours", 0.0)),
            "state": e.data.get("state", ""), "counselor_id": e.counselor_id,
        })
    elif e.kind == ASSIGNMENT:
        base.update({"counselor_id": e.counselor_id, "data": dict(e.data)})
    elif e.kind == COVERAGE:
        base.update({"on": e.data.get("on"), "added": list(e.data.get("added", [])),
                     "removed": list(e.data.get("removed", []))})
    elif e.kind == OPENED:
        base.update({"data": dict(e.data)})
    elif e.kind == VOID:
        base.update({"trigger": e.trigger, "from": e.from_state, "to": e.to_state, "voids": e.data.get("voids"),
                     "reason": e.data.get("reason", "")})
    elif e.kind == AMENDMENT:
        base.update({"trigger": e.trigger, "amends": e.data.get("amends"), "reason": e.data.get("reason", ""),
                     "corrected": {"at": e.data.get("at"), "data": dict(e.data.get("data", {}))},
                     "was": dict(e.data.get("was", {}))})
    if counselor_names is not None and e.counselor_id is not None and "counselor_id" in base:
        base["counselor_name"] = counselor_names.get(e.counselor_id, "")
    if counselor_names is not None and e.kind == ASSIGNMENT:
        for key in ("from", "to"):
            cid = e.data.get(key)
            base[f"{key}_name"] = counselor_names.get(cid, "") if isinstance(cid, int) else None
    base["note"] = e.note
    base["recorded_at"] = localize(e.recorded_at).isoformat()
    return base


def _marked(item: dict[str, Any], e: Event, events: Sequence[Event]) -> dict[str, Any]:
    """A corrected event stays as it was recorded, marked: voided (by whom, when, why), and each amendment
    (the corrected date and data beside the original)."""
    gone = voids(events).get(e.seq)
    if gone is not None:
        item["voided"] = {"by_seq": gone.seq, "actor": gone.actor, "actor_name": gone.actor_name,
                          "recorded_at": localize(gone.recorded_at).isoformat(),
                          "reason": gone.data.get("reason", "")}
    fixes = amendments(events).get(e.seq)
    if fixes:
        item["amended"] = [{"by_seq": a.seq, "actor": a.actor, "actor_name": a.actor_name,
                            "recorded_at": localize(a.recorded_at).isoformat(),
                            "reason": a.data.get("reason", ""), "at": a.data.get("at"), "data": dict(a.data.get("data", {}))}
                           for a in fixes]
    return item


def build(case: Case, events: Sequence[Event], *, enterprise_name: str = "",
          deadlines: Sequence[Mapping[str, Any]] = (), extra: Sequence[Mapping[str, Any]] = (),
          counselor_names: Mapping[int, str] | None = None) -> dict[str, Any]:
    """The whole timeline: events in time order (ties by sequence), deadlines placed at their due day, and
    extra entries (e.g. the regional contracts that covered the enterprise) placed at their 'at'."""
    entries = [_marked(entry(e, counselor_names), e, events) for e in events] + [dict(x) for x in extra]
    for d in deadlines:
        entries.append({"at": d.get("at") or f"{d['due']}T23:59:59", "kind": "deadline", **d})
    entries.sort(key=lambda x: (str(x["at"])[:19], 1 if x["kind"] == "deadline" else 0, x.get("seq", 0)))
    return {
        "case_id": case.case_id,
        "enterprise": {"credit_code": case.credit_code, "name": enterprise_name},
        **({"party_org": case.party_org} if case.party_org else {}),
        "workflow": case.workflow_key,
        "jurisdiction": case.jurisdiction,
        "state": case.state,
        "version": case.version,
        "counselor_id": case.counselor_id,
        **({"counselor_name": counselor_names.get(case.counselor_id, "")}
           if counselor_names is not None and case.counselor_id is not None else {}),
        "entries": entries,
    }
