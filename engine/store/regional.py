"""Queries of regional and industry cover: the enterprises a regional case covers, the cases covering one."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from engine.store.hot import covering as covering  # the one implementation, SQLAlchemy-free
from engine.store.hot import regional_entries as regional_entries
from engine.store.tables import coverage_t, enterprise_t


def covered(conn: Connection, case_id: int, on: date | None = None) -> list[dict[str, Any]]:
    """The enterprises a regional case covers (on a day, or ever), with their dates."""
    q = (sa.select(enterprise_t.c.credit_code, enterprise_t.c.name, enterprise_t.c.employees,
                   coverage_t.c.added_on, coverage_t.c.removed_on)
         .join(enterprise_t, enterprise_t.c.id == coverage_t.c.enterprise_id)
         .where(coverage_t.c.case_id == case_id).order_by(coverage_t.c.added_on, enterprise_t.c.credit_code))
    if on is not None:
        q = q.where(coverage_t.c.added_on <= on, sa.or_(coverage_t.c.removed_on.is_(None), coverage_t.c.removed_on > on))
    return [dict(r._mapping) for r in conn.execute(q)]

