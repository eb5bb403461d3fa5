"""`bargain deadlines`: the legal deadlines of a subtree's cases as of a day, filtered and sorted by due day."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from engine.deadline import Deadline
from engine.permission import Principal
from engine.registry import holidays, policy
from engine.store import hot
from engine.store.database import Store
from engine.store.hot import Row as Row  # re-exported for the front ends
from engine.usecases.audit import recorded
from engine.usecases.guard import org_in, reach

if TYPE_CHECKING:
    from engine.store import access, agenda
else:  # loaded on first use: `deadlines --org` runs on engine/store/hot.py's generated statement alone
    from engine.store.lazy import module

    access, agenda = module("engine.store.access"), module("engine.store.agenda")


@recorded
def listed(store: Store, as_of: date, *, org: str | None = None, kind: str | None = None, status: str | None = None,
           include_ended: bool = False, who: Principal | None = None) -> list[tuple[Row, Deadline]]:
    """(case row, deadline) pairs by due day; without `include_ended` only those a case still waits on; for a
    user, only the cases their grants reach."""
    policy.check_kind(kind)
    holidays.calendar()  # a broken holiday file is reported even when no case needs its year
    with store.read() as conn:
        org_in(conn, who, "case.read", org)
        found = reach(who, "case.read")
        # A user's reach over the organisation asked for: whole (a manager of it or above: nothing to narrow), or
        # only their own cases (a counselor assigned there): the generated statement serves both; a mix needs
        # the general predicate.
        over = found.over(hot.org_path(conn, org)) if found is not None and org else None
        if hot.scan_shape(org=org, status=status, include_ended=include_ended, within=None if over else found):
            found_rows = hot.scan_org(conn, as_of, org=str(org), kind=kind, status=status)  # what agenda.scan runs
            if found is not None and over == "mine":
                found_rows = (r for r in found_rows if r.case.counselor_id == found.counselor_id)
        else:
            within = access.cases_within(found) if found is not None else None
            found_rows = agenda.scan(conn, as_of, org=org, kind=kind, status=status, include_ended=include_ended, within=within)
        rows = [(r, d) for r in found_rows for d in r.deadlines]
    rows.sort(key=lambda rd: (rd[1].due, rd[0].case.case_id, rd[1].kind))
    return rows
