"""Counselors' work: the registration form's people, the annual summary, the workload table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from engine.permission import Principal, Resource
from engine.store import access, casework, directory
from engine.store.database import Store
from engine.usecases.audit import recorded
from engine.usecases.guard import allow, org_in, reach


@dataclass(frozen=True)
class FormPeople:
    """The reporting unit's name and the subtree's counselors, for the 登记表."""

    unit: str
    people: list[dict[str, Any]]


def _within(who: Principal | None) -> Any:
    found = reach(who, "counselor.read")
    return access.counselors_within(found) if found is not None else None


@recorded
def form_people(store: Store, org: str, who: Principal | None = None) -> FormPeople:
    """The counselors of a subtree and the organisation's name (for a user: the registration form is an export)."""
    with store.read() as conn:
        org_in(conn, who, "counselor.read", org)
        org_in(conn, who, "report.export", org)
        return FormPeople(str(directory.org(conn, org).name), casework.counselors(conn, org, _within(who)))


@recorded
def summary(store: Store, counselor_id: int, year: int, who: Principal | None = None) -> dict[str, Any]:
    """A counselor's annual work summary (年度工作总结) as data."""
    with store.read() as conn:
        if who is not None:
            row = directory.counselor(conn, counselor_id)
            allow(who, "counselor.read", Resource(str(row.org_path) or None, counselor_id, "counselor"))
        doc = casework.summary(conn, counselor_id, year)
        if who is not None and who.counselor_id != counselor_id:
            doc = _readable(conn, who, doc)
        return doc


def _readable(conn: Any, who: Principal, doc: dict[str, Any]) -> dict[str, Any]:
    """The summary as a reader other than the counselor sees it: the cases (and the log's quotes) of those the reader may
    read; a counselor of one district may have guided cases in another, whose names and notes stay there. The totals
    stay the counselor's; `outside` counts the cases left out."""
    from engine import registry
    from engine.permission import decide
    from engine.store import hot
    from engine.summary import QUOTED

    roles = registry.roles()

    def may(case_id: int) -> bool:
        path, assigned = hot.case_resource(conn, case_id)
        return decide(who, "case.read", Resource(path, assigned, "case"), roles).allowed

    keep = {int(r["case_id"]) for r in doc["cases"] if may(int(r["case_id"]))}
    out = {**doc, "cases": [r for r in doc["cases"] if int(r["case_id"]) in keep], "outside": len(doc["cases"]) - len(keep)}
    for key in QUOTED.values():
        out[key] = [q for q in doc.get(key, []) if int(q["case_id"]) in keep]
    return out


@recorded
def workload(store: Store, org: str | None, as_of: date, who: Principal | None = None) -> list[dict[str, Any]]:
    """Per counselor: open cases, overdue deadlines, log entries and hours this year (for a user, those they reach)."""
    with store.read() as conn:
        org_in(conn, who, "counselor.read", org)
        return casework.workload(conn, org, as_of, _within(who))


def busiest_summary(store: Store, org: str, year: int) -> dict[str, Any] | None:
    """For the demo: the annual summary of the counselor with the most hours in a subtree."""
    with store.read() as conn:
        load = casework.workload(conn, org, date(year, 12, 31))
        busiest = max((r for r in load if r["kind"] == "full_time"), key=lambda r: (r["hours"], -int(r["counselor_id"])),
                      default=None)
        return casework.summary(conn, int(busiest["counselor_id"]), year) if busiest else None
