"""Reads for counselors' casework: the cases and events an annual summary is built from, the counselors of a
subtree, and their workload (open cases, hours this year). The assembly itself is pure (engine/summary.py)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from engine import registry
from engine.case import INVOLVEMENT, Event
from engine.correction import effective
from engine.store import directory
from engine.store.tables import case_t, counselor_t, enterprise_t, event_t
from engine.summary import CaseRecord, assemble
from engine.times import at_date

CHUNK = 900  # ids per IN list (SQLite's default limit on bound parameters is 999)


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """Midnight local time on 1 January of a year and of the next one."""
    return at_date(date(year, 1, 1), 0), at_date(date(year + 1, 1, 1), 0)


def _chunks(ids: Sequence[int]) -> Iterator[list[int]]:
    for i in range(0, len(ids), CHUNK):
        yield list(ids[i : i + CHUNK])


def counselor_dict(row: Any) -> dict[str, Any]:
    """A counselor row as a plain dict (the import columns' keys plus id), for JSON and the form."""
    keys = ("id", "name", "gender", "birth_date", "education", "training", "employer", "kind", "background", "status",
            "term_start", "term_end", "phone", "org_code")
    return {k: getattr(row, k) for k in keys}


def counselors(conn: Connection, org_code: str | None = None, within: Any = None) -> list[dict[str, Any]]:
    """The counselors registered in an organisation's subtree (all when no code), by organisation then id;
    `within`, a condition on the counselor rows (a user's reach)."""
    q = sa.select(counselor_t).where(counselor_t.c.merged_into.is_(None)).order_by(counselor_t.c.org_path, counselor_t.c.id)
    if within is not None:
        q = q.where(within)
    if org_code:
        q = q.where(directory.subtree(counselor_t.c.org_path, directory.org_path(conn, org_code)))
    return [counselor_dict(r) for r in conn.execute(q)]


def _events(conn: Connection, case_ids: Sequence[int], before: datetime,
            alias: dict[int, int] | None = None) -> dict[int, list[Event]]:
    """The cases' events before an instant; a merged counselor's id read as the one kept (`alias`)."""
    alias = alias or {}
    out: dict[int, list[Event]] = {i: [] for i in case_ids}
    for chunk in _chunks(case_ids):
        q = (sa.select(event_t).where(event_t.c.case_id.in_(chunk), event_t.c.occurred_at < before)
             .order_by(event_t.c.case_id, event_t.c.seq))
        for r in conn.execute(q):
            out[r.case_id].append(Event(
                case_id=r.case_id, seq=r.seq, kind=r.kind, occurred_at=r.occurred_at, recorded_at=r.recorded_at,
                actor=r.actor, trigger=r.trigger, from_state=r.from_state, to_state=r.to_state,
                counselor_id=alias.get(r.counselor_id, r.counselor_id), data=r.data or {}, note=r.note,
            ))
    return out


def summary(conn: Connection, counselor_id: int, year: int) -> dict[str, Any]:
    """A counselor's annual summary (CLI.md "counselor summary"), read from the store and assembled."""
    row = directory.counselor(conn, counselor_id)
    start, end = year_bounds(year)
    merged = directory.merged_ids(conn, [counselor_id])  # records merged into this one: the same person
    alias = {m: counselor_id for m in merged}
    acted = {r[0] for r in conn.execute(
        sa.select(event_t.c.case_id).distinct()
        .where(event_t.c.counselor_id.in_([counselor_id, *merged]), event_t.c.occurred_at >= start,
               event_t.c.occurred_at < end)
    )}
    assigned = {r[0] for r in conn.execute(sa.select(case_t.c.id).where(case_t.c.counselor_id == counselor_id))}
    ids = sorted(acted | assigned)
    events = _events(conn, ids, end, alias)
    records = []
    party = case_t.c.get("party_org")  # regional and industry cases have a union as their party, no enterprise
    for chunk in _chunks(ids):
        q = (sa.select(case_t.c.id, case_t.c.workflow, case_t.c.workflow_version, enterprise_t.c.credit_code,
                       enterprise_t.c.name, enterprise_t.c.employees,
                       *([party.label("party_org")] if party is not None else []))
             .outerjoin(enterprise_t, enterprise_t.c.id == case_t.c.enterprise_id).where(case_t.c.id.in_(chunk)))
        for r in conn.execute(q):
            initial = registry.spec(f"{r.workflow}@{r.workflow_version}").initial
            ident, name, workers = r.credit_code or "", r.name or "", int(r.employees or 0)
            if r.credit_code is None and getattr(r, "party_org", None):
                ident, name, workers = r.party_org, directory.org(conn, r.party_org).name, _covered(conn, r.id, year)
            # The effective events: a voided step was never taken, an amended one happened as corrected.
            records.append(CaseRecord(r.id, ident, name, workers, initial, tuple(effective(events[r.id]))))
    return assemble(counselor_dict(row), year, records, assigned=assigned)


def _covered(conn: Connection, case_id: int, year: int) -> int:
    """Workers of the enterprises a regional or industry case covers at the end of the year (DOMAIN §4)."""
    from engine.store import regional

    return sum(int(e["employees"] or 0) for e in regional.covered(conn, case_id, on=date(year, 12, 31)))


def workload(conn: Connection, org_code: str | None, as_of: date, within: Any = None) -> list[dict[str, Any]]:
    """Per counselor of a subtree: open cases assigned, overdue deadlines of their cases on the as-of day, and
    involvement entries and hours from 1 January to that day (`within`: only the counselors it selects)."""
    people = counselors(conn, org_code, within)
    ids = [int(p["id"]) for p in people]
    open_cases_in: dict[int, int] = {}
    hours: dict[int, float] = {}
    entries: dict[int, int] = {}
    start, _ = year_bounds(as_of.year)
    until = at_date(as_of + timedelta(days=1), 0)
    alias = {m: keep for keep, ms in directory.merged_by_keeper(conn, ids).items() for m in ms}
    for chunk in _chunks(ids):
        q = (sa.select(case_t.c.counselor_id, sa.func.count())
             .where(case_t.c.counselor_id.in_(chunk), case_t.c.state.not_in(registry.settled_states()))
             .group_by(case_t.c.counselor_id))
        open_cases_in.update({int(k): int(v) for k, v in conn.execute(q)})
        q2 = sa.select(event_t.c.counselor_id, event_t.c.data).where(
            event_t.c.kind == INVOLVEMENT,
            event_t.c.counselor_id.in_([*chunk, *(m for m, k in alias.items() if k in set(chunk))]),
            event_t.c.occurred_at >= start, event_t.c.occurred_at < until,
        )
        for cid, data in conn.execute(q2):
            cid = alias.get(cid, cid)
            hours[cid] = hours.get(cid, 0.0) + float((data or {}).get("hours", 0.0))
            entries[cid] = entries.get(cid, 0) + 1
    late = overdue(conn, ids, as_of)
    return [{
        "counselor_id": p["id"], "name": p["name"], "kind": p["kind"], "org_code": p["org_code"],
        "open_cases_in": open_cases_in.get(int(p["id"]), 0), "overdue": late.get(int(p["id"]), 0),
        "entries": entries.get(int(p["id"]), 0), "hours": round(hours.get(int(p["id"]), 0.0), 2),
    } for p in people]


def overdue(conn: Connection, counselor_ids: Sequence[int], as_of: date) -> dict[int, int]:
    """Per counselor: deadlines of their cases that the case still waits on and that are overdue on the day
    (engine/registry/policy.py computes them; cases whose earliest due day has not passed are skipped in SQL)."""
    from engine.deadline import OVERDUE
    from engine.registry import policy
    from engine.store import agenda
    from engine.store.repository import load_cases

    out: dict[int, int] = {}
    waiting = policy.waiting_states()
    for chunk in _chunks(counselor_ids):
        where = sa.and_(case_t.c.counselor_id.in_(chunk), case_t.c.state.in_(waiting), case_t.c.next_due < as_of)
        for case in list(load_cases(conn, where)):
            late = [d for d in agenda.case_deadlines(conn, case, as_of) if d.listed and d.pending and d.status == OVERDUE]
            if late and case.counselor_id is not None:
                out[case.counselor_id] = out.get(case.counselor_id, 0) + len(late)
    return out


def open_case_ids(conn: Connection, counselor_ids: Sequence[int]) -> dict[int, list[int]]:
    """The open cases assigned to each counselor (for per-counselor deadline counts)."""
    out: dict[int, list[int]] = {i: [] for i in counselor_ids}
    for chunk in _chunks(counselor_ids):
        q = (sa.select(case_t.c.counselor_id, case_t.c.id)
             .where(case_t.c.counselor_id.in_(chunk), case_t.c.state.not_in(registry.settled_states())).order_by(case_t.c.id))
        for cid, case_id in conn.execute(q):
            out[int(cid)].append(int(case_id))
    return out
