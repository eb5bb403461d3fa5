"""A counselor's annual work summary (年度工作总结, DOMAIN §6), assembled from the involvement log and the cases.

Pure: `assemble` takes the counselor and the events of the cases concerned (engine/casework.py reads them)
and returns the CLI.md "counselor summary" document. Years are calendar years in the local time zone.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from engine.activity import ACTIVITIES
from engine.case import INVOLVEMENT, TRANSITION, Event
from engine.times import local_date

QUOTED = {"difficulty": "difficulties", "solution": "solutions", "position": "positions", "strategy": "strategies",
          "outcome": "outcome_notes", "experience": "experiences"}


@dataclass(frozen=True)
class CaseRecord:
    """A case a counselor may have guided: who it is for, where it started, and its events (any actor)."""

    case_id: int
    credit_code: str
    enterprise: str
    employees: int
    initial_state: str
    events: tuple[Event, ...]


def _year(e: Event) -> int:
    return local_date(e.occurred_at).year


def _ordered(events: Iterable[Event]) -> list[Event]:
    return sorted(events, key=lambda e: (e.occurred_at, e.seq))


def state_at_end_of(case: CaseRecord, year: int) -> str:
    """The case's state at the end of a year: the target of its last transition dated in or before that year."""
    state = case.initial_state
    for e in _ordered(case.events):
        if e.kind == TRANSITION and _year(e) <= year:
            state = e.to_state
    return state


def _concerns(e: Event, counselor_id: int) -> bool:
    return e.counselor_id == counselor_id or (e.data.get("to") == counselor_id and e.kind == "assignment")


def guided(case: CaseRecord, counselor_id: int, year: int, assigned: bool) -> bool:
    """Whether the counselor guided the case that year: they logged or acted on it, or it is theirs and moved."""
    in_year = [e for e in case.events if _year(e) == year]
    return any(_concerns(e, counselor_id) for e in in_year) or (assigned and bool(in_year))


def _r(x: float) -> float:
    return round(x, 2)


def assemble(counselor: Mapping[str, Any], year: int, cases: Sequence[CaseRecord], *,
             assigned: Collection[int] = ()) -> dict[str, Any]:
    """The annual summary: cases guided and how far each went, hours by activity, the difficulties and
    solutions quoted from the log, positions and strategies, and outcomes (signed, in force, workers covered)."""
    cid = int(counselor["id"])
    rows: list[dict[str, Any]] = []
    hours_by: dict[str, float] = {}
    counts: dict[str, int] = {}
    quotes: dict[str, list[dict[str, Any]]] = {key: [] for key in QUOTED.values()}
    signed = effective = workers = 0
    for case in sorted(cases, key=lambda c: c.case_id):
        if not guided(case, cid, year, case.case_id in assigned):
            continue
        mine = [e for e in _ordered(case.events) if e.kind == INVOLVEMENT and e.counselor_id == cid and _year(e) == year]
        steps = [e.trigger for e in _ordered(case.events) if e.kind == TRANSITION and _year(e) == year]
        end_state = state_at_end_of(case, year)
        rows.append({
            "case_id": case.case_id, "enterprise": case.enterprise, "credit_code": case.credit_code,
            "from_state": state_at_end_of(case, year - 1) if any(_year(e) < year for e in case.events) else None,
            "state": end_state, "steps": steps,
            "entries": len(mine), "hours": _r(sum(float(e.data.get("hours", 0.0)) for e in mine)),
        })
        for e in mine:
            activity = str(e.data.get("activity", ""))
            hours_by[activity] = hours_by.get(activity, 0.0) + float(e.data.get("hours", 0.0))
            counts[activity] = counts.get(activity, 0) + 1
            if activity in QUOTED:
                quotes[QUOTED[activity]].append({
                    "case_id": case.case_id, "enterprise": case.enterprise,
                    "at": local_date(e.occurred_at).isoformat(), "state": e.data.get("state", ""), "note": e.note,
                })
        if "sign" in steps:
            signed += 1
        if end_state == "effective":
            effective += 1
            workers += case.employees
    for items in quotes.values():
        items.sort(key=lambda q: (q["at"], q["case_id"]))
    order = [a for a in ACTIVITIES if a in hours_by] + sorted(a for a in hours_by if a not in ACTIVITIES)
    return {
        "counselor": {
            "id": cid, "name": counselor.get("name", ""), "kind": counselor.get("kind", ""),
            "gender": counselor.get("gender", ""), "status": counselor.get("status", ""),
            "employer": counselor.get("employer", ""), "org_code": counselor.get("org_code", ""),
            "term_start": _iso(counselor.get("term_start")), "term_end": _iso(counselor.get("term_end")),
        },
        "year": year,
        "cases": rows,
        "hours": _r(sum(hours_by.values())),
        "by_activity": {a: _r(hours_by[a]) for a in order},
        "entries_by_activity": {a: counts[a] for a in order},
        **quotes,
        "outcomes": {"signed": signed, "effective": effective, "workers_covered": workers},
    }


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None
