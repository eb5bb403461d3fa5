"""The list queries the front ends page through: cases, enterprises, counselors of a subtree."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from engine.store import directory
from engine.store.tables import case_t, counselor_t, enterprise_t, org_t


def cases(conn: Connection, *, state: str | None = None, org: str | None = None, limit: int = 1000,
          only: Mapping[int, Sequence[str]] | None = None, within: Any = None) -> list[dict[str, Any]]:
    """Cases in id order; `only`: case id → overdue kinds (the rows then carry them as `overdue`); `within`: a
    condition on the case rows (a user's reach, engine/store/access.py)."""
    # A regional case has no enterprise: its party is a union (party_org), shown in its place.
    q = (
        sa.select(case_t.c.id, sa.func.coalesce(enterprise_t.c.credit_code, "").label("credit_code"),
                  sa.func.coalesce(enterprise_t.c.name, org_t.c.name).label("name"),
                  sa.func.coalesce(enterprise_t.c.org_code, case_t.c.party_org).label("org_code"),
                  case_t.c.workflow, case_t.c.workflow_version, case_t.c.state, case_t.c.counselor_id, case_t.c.version,
                  counselor_t.c.name.label("counselor_name"))
        .outerjoin(enterprise_t, enterprise_t.c.id == case_t.c.enterprise_id)
        .outerjoin(counselor_t, counselor_t.c.id == case_t.c.counselor_id)
        .outerjoin(org_t, org_t.c.code == case_t.c.party_org)
        .order_by(case_t.c.id)
        .limit(limit)
    )
    if state:
        q = q.where(case_t.c.state == state)
    if org:
        path = directory.org_path(conn, org)
        q = q.where(sa.or_(directory.subtree(enterprise_t.c.org_path, path), directory.subtree(org_t.c.path, path)))
    if only is not None:
        q = q.where(case_t.c.id.in_(list(only)))
    if within is not None:
        q = q.where(within)
    return [
        {"case_id": r.id, "credit_code": r.credit_code, "enterprise": r.name, "org_code": r.org_code,
         "workflow": f"{r.workflow}@{r.workflow_version}", "state": r.state, "counselor_id": r.counselor_id,
         "counselor_name": r.counselor_name, "version": r.version, **({"overdue": list(only.get(r.id, []))} if only is not None else {})}
        for r in conn.execute(q)
    ]


def states_count(conn: Connection) -> dict[str, int]:
    """How many cases are in each state."""
    return {str(s): int(n) for s, n in conn.execute(sa.select(case_t.c.state, sa.func.count()).group_by(case_t.c.state)).all()}


SORTS = ("case_id", "enterprise", "org_code", "state", "counselor_id", "last_at")


def case_page(conn: Connection, *, state: str | None = None, org: str | None = None, counselor: int | None = None,
              year: int | None = None, only: Mapping[int, Sequence[str]] | None = None, sort: str = "case_id",
              desc: bool = False, offset: int = 0, limit: int = 50, within: Any = None) -> tuple[list[dict[str, Any]], int]:
    """One page of the filtered case list (the rows as `cases` gives them, plus `last_at`) and how many match in all.

    `year`: the offer year, or, for a case with no offer yet, the year it was opened."""
    name = sa.func.coalesce(enterprise_t.c.name, org_t.c.name)
    org_code = sa.func.coalesce(enterprise_t.c.org_code, case_t.c.party_org)
    conds: list[Any] = []
    if state:
        conds.append(case_t.c.state == state)
    if org:
        path = directory.org_path(conn, org)
        conds.append(sa.or_(directory.subtree(enterprise_t.c.org_path, path), directory.subtree(org_t.c.path, path)))
    if counselor is not None:
        conds.append(case_t.c.counselor_id == counselor)
    if year is not None:
        start, end = datetime(year, 1, 1, tzinfo=UTC) - timedelta(hours=8), datetime(year + 1, 1, 1, tzinfo=UTC) - timedelta(hours=8)
        conds.append(sa.or_(case_t.c.offer_year == year,
                            sa.and_(case_t.c.offer_year.is_(None), case_t.c.opened_at >= start, case_t.c.opened_at < end)))
    if only is not None:
        conds.append(case_t.c.id.in_(list(only)))
    if within is not None:  # the subtrees the user's grants reach (engine/store/access.py)
        conds.append(within)
    # The enterprise and the union are joined only where a filter or the sort reads them (the grants' condition
    # reads the case row alone): both are outer joins on a key, so they never change which cases match, and
    # without them the count is an index-only scan (PostgreSQL did not drop the unused join to org, and read the
    # whole table).
    joined: Any = case_t
    if org or sort in ("enterprise", "org_code"):
        joined = (case_t.outerjoin(enterprise_t, enterprise_t.c.id == case_t.c.enterprise_id)
                  .outerjoin(org_t, org_t.c.code == case_t.c.party_org))
    base = sa.select(case_t.c.id).select_from(joined).where(*conds)
    total = int(conn.execute(sa.select(sa.func.count()).select_from(joined).where(*conds)).scalar() or 0)
    key = {"case_id": case_t.c.id, "enterprise": name, "org_code": org_code, "state": case_t.c.state,
           "counselor_id": case_t.c.counselor_id, "last_at": case_t.c.last_at}.get(sort, case_t.c.id)
    order = [key.desc() if desc else key.asc(), case_t.c.id.desc() if desc else case_t.c.id.asc()]
    # Two steps: the page's ids first (an ordered walk of an index such as ix_bcase_state_last, skipping `offset`
    # entries without fetching their rows; the joins the filters do not use are dropped by the planner), then only
    # those rows with their enterprise and union. One step joined every skipped row of a deep page.
    page = base.order_by(*order).offset(max(0, offset)).limit(max(1, limit)).subquery("page")
    q = (
        sa.select(case_t.c.id, sa.func.coalesce(enterprise_t.c.credit_code, "").label("credit_code"), name.label("name"),
                  org_code.label("org_code"), case_t.c.workflow, case_t.c.workflow_version, case_t.c.state,
                  case_t.c.counselor_id, case_t.c.version, case_t.c.last_at)
        .select_from(case_t.join(page, page.c.id == case_t.c.id))
        .outerjoin(enterprise_t, enterprise_t.c.id == case_t.c.enterprise_id)
        .outerjoin(org_t, org_t.c.code == case_t.c.party_org)
        .order_by(*order)
    )
    rows = [
        {"case_id": r.id, "credit_code": r.credit_code, "enterprise": r.name, "org_code": r.org_code,
         "workflow": f"{r.workflow}@{r.workflow_version}", "state": r.state, "counselor_id": r.counselor_id,
         "version": r.version, "last_at": r.last_at, **({"overdue": list(only.get(r.id, []))} if only is not None else {})}
        for r in conn.execute(q)
    ]
    return rows, total
