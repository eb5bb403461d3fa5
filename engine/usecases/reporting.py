"""The managers' reports as use cases: each one read-only unit of work around its builder (engine/reports/)."""

from __future__ import annotations

from datetime import date
from typing import Any

from engine import registry
from engine.reports.campaign import campaign as build_campaign
from engine.reports.coverage import coverage as build_coverage
from engine.reports.funnel import funnel as build_funnel
from engine.reports.model import Report
from engine.reports.overdue import overdue as build_overdue
from engine.reports.quality import quality as build_quality
from engine.reports.similar import Similarity
from engine.reports.similar import similar as build_similar
from engine.reports.wages import wages as build_wages
from engine.store.database import Store


def _workflow(workflow: str | None) -> None:
    if workflow:  # a misspelt workflow is refused with a suggestion, never an empty report
        registry.spec(workflow)


def campaign(store: Store, *, year: int, org: str | None = None, by: str = "org", compare: int | None = None,
             workflow: str | None = None, lang: str = "zh") -> Report:
    """The offer campaign of a year (DOMAIN §7)."""
    _workflow(workflow)
    with store.read() as conn:
        return build_campaign(conn, year=year, org=org, by=by, compare=compare, workflow=workflow, lang=lang)


def coverage(store: Store, *, as_of: date, org: str | None = None, by: str = "org", compare: int | None = None,
             lang: str = "zh") -> Report:
    """Coverage (动态建制率) on a date."""
    with store.read() as conn:
        return build_coverage(conn, as_of=as_of, org=org, by=by, compare=compare, lang=lang)


def funnel(store: Store, *, year: int, org: str | None = None, workflow: str | None = None, lang: str = "zh") -> Report:
    """How far the year's cases got."""
    _workflow(workflow)
    with store.read() as conn:
        return build_funnel(conn, year=year, org=org, workflow=workflow, lang=lang)


def overdue(store: Store, *, as_of: date, org: str | None = None, lang: str = "zh", **_: Any) -> Report:
    """Cases past a legal due date they still wait on."""
    with store.read() as conn:
        return build_overdue(conn, as_of=as_of, org=org, lang=lang)


def quality(store: Store, *, year: int, org: str | None = None, by: str = "org", as_of: date, lang: str = "zh") -> Report:
    """Contract quality of a year: the score's parts averaged by group, with weights, sources and typical cases."""
    with store.read() as conn:
        return build_quality(conn, year=year, org=org, by=by, as_of=as_of, lang=lang)


def similar(store: Store, *, org: str | None = None, year: int | None = None) -> Similarity:
    """Near-identical contracts and copied templates of a subtree."""
    with store.read() as conn:
        return build_similar(conn, org=org, year=year)


def wages(store: Store, *, year: int, org: str | None = None, by: str = "org", lang: str = "zh") -> Report:
    """The agreed terms of a year beside the year before (adjustment %, minimum wage, items covered)."""
    with store.read() as conn:
        return build_wages(conn, year=year, org=org, by=by, lang=lang)
