"""Counselors' work: the registration form's people, the annual summary, the workload table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from engine.store import casework, directory
from engine.store.database import Store


@dataclass(frozen=True)
class FormPeople:
    """The reporting unit's name and the subtree's counselors, for the 登记表."""

    unit: str
    people: list[dict[str, Any]]


def form_people(store: Store, org: str) -> FormPeople:
    """The counselors of a subtree and the organisation's name."""
    with store.read() as conn:
        return FormPeople(str(directory.org(conn, org).name), casework.counselors(conn, org))


def summary(store: Store, counselor_id: int, year: int) -> dict[str, Any]:
    """A counselor's annual work summary (年度工作总结) as data."""
    with store.read() as conn:
        return casework.summary(conn, counselor_id, year)


def workload(store: Store, org: str | None, as_of: date) -> list[dict[str, Any]]:
    """Per counselor: open cases, overdue deadlines, log entries and hours this year."""
    with store.read() as conn:
        return casework.workload(conn, org, as_of)


def busiest_summary(store: Store, org: str, year: int) -> dict[str, Any] | None:
    """For the demo: the annual summary of the counselor with the most hours in a subtree."""
    with store.read() as conn:
        load = casework.workload(conn, org, date(year, 12, 31))
        busiest = max((r for r in load if r["kind"] == "full_time"), key=lambda r: (r["hours"], -int(r["counselor_id"])),
                      default=None)
        return casework.summary(conn, int(busiest["counselor_id"]), year) if busiest else None
