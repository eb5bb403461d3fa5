"""Queries of regional and industry cover: the enterprises a regional case covers, the cases covering one."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from engine.store.tables import case_t, coverage_t, enterprise_t, org_t
from engine.times import at_date


def covered(conn: Connection, case_id: int, on: date | None = None) -> list[dict[str, Any]]:
    """The enterprises a regional case covers (on a day, or ever), with their dates."""
    q = (sa.select(enterprise_t.c.credit_code, enterprise_t.c.name, enterprise_t.c.employees,
                   coverage_t.c.added_on, coverage_t.c.removed_on)
         .join(enterprise_t, enterprise_t.c.id == coverage_t.c.enterprise_id)
         .where(coverage_t.c.case_id == case_id).order_by(coverage_t.c.added_on, enterprise_t.c.credit_code))
    if on is not None:
        q = q.where(coverage_t.c.added_on <= on, sa.or_(coverage_t.c.removed_on.is_(None), coverage_t.c.removed_on > on))
    return [dict(r._mapping) for r in conn.execute(q)]


def covering(conn: Connection, enterprise_id: int) -> list[dict[str, Any]]:
    """The regional cases that covered an enterprise, with the union, the contract's dates and the cover dates."""
    q = (sa.select(coverage_t.c.case_id, coverage_t.c.added_on, coverage_t.c.removed_on, case_t.c.state,
                   case_t.c.effective_on, case_t.c.term_end, case_t.c.party_org, org_t.c.name.label("union"))
         .join(case_t, case_t.c.id == coverage_t.c.case_id)
         .join(org_t, org_t.c.code == case_t.c.party_org)
         .where(coverage_t.c.enterprise_id == enterprise_id).order_by(coverage_t.c.added_on))
    return [dict(r._mapping) for r in conn.execute(q)]


def regional_entries(conn: Connection, enterprise_id: int) -> list[dict[str, Any]]:
    """Timeline entries for an enterprise: each regional contract that covered it, placed where cover began."""
    return [
        {"at": at_date(r["added_on"], 0).isoformat(), "kind": "regional", "case_id": r["case_id"],
         "union": r["union"], "party_org": r["party_org"], "added_on": r["added_on"].isoformat(),
         "removed_on": r["removed_on"].isoformat() if r["removed_on"] else None, "state": r["state"],
         "effective_on": r["effective_on"].isoformat() if r["effective_on"] else None,
         "term_end": r["term_end"].isoformat() if r["term_end"] else None}
        for r in covering(conn, enterprise_id)
    ]
