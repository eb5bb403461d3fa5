"""Deadlines of stored cases: per case (show, timeline, projection) and over an organisation's subtree.

Glue around the pure engine/deadline.py: it supplies the workflow's deadline tables, the parameters
of the case's jurisdiction, the holiday calendar, and (from the store) whether a later case of the same
enterprise has sent the renewal offer. Lists stream cases by state and use the `next_due` column
(the earliest day a pending deadline can fall due) to skip cases that cannot be overdue.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from engine import directory, holidays, registry
from engine.case import Case
from engine.deadline import OVERDUE, Deadline, compute, dates
from engine.errors import DataError, did_you_mean
from engine.repository import _case, _case_query
from engine.spec import DeadlineSpec, Param
from engine.store import case_t, enterprise_t, org_t
from engine.times import tz

REPLY = "offer_reply"  # its due day is kept on the case row (reply_due) for the on-time acceptance report


@cache
def _rules(key: str, jurisdiction: str) -> tuple[Mapping[str, DeadlineSpec], Mapping[str, Param]]:
    return registry.spec(key).deadlines, registry.params_for(key, jurisdiction)


@cache
def _for_columns(key: str, state: str) -> Mapping[str, DeadlineSpec]:
    """The deadlines the projection needs in a state: those the state waits on, and the reply (reply_due)."""
    specs = registry.spec(key).deadlines
    return {k: d for k, d in specs.items() if state in d.while_states or k == REPLY}


@cache
def _waited_on(key: str, state: str) -> Mapping[str, DeadlineSpec]:
    """The listed deadlines a case in this state may wait on (the only ones a pending-only list needs)."""
    return {k: d for k, d in registry.spec(key).deadlines.items() if d.listed and state in d.while_states}


@cache
def _lapsing(key: str, state: str) -> Mapping[str, DeadlineSpec]:
    """The deadlines with an automatic trigger that a case in this state waits on."""
    return {k: d for k, d in registry.spec(key).deadlines.items() if d.lapse and state in d.while_states}


def lapsing(case: Case, as_of: date) -> list[Deadline]:
    """The deadlines of a case whose running out fires an automatic transition from its current state."""
    specs = _lapsing(case.workflow_key, case.state)
    if not specs:
        return []
    return compute(case, specs, _rules(case.workflow_key, case.jurisdiction)[1], holidays.calendar(), as_of)


def for_case(case: Case, as_of: date | None, *, renewal_offered_on: date | None = None,
             waiting_only: bool = False) -> list[Deadline]:
    """Every deadline a case has started, under its workflow version and jurisdiction (or, with
    `waiting_only`, only the listed ones its state may wait on: a shortcut for lists of pending deadlines)."""
    specs, params = _rules(case.workflow_key, case.jurisdiction)
    if waiting_only:
        specs = _waited_on(case.workflow_key, case.state)
    if not specs:
        return []
    return compute(case, specs, params, holidays.calendar(), as_of, renewal_offered_on=renewal_offered_on)


def columns(case: Case) -> dict[str, Any]:
    """The deadline columns of the case row: reply_due (the latest offer's), next_due (the earliest pending
    deadline people chase) and lapse_due (the earliest whose end fires an automatic transition).
    Runs on every save, so it computes only the deadlines these columns need, without their rule texts."""
    specs = _for_columns(case.workflow_key, case.state)
    found = dates(case, specs, _rules(case.workflow_key, case.jurisdiction)[1], holidays.calendar())
    reply = found.get(REPLY)
    chased = [floor for k, (_, floor, pending) in found.items() if pending and specs[k].listed]
    lapsing = [floor for k, (_, floor, pending) in found.items() if pending and specs[k].lapse]
    return {"reply_due": reply[0] if reply else None, "next_due": min(chased) if chased else None,
            "lapse_due": min(lapsing) if lapsing else None}


def kinds() -> list[str]:
    """Every listed deadline kind of the shipped workflows, in declaration order."""
    out: list[str] = []
    for spec in registry.specs().values():
        out += [k for k, d in spec.deadlines.items() if d.listed and k not in out]
    return out


def check_kind(kind: str | None) -> str | None:
    """--kind, checked against the declared deadline kinds."""
    if kind is None:
        return None
    known = kinds()
    if kind not in known:
        guess = did_you_mean(kind, known)
        raise DataError(f"没有期限类型 {kind}（可用：{', '.join(known)}）", f"no deadline kind '{kind}' (one of: {', '.join(known)})",
                        hint_zh=f"是否要写 {guess}？" if guess else "", hint_en=f"did you mean '{guess}'?" if guess else "",
                        rule="deadline_kind", actual=kind)
    return kind


def waiting_states(kind: str | None = None, *, listed_only: bool = True) -> list[str]:
    """States in which some case may wait on a deadline (of one kind)."""
    states: set[str] = set()
    for spec in registry.specs().values():
        for d in spec.deadlines.values():
            if (kind is None or d.kind == kind) and (d.listed or not listed_only):
                states.update(d.while_states)
    return sorted(states)


def _renewal() -> Any:
    """The first offer of a later case of the same enterprise: the renewal that meets a renewal window."""
    later = case_t.alias("later")
    first = (
        sa.select(sa.func.min(later.c.offered_on))
        .where(later.c.enterprise_id == case_t.c.enterprise_id, later.c.id > case_t.c.id)
        .scalar_subquery()
    )
    states = sorted({s for spec in registry.specs().values() for d in spec.deadlines.values() if d.met_by_renewal
                     for s in d.while_states})
    return sa.case((case_t.c.state.in_(states), first), else_=sa.null()).label("renewal_offered_on")


def renewal_of(conn: Connection, case_id: int) -> date | None:
    """For one case: the first offer of a later case of the same enterprise, if any."""
    value = conn.execute(sa.select(_renewal()).where(case_t.c.id == case_id)).scalar()
    return _as_date(value)


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def case_deadlines(conn: Connection, case: Case, as_of: date) -> list[Deadline]:
    """A stored case's deadlines as of a day (the renewal offer looked up in the store)."""
    return for_case(case, as_of, renewal_offered_on=renewal_of(conn, case.case_id))


