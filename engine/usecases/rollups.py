"""The report counts kept per organisation and year (engine/store/rollups.py): checked against the bare SQL, and
rebuilt. Both act over the whole database, so on a database with users only an administrator whose grants
reach every top-level organisation may run them (user.manage everywhere)."""

from __future__ import annotations

from typing import Any

from engine.permission import Principal
from engine.reports import coverage
from engine.store import rollups
from engine.store.database import Store
from engine.usecases.audit import recorded
from engine.usecases.guard import everywhere


@recorded
def check(store: Store, *, year: int | None = None, who: Principal | None = None) -> list[dict[str, Any]]:
    """Every kept count that differs from the bare SQL (path, year, band, workflow, measure, kept, bare)."""
    with store.read() as conn:
        everywhere(conn, who, "user.manage")
        return rollups.differences(conn, year)


@recorded
def check_coverage(store: Store, *, year: int | None = None, who: Principal | None = None) -> list[dict[str, Any]]:
    """Every kept coverage count that differs from the bare SQL (day, path, tier, figure, kept, bare), on every day
    on which a count may change and today (of one year: its days only)."""
    with store.read() as conn:
        everywhere(conn, who, "user.manage")
        return coverage.kept_differences(conn, year=year)


@recorded
def rebuild(store: Store, *, year: int | None = None, who: Principal | None = None) -> dict[str, Any]:
    """Recount every kept count (of one year; the coverage counts, which have no year, always) in one transaction:
    how many differed before (kept report counts, and coverage rows that differ from their recount), rows written."""
    with store.unit_of_work() as uow:
        everywhere(uow.conn, who, "user.manage")
        wrong = len(rollups.differences(uow.conn, year)) + rollups.coverage_wrong(uow.conn)
        rows = rollups.rebuild(uow.conn, year)
        uow.commit()
    return {"year": year, "repaired": wrong, "rows": rows}
