"""Deadlines of stored cases: per case (with the renewal offer looked up) and over an organisation's subtree.

Lists stream cases by state and use the `next_due` column (the earliest day a pending deadline can fall
due) to skip cases that cannot be overdue. The deadline policy itself is engine/registry/policy.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from engine import registry
from engine.deadline import OVERDUE
from engine.registry import compiled
from engine.registry.policy import certain_spans, waiting_states
from engine.store import directory, hot
from engine.store.hot import Row as Row  # re-exported: the deadline lists use it
from engine.store.hot import case_deadlines as case_deadlines  # the one implementation, SQLAlchemy-free
from engine.store.hot import renewal_of as renewal_of
from engine.store.projected import stored_fingerprint
from engine.store.repository import _case_query
from engine.store.tables import case_t, enterprise_t, org_t


def _renewal() -> Any:
    """The first offer of a later case of the same enterprise: the renewal that meets a renewal window."""
    return _renewal_on().label("renewal_offered_on")


def _renewal_on() -> Any:
    later = case_t.alias("later")
    first = (
        sa.select(sa.func.min(later.c.offered_on))
        .where(later.c.enterprise_id == case_t.c.enterprise_id, later.c.id > case_t.c.id)
        .scalar_subquery()
    )
    return sa.case((case_t.c.state.in_(_renewal_states()), first), else_=sa.null())


def _renewal_states() -> list[str]:
    return sorted({s for spec in registry.specs().values() for d in spec.deadlines.values() if d.met_by_renewal
                   for s in d.while_states})


def _no_renewal() -> Any:
    """`_renewal_on() IS NULL` as a condition: not in a renewal window's state, or no later case of the enterprise
    has sent an offer (an EXISTS stops at the first, and PostgreSQL prices it as such)."""
    later = case_t.alias("later")
    renewed = sa.exists().where(later.c.enterprise_id == case_t.c.enterprise_id, later.c.id > case_t.c.id,
                                later.c.offered_on.is_not(None))
    return sa.not_(sa.and_(case_t.c.state.in_(_renewal_states()), renewed))


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


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


def scan(conn: Connection, as_of: date, *, org: str | None = None, kind: str | None = None, status: str | None = None,
         include_ended: bool = False, batch: int = 2000, within: Any = None) -> Iterator[Row]:
    """Cases with deadlines matching the filters, streamed in id order. Without `include_ended`, only
    deadlines a case still waits on (pending); `status` narrows to open, met or overdue; `within`, a condition
    on the case rows (a user's reach)."""
    if hot.scan_shape(org=org, status=status, include_ended=include_ended, within=within):  # the generated statement
        yield from hot.scan_org(conn, as_of, org=str(org), kind=kind, status=status)
        return
    q = _case_query().add_columns(
        enterprise_t.c.name.label("enterprise_name"), enterprise_t.c.org_code.label("enterprise_org"), _renewal(),
    ).order_by(case_t.c.id)
    party = case_t.c.get("party_org")
    if party is not None:  # a regional or industry case is named by its union
        union = org_t.alias("party")
        q = q.outerjoin(union, union.c.code == party).add_columns(union.c.name.label("party_name"))
    if org:
        q = q.where(in_org(conn, org))
    if within is not None:
        q = q.where(within)
    if not include_ended:
        if status == OVERDUE:  # by the next_due index: the state index (SQLite has no statistics) read every open case
            q = q.where(_unindexed(case_t.c.state).in_(waiting_states(kind)), case_t.c.next_due < as_of)
        else:
            q = q.where(case_t.c.state.in_(waiting_states(kind)))
    yield from hot.scan_rows(conn.execute(q.execution_options(yield_per=batch)), as_of, kind=kind, status=status,
                             include_ended=include_ended)


def _unindexed(column: Any) -> Any:
    """The column as an expression no index serves (`state || ''`), so the planner reads by another condition."""
    return column + sa.literal_column("''")


def overdue(conn: Connection, as_of: date, *, org: str | None = None, state: str | None = None,
            limit: int | None = None, within: Any = None) -> dict[int, list[str]]:
    """Cases with a deadline they still wait on that is overdue: case id → overdue kinds, in id order."""
    out: dict[int, list[str]] = {}
    for row in scan(conn, as_of, org=org, status=OVERDUE, within=within):
        if state is None or row.case.state == state:
            out[row.case.case_id] = [d.kind for d in row.deadlines]
            if limit is not None and len(out) >= limit:
                break
    return out


def overdue_count(conn: Connection, as_of: date, *, org: str | None = None, within: Any = None) -> int:
    """How many cases are overdue on a day (a pending listed deadline whose due day has passed), the same
    number as counting `scan(status=OVERDUE)`, mostly from the case rows' projected columns.

    A case waits on nothing overdue unless its next_due (the earliest due day among the listed deadlines it
    still waits on, as projected on save) is before the day. Where that next_due is a due day for sure (not a
    provisional floor: engine.registry.policy.certain_spans) and no later case of the enterprise has sent a
    renewal offer (which ends a renewal window the row still counts as pending), next_due < day is the
    answer, counted in SQL by the next_due index. The few other candidates go through the deadline engine.
    Columns projected under other holidays, profiles or workflows (a stale fingerprint) are counted case by case."""
    c = case_t.c
    if stored_fingerprint(conn) != compiled.bundle().projection:  # columns of other holidays or profiles: case by case
        return sum(1 for _ in scan(conn, as_of, org=org, status=OVERDUE, within=within))
    base = [_unindexed(c.state).in_(waiting_states()), c.next_due < as_of]
    if org:  # on the case row (its copied ent_path, its party_org), read along the next_due index
        path = directory.org_path(conn, org)
        unions = sa.select(org_t.c.code).where(directory.subtree(org_t.c.path, path))
        within = sa.and_(sa.or_(directory.subtree(c.ent_path, path), c.party_org.in_(unions)),
                         *(() if within is None else (within,)))
    if within is not None:
        base.append(within)
    spans = certain_spans()
    sure = sa.and_(sa.or_(*(c.next_due.between(lo, hi) for lo, hi in spans)) if spans else sa.false(),
                   _no_renewal())
    counted = int(conn.execute(sa.select(sa.func.count()).select_from(case_t).where(*base, sure)).scalar_one())
    # the others by id (found along the same index), then the engine on them, a chunk at a time
    rest = sorted(int(i) for i in conn.execute(sa.select(c.id).where(*base, sa.not_(sure))).scalars())
    for at in range(0, len(rest), _CHUNK):
        counted += sum(1 for _ in scan(conn, as_of, status=OVERDUE, within=c.id.in_(rest[at:at + _CHUNK])))
    return counted


_CHUNK = 500