def in_org(conn: Connection, code: str) -> Any:
    """Cases of an organisation's subtree: its enterprises' cases, and regional cases of its unions. As a set
    of case ids, each part read by its own index (the subtree's enterprises by the path index, then their cases
    by ix_bcase_enterprise; regional cases by party_org): an OR across the joined tables, or even across two
    columns of the case row, leaves the planner walking every open case in id order."""
    path = directory.org_path(conn, code)
    own = case_t.alias("own")
    ids = sa.select(own.c.id).where(
        own.c.enterprise_id.in_(sa.select(enterprise_t.c.id).where(directory.subtree(enterprise_t.c.org_path, path))))
    if "party_org" in case_t.c:
        regional = case_t.alias("regional")
        unions = sa.select(org_t.c.code).where(directory.subtree(org_t.c.path, path))
        ids = sa.union_all(ids, sa.select(regional.c.id).where(regional.c.party_org.in_(unions)))  # type: ignore[assignment]
    return case_t.c.id.in_(ids)


@dataclass(frozen=True)
class Row:
    """A case of a deadline list, with what identifies it to people."""

    case: Case
    name: str
    org_code: str
    deadlines: Sequence[Deadline]


def scan(conn: Connection, as_of: date, *, org: str | None = None, kind: str | None = None, status: str | None = None,
         include_ended: bool = False, batch: int = 2000) -> Iterator[Row]:
    """Cases with deadlines matching the filters, streamed in id order. Without `include_ended`, only
    deadlines a case still waits on (pending); `status` narrows to open, met or overdue."""
    q = _case_query().add_columns(
        enterprise_t.c.name.label("enterprise_name"), enterprise_t.c.org_code.label("enterprise_org"), _renewal(),
    ).order_by(case_t.c.id)
    party = case_t.c.get("party_org")
    if party is not None:  # a regional or industry case is named by its union
        union = org_t.alias("party")
        q = q.outerjoin(union, union.c.code == party).add_columns(union.c.name.label("party_name"))
    if org:
        q = q.where(in_org(conn, org))
    if not include_ended:
        q = q.where(case_t.c.state.in_(waiting_states(kind)))
        if status == OVERDUE:
            q = q.where(case_t.c.next_due < as_of)
    for r in conn.execute(q.execution_options(yield_per=batch)):
        case = _case(r)
        found = [
            d for d in for_case(case, as_of, renewal_offered_on=_as_date(r.renewal_offered_on), waiting_only=not include_ended)
            if d.listed and (include_ended or d.pending) and (kind is None or d.kind == kind)
            and (status is None or d.status == status)
        ]
        if found:
            name = r.enterprise_name or getattr(r, "party_name", None) or case.party_org or ""
            yield Row(case, str(name), str(r.enterprise_org or case.party_org or ""), found)


def overdue(conn: Connection, as_of: date, *, org: str | None = None, state: str | None = None,
            limit: int | None = None) -> dict[int, list[str]]:
    """Cases with a deadline they still wait on that is overdue: case id → overdue kinds, in id order."""
    out: dict[int, list[str]] = {}
    for row in scan(conn, as_of, org=org, status=OVERDUE):
        if state is None or row.case.state == state:
            out[row.case.case_id] = [d.kind for d in row.deadlines]
            if limit is not None and len(out) >= limit:
                break
    return out


def timeline_entries(found: Sequence[Deadline]) -> list[dict[str, Any]]:
    """Deadlines as timeline entries (CLI.md: kind 'deadline'), placed at the end of their due day."""
    return [
        {"at": datetime.combine(d.due, time(23, 59, 59), tzinfo=tz()).isoformat(), "deadline": d.kind,
         "due": d.due.isoformat(), "status": d.status, "rule": d.rule, "rule_zh": d.rule_zh,
         "ended_on": d.ended_on.isoformat() if d.ended_on else None, "ended_by": d.ended_by or None,
         "provisional": d.provisional, "warning": d.warning("en") or None}
        for d in found if d.listed
    ]
