"""The managers' reports as use cases: each one read-only unit of work around its builder (engine/reports/)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.engine import Connection

from engine import registry
from engine.permission import Principal
from engine.reports.campaign import campaign as build_campaign
from engine.reports.coverage import coverage as build_coverage
from engine.reports.funnel import funnel as build_funnel
from engine.reports.model import Report
from engine.reports.overdue import overdue as build_overdue
from engine.reports.overdue import overdue_cases
from engine.reports.quality import quality as build_quality
from engine.reports.similar import Similarity
from engine.reports.similar import similar as build_similar
from engine.reports.wages import wages as build_wages
from engine.store.database import Store
from engine.usecases.audit import recorded
from engine.usecases.guard import org_for


def _scope(conn: Connection, who: Principal | None, org: str | None, export: bool) -> str | None:
    """The organisation reported on: for a user, inside their grants (report.read, and report.export for a file)."""
    chosen = org_for(conn, who, "report.read", org)
    if export:
        org_for(conn, who, "report.export", chosen)
    return chosen


def _workflow(workflow: str | None) -> None:
    if workflow:  # a misspelt workflow is refused with a suggestion, never an empty report
        registry.spec(workflow)


@recorded
def campaign(store: Store, *, year: int, org: str | None = None, by: str = "org", compare: int | None = None,
             workflow: str | None = None, lang: str = "zh", who: Principal | None = None, export: bool = False) -> Report:
    """The offer campaign of a year (DOMAIN §7)."""
    _workflow(workflow)
    with store.read() as conn:
        return build_campaign(conn, year=year, org=_scope(conn, who, org, export), by=by, compare=compare, workflow=workflow, lang=lang)


@recorded
def coverage(store: Store, *, as_of: date, org: str | None = None, by: str = "org", compare: int | None = None,
             lang: str = "zh", who: Principal | None = None, export: bool = False) -> Report:
    """Coverage (动态建制率) on a date."""
    with store.read() as conn:
        return build_coverage(conn, as_of=as_of, org=_scope(conn, who, org, export), by=by, compare=compare, lang=lang)


@recorded
def funnel(store: Store, *, year: int, org: str | None = None, workflow: str | None = None, lang: str = "zh",
           who: Principal | None = None, export: bool = False) -> Report:
    """How far the year's cases got."""
    _workflow(workflow)
    with store.read() as conn:
        return build_funnel(conn, year=year, org=_scope(conn, who, org, export), workflow=workflow, lang=lang)


@recorded
def overdue(store: Store, *, as_of: date, org: str | None = None, lang: str = "zh", who: Principal | None = None,
            export: bool = False, **_: Any) -> Report:
    """Cases past a legal due date they still wait on."""
    with store.read() as conn:
        return build_overdue(conn, as_of=as_of, org=_scope(conn, who, org, export), lang=lang)


@recorded
def overdue_count(store: Store, *, as_of: date, org: str | None = None, who: Principal | None = None) -> int:
    """How many cases are overdue on a day: the overdue report's total, without its breakdown."""
    with store.read() as conn:
        return overdue_cases(conn, as_of=as_of, org=_scope(conn, who, org, False))


@recorded
def quality(store: Store, *, year: int, org: str | None = None, by: str = "org", as_of: date, lang: str = "zh",
            who: Principal | None = None, export: bool = False) -> Report:
    """Contract quality of a year: the score's parts averaged by group, with weights, sources and typical cases."""
    with store.read() as conn:
        return build_quality(conn, year=year, org=_scope(conn, who, org, export), by=by, as_of=as_of, lang=lang)


@recorded
def similar(store: Store, *, org: str | None = None, year: int | None = None, who: Principal | None = None) -> Similarity:
    """Near-identical contracts and copied templates of a subtree."""
    with store.read() as conn:
        return build_similar(conn, org=_scope(conn, who, org, False), year=year)


@recorded
def wages(store: Store, *, year: int, org: str | None = None, by: str = "org", lang: str = "zh", who: Principal | None = None,
          export: bool = False) -> Report:
    """The agreed terms of a year beside the year before (adjustment %, minimum wage, items covered)."""
    with store.read() as conn:
        return build_wages(conn, year=year, org=_scope(conn, who, org, export), by=by, lang=lang)
