"""The stored deadline columns kept in step with the calendar: the fingerprint they were projected with,
and their recomputation (`bargain reproject`, and automatically when the fingerprint differs).

Every save computes a case's reply_due / next_due / lapse_due on the holiday calendar and the profiles in
force (engine.registry.policy.columns). When a holiday file or a profile changes, the rows saved before
hold dates computed on the old data; the database records, in `bargain_meta`, the fingerprint of the
data its rows were projected with (engine.registry.compiled.Bundle.projection).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from engine.case import Case
from engine.registry.policy import columns
from engine.store import rollups
from engine.store.bulk import update_rows
from engine.store.hot import PROJECTION
from engine.store.hot import stored_fingerprint as stored_fingerprint  # the one implementation, SQLAlchemy-free
from engine.store.repository import _case, _case_query
from engine.store.tables import case_t, meta_t

KEY = PROJECTION
DEADLINE_COLUMNS = ("reply_due", "next_due", "lapse_due")
BATCH = 2_000


def record_fingerprint(conn: Connection, value: str) -> None:
    """Record the fingerprint the case rows are now projected with."""
    if conn.execute(sa.update(meta_t).where(meta_t.c.key == KEY).values(value=value)).rowcount == 0:
        conn.execute(sa.insert(meta_t).values(key=KEY, value=value))


def count_cases(conn: Connection) -> int:
    """How many case rows there are."""
    return int(conn.execute(sa.select(sa.func.count()).select_from(case_t)).scalar_one())


def batches(conn: Connection, size: int = BATCH) -> Iterator[list[tuple[Case, dict[str, Any]]]]:
    """Every case with its stored deadline columns, in id order, a batch at a time (keyset pagination:
    no cursor stays open across the writes)."""
    stored = [case_t.c[c] for c in DEADLINE_COLUMNS]
    last = 0
    while True:
        q = _case_query().add_columns(*[c.label(f"stored_{c.name}") for c in stored]) \
            .where(case_t.c.id > last).order_by(case_t.c.id).limit(size)
        rows = conn.execute(q).all()
        if not rows:
            return
        yield [(_case(r), {c: getattr(r, f"stored_{c}") for c in DEADLINE_COLUMNS}) for r in rows]
        last = rows[-1].id


def reproject_in(conn: Connection, *, progress: Callable[[int, int], None] | None = None) -> tuple[int, int]:
    """Recompute every case's deadline columns inside the caller's transaction; (cases read, rows changed).
    A row is written only when a column moved, and only at the version read (a case saved meanwhile by
    another process was projected by that save)."""
    total = count_cases(conn)
    seen = changed = 0
    for batch in batches(conn):
        rows = []
        for case, before in batch:
            after = columns(case)
            if any(after[c] != before[c] for c in DEADLINE_COLUMNS):
                rows.append([case.case_id, case.version, *[after[c] for c in DEADLINE_COLUMNS]])
        if rows:
            changed += update_rows(conn, case_t, "id", DEADLINE_COLUMNS, rows, guard="version")
            rollups.cases_changed(conn, (row[0] for row in rows))  # reply_due: the on-time acceptances kept
        seen += len(batch)
        if progress:
            progress(seen, total)
    return seen, changed
