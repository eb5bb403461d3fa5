"""Counts kept for the national reports (issue 18): the report_rollup table, kept equal to the bare SQL.

A row is (path, year, band, workflow, measure) → n: the enterprise's organisation path a case row carries
(ent_path), the case's offer year, the size band of its head count (campaign rows only; '' otherwise),
the workflow (funnel rows; '' for the campaign, whose per-enterprise figures read every workflow), and
what is counted:

  campaign (workflow ''): offers, offers_upper, accepted, accepted_on_time, refused, pending, signed, filed,
      effective, workers_covered — exactly the aggregate of engine/reports/campaign.py, grouped by path, year
      and band instead of one year's scope;
  funnel (band ''): reached:STATE and now:STATE (cases whose non-voided transition events entered the state,
      and of those the cases there now), days:STEP:D (cases whose step took D days) — the aggregate of
      engine/reports/funnel.py for the enterprises' cases.

How the counts stay right: never by arithmetic on what a write changed, but by recounting. Every writer calls
one function here in its own transaction (`cases_changed` with the ids of the case rows it wrote, or
`refresh` with the paths it moved); that deletes the rows of the touched paths (for the touched years, and
every year those paths already have rows for: an amended offer date may move a case to another year) and
recomputes them from the case and event rows with the same SQL the check uses. A path is a leaf of the tree
with a few hundred enterprises, so a recount is a few index ranges. On PostgreSQL a recount first takes a
transaction lock per path (sorted), so two writers of the same organisation recount one after the other and
the second sees the first's committed rows (READ COMMITTED); a recount of everything locks the table.
SQLite has one writer at a time.

`differences` compares the kept rows with the bare SQL (`bargain rollup check`); `rebuild` recounts
everything in one transaction (`bargain rollup rebuild`, and the migration that creates the table).

Coverage (engine/reports/coverage.py) is counted on a day, not per year: table coverage_rollup keeps, per path,
size band and union flag, the changes by day of the active enterprises, the covered ones and their workers (see
the section "Coverage" below). Its recount follows the same rule: every writer's touched paths (the paths above,
and `enterprises_written` for writes no case row shows: enterprises inserted, changed, moved or retired, and the
enterprises a regional or industry case covers when that case is saved) are recounted at commit, own rows from
the enterprise, case and coverage rows, subtree rows by the difference. engine/reports/coverage.py's
`kept_differences` compares them with the report's bare SQL on every day on which a count may change.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from engine.case import TRANSITION
from engine.store import recount
from engine.store.bulk import insert_rows
from engine.store.recount import (
    ALWAYS,
    CAMPAIGN,
    OWN,
    STEPS,
    SUB,
    VALUES,
    CoverKey,
    Key,
    _chunks,
    all_years,
    ancestors,
    bare_some,
    cases_added,
    cases_changed,
    coverage_own,
    coverage_subtrees,
    discard,
    enterprises_written,
    flush,
    lock_paths,
    mark,
    own_counts,
    paths_moved,
    subtree_deltas,
    with_subtrees,
)
from engine.store.tables import case_t, coverage_rollup_t, coverage_t, enterprise_t, event_t, report_rollup_t

# The recount every write runs is engine/store/recount.py's (SQLAlchemy-free), re-exported here: the one implementation.
__all__ = [  # and every name defined below
    "ALWAYS", "CAMPAIGN", "OWN", "STEPS", "SUB", "VALUES", "CoverKey", "Key", "all_years", "ancestors", "cases_added",
    "cases_changed", "coverage_own", "coverage_subtrees", "discard", "enterprises_written", "flush",
    "lock_paths", "mark", "paths_moved", "subtree_deltas", "with_subtrees",
]

r = report_rollup_t.c
ONE: Any = sa.literal_column("1")
ZERO: Any = sa.literal_column("0")


def subtree(column: Any, path: str) -> Any:
    """A path and everything below it, as a range (engine.store.directory.subtree; this module is imported by
    the directory and the repository, so it imports neither)."""
    return sa.and_(column >= path, column < path[:-1] + "0")


def not_voided(ev: Any) -> Any:
    """The event has not been voided (engine.store.repository.not_voided). The kind is written into the statement as a
    literal, not bound: then both planners see that the probe may use the partial index of voids (ix_event_voids)."""
    v = event_t.alias("voiding")
    return ~sa.exists().where(v.c.case_id == ev.case_id, v.c.kind == sa.literal_column("'void'"), v.c.corrects == ev.seq)


def _count_if(cond: Any) -> Any:
    return sa.func.sum(sa.case((cond, ONE), else_=ZERO))


def size_band(employees: Any) -> Any:
    """The size band of a head count, as SQL (the same literals as engine/reports/scope.py)."""
    return sa.case(
        (employees < sa.literal_column("50"), sa.literal_column("'<50'")),
        (employees < sa.literal_column("100"), sa.literal_column("'50-99'")),
        else_=sa.literal_column("'100+'"),
    )


class DaysFrom(FunctionElement[int]):
    """Whole days from one date column to another, compiled for each dialect (as the funnel counts them): one Core
    expression, so a recount statement compiled ahead of time (engine/store/queries.py) is the one run here."""

    type = sa.Integer()
    inherit_cache = True
    name = "days_from"


@compiles(DaysFrom, "sqlite")
def _days_sqlite(element: DaysFrom, compiler: Any, **kw: Any) -> str:
    start, end = list(element.clauses)
    return f"CAST(julianday({compiler.process(end, **kw)}) - julianday({compiler.process(start, **kw)}) AS INTEGER)"


@compiles(DaysFrom, "postgresql")
def _days_postgresql(element: DaysFrom, compiler: Any, **kw: Any) -> str:
    start, end = list(element.clauses)
    return f"({compiler.process(end, **kw)} - {compiler.process(start, **kw)})"


Where = Any  # a condition on case_t: which case rows a recount reads


def _cohort(paths: Sequence[str] | None, years: Sequence[int] | None) -> Where:
    c = case_t.c
    conds = [c.ent_path.is_not(None), c.offer_year.is_not(None)]
    if years is not None:
        conds.append(c.offer_year.in_(list(years)))
    if paths is not None:
        conds.append(c.ent_path.in_(list(paths)))
    return sa.and_(*conds)


def campaign_stmt(where: Where) -> Any:
    """The campaign figures of the case rows `where` selects, by path, year and band: engine/reports/campaign.py's
    aggregate (columns: ent_path, offer_year, band, then CAMPAIGN's measures in order)."""
    c = case_t.c
    each = (c.offer_year, c.ent_path, c.enterprise_id)
    latest_first = (c.offered_on.desc(), c.id.desc())
    inner = sa.select(
        c.offer_year, c.ent_path, c.ent_employees, c.offer_level, c.response, c.responded_on, c.reply_due,
        c.signed_on, c.filed_on, c.effective_on,
        sa.func.row_number().over(partition_by=each, order_by=latest_first).label("rn"),
        sa.func.max(sa.case((c.effective_on.is_not(None), ONE), else_=ZERO)).over(partition_by=each).label("any_effective"),
    ).where(where, c.enterprise_id.is_not(None)).subquery("year_cases")
    y = inner.c
    last = y.rn == ONE
    band = size_band(y.ent_employees).label("band")
    return sa.select(
        y.ent_path, y.offer_year, band,
        _count_if(last).label("offers"),
        _count_if(sa.and_(last, y.offer_level == "upper")).label("offers_upper"),
        _count_if(sa.and_(last, y.response == "accepted")).label("accepted"),
        _count_if(sa.and_(last, y.response == "accepted", y.responded_on <= y.reply_due)).label("accepted_on_time"),
        _count_if(sa.and_(last, y.response.in_(("refused", "lapsed")))).label("refused"),
        _count_if(sa.and_(last, y.response.is_(None))).label("pending"),
        sa.func.count(y.signed_on).label("signed"),
        sa.func.count(y.filed_on).label("filed"),
        sa.func.count(y.effective_on).label("effective"),
        sa.func.sum(sa.case((sa.and_(last, y.any_effective == ONE), y.ent_employees), else_=ZERO)).label("workers_covered"),
    ).group_by(y.ent_path, y.offer_year, sa.literal_column("band"))


def funnel_stmt(where: Where) -> Any:
    """The funnel's states reached and held of the case rows `where` selects, by path, year, workflow and state."""
    c, ev = case_t.c, event_t.c
    return (
        sa.select(c.ent_path, c.offer_year, c.workflow, ev.to_state,
                  sa.func.count(sa.distinct(ev.case_id)).label("reached"),
                  sa.func.count(sa.distinct(sa.case((c.state == ev.to_state, c.id)))).label("now"))
        .select_from(event_t.join(case_t, case_t.c.id == ev.case_id))
        .where(where, ev.kind == TRANSITION, not_voided(ev))
        .group_by(c.ent_path, c.offer_year, c.workflow, ev.to_state)
    )


def step_stmt(step: str, where: Where) -> Any:
    """How many cases `where` selects took each number of days (d) over a funnel step, by path, year, workflow."""
    c = case_t.c
    start, end, *cond = {
        "offer_to_reply": (c.offer_received_on, c.responded_on),
        "reply_to_signing": (c.responded_on, c.signed_on, c.response == "accepted"),
        "signing_to_effect": (c.signed_on, c.effective_on),
    }[step]
    d = DaysFrom(start, end).label("d")
    return (sa.select(c.ent_path, c.offer_year, c.workflow, d, sa.func.count().label("n"))
            .where(where, start.is_not(None), end.is_not(None), *cond)
            .group_by(c.ent_path, c.offer_year, c.workflow, d))


def bare(conn: Connection, paths: Sequence[str] | None = None, years: Sequence[int] | None = None) -> dict[Key, int]:
    """What the kept rows of these paths and years must be: the bare SQL over the case and event rows. For every
    path (None) also the subtree totals (`with_subtrees`); for some paths only their own rows. For some paths and
    years (what every write's recount asks) the statements' text compiled ahead of time (recount.bare_some), else
    the same Core statements."""
    if paths and years:
        return bare_some(conn, paths, years)
    where = _cohort(paths, years)
    stmts = {"recount_campaign": campaign_stmt(where), "recount_funnel": funnel_stmt(where),
             **{f"recount_{step}": step_stmt(step, where) for step in STEPS}}
    out = own_counts(lambda name: conn.execute(stmts[name]).all())
    return with_subtrees(out) if paths is None else out


def kept(conn: Connection, years: Sequence[int] | None = None) -> dict[Key, int]:
    """The kept rows (of these years)."""
    q = sa.select(r.path, r.year, r.band, r.workflow, r.measure, r.n)
    if years is not None:
        q = q.where(r.year.in_(list(years)))
    return {(str(a), int(b), str(c), str(d), str(e)): int(n) for a, b, c, d, e, n in conn.execute(q)}


def differences(conn: Connection, year: int | None = None) -> list[dict[str, Any]]:
    """Every kept count that differs from the bare SQL (a missing row counts as 0), sorted."""
    flush(conn)
    years = None if year is None else [year]
    want, have = bare(conn, None, years), kept(conn, years)
    out = []
    for key in sorted(set(want) | set(have)):
        w, h = want.get(key, 0), have.get(key, 0)
        if w != h:
            path, y, band, wf, measure = key
            out.append({"path": path, "year": y, "band": band, "workflow": wf, "measure": measure, "kept": h, "bare": w})
    return out


def refresh(conn: Connection, paths: Iterable[str] | None, years: Iterable[int] | None = None, *,
            exact: bool = False) -> int:
    """Recount the kept rows of these paths (None: every path) for these years and every year the paths
    already have rows for (None: every year; exact: only these years); the number of rows written. Some paths:
    recount.refresh; every path: the rows (of those years) deleted and counted again from nothing, subtree totals
    with them."""
    if paths is not None:
        return recount.refresh(conn, paths, years, exact=exact)
    lock_paths(conn, None)
    ylist: list[int] | None = None
    if years is not None:
        wanted = set(years)
        if not exact:
            wanted.update(int(y) for (y,) in conn.execute(sa.select(r.year).distinct()))
        ylist = sorted(wanted)
        if not ylist:
            return 0
    conds = [] if ylist is None else [r.year.in_(ylist)]
    conn.execute(report_rollup_t.delete().where(*conds))
    rows = [[*k, n] for k, n in bare(conn, None, ylist).items()]
    return insert_rows(conn, report_rollup_t, ["path", "year", "band", "workflow", "measure", "n"], rows) if rows else 0


def enterprises_changed(conn: Connection, enterprise_ids: Any, paths: Iterable[str]) -> None:
    """Before the case rows of these enterprises (ids, or a select of ids) get their copies refreshed or move:
    the paths they had and these paths are recounted for the years of their cases before the transaction
    commits."""
    c = case_t.c
    q = (sa.select(c.ent_path, c.offer_year).distinct()
         .where(c.enterprise_id.in_(enterprise_ids), c.ent_path.is_not(None), c.offer_year.is_not(None)))
    found = conn.execute(q).all()
    years = {int(y) for _, y in found}
    if years:
        mark(conn, {str(p) for p, _ in found} | set(paths), years)


def paths_below(conn: Connection, roots: Iterable[str]) -> set[str]:
    """The paths under these organisation paths that have kept rows, case rows or enterprises (before a move: what to
    recount)."""
    out: set[str] = set()
    for root in set(roots):
        out.update(str(p) for (p,) in conn.execute(sa.select(r.path).distinct().where(subtree(r.path, root))))
        q = sa.select(case_t.c.ent_path).distinct().where(subtree(case_t.c.ent_path, root))
        out.update(str(p) for (p,) in conn.execute(q))
        q = sa.select(enterprise_t.c.org_path).distinct().where(subtree(enterprise_t.c.org_path, root))
        out.update(str(p) for (p,) in conn.execute(q))
        q = sa.select(cr.path).distinct().where(subtree(cr.path, root), cr.tier == OWN)
        out.update(str(p) for (p,) in conn.execute(q))
    return out


def rebuild(conn: Connection, year: int | None = None) -> int:
    """Recount every kept row (of one year; the coverage rows, which have no year, always); rows written."""
    discard(conn)
    return refresh(conn, None, None if year is None else [year], exact=True) + refresh_coverage(conn, None)


def subtree_sums(conn: Connection, path: str, children: Sequence[str], year: int, *,
                 by_band: bool) -> list[tuple[str, str, int]]:
    """The campaign counts of a subtree's year from the kept rows: the organisation's own and each direct child's
    subtree total (children: their paths), as (path, or band with by_band; measure; n)."""
    flush(conn)
    g = r.band if by_band else r.path
    own = (sa.select(g, r.measure, sa.func.sum(r.n))
           .where(r.year == year, r.path == path, r.workflow == "", r.measure.in_(CAMPAIGN)).group_by(g, r.measure))
    out = [(str(k), str(m), int(n or 0)) for k, m, n in conn.execute(own)]
    for part in _chunks(sorted(children)):
        sub = (sa.select(g, r.measure, sa.func.sum(r.n))
               .where(r.year == year, r.path.in_(part or []), r.workflow == "", r.measure.in_([SUB + m for m in CAMPAIGN]))
               .group_by(g, r.measure))
        out += [(str(k), str(m)[len(SUB):], int(n or 0)) for k, m, n in conn.execute(sub)]
    return out


def funnel_sums(conn: Connection, path: str, children: Sequence[str], year: int, workflow: str | None) -> dict[str, int]:
    """The funnel counts of a subtree's year (of one workflow, or all) from the kept rows: the organisation's own
    and its direct children's subtree totals; measure → n."""
    flush(conn)
    out: dict[str, int] = {}

    def add(q: Any, strip: int) -> None:
        q = q.where(r.workflow == workflow) if workflow else q.where(r.workflow != "")
        for m, n in conn.execute(q.group_by(r.measure)):
            out[str(m)[strip:]] = out.get(str(m)[strip:], 0) + int(n or 0)

    add(sa.select(r.measure, sa.func.sum(r.n)).where(r.year == year, r.path == path, r.band == "",
                                                       ~r.measure.startswith(SUB, autoescape=True)), 0)
    for part in _chunks(sorted(children)):
        add(sa.select(r.measure, sa.func.sum(r.n)).where(r.year == year, r.path.in_(part or []), r.band == "",
                                                           r.measure.startswith(SUB, autoescape=True)), len(SUB))
    return out


# Coverage (engine/reports/coverage.py): counts on a day, not per year, kept as changes by day in coverage_rollup.
# A row (path, tier, day, band, unionised) → (active, covered, workers): how many enterprises of the path (tier OWN)
# or of its subtree (tier SUB) became active (−1: retired on the day), became covered by a contract in force (−1: the
# day after their merged in-force time ends), and the workers of those covered, from that day on. The count on a day
# is the sum of the rows up to it. An enterprise's band and union flag are its own (the case rows carry copies).
# Recounted like the rows above: the touched paths' own rows are deleted and counted again from the enterprise, case
# and coverage rows, and the difference is added to the subtree rows of the path and every one above it.

cr = coverage_rollup_t.c


def cover_enterprises_stmt(paths: Any) -> Any:
    """The enterprises at these organisation paths: id, path, head count, union flag, retirement."""
    e = enterprise_t.c
    return sa.select(e.id, e.org_path, e.employees, e.has_union, e.retired_on).where(e.org_path.in_(paths))


def cover_own_stmt(paths: Any) -> Any:
    """The terms in force of the own contracts of the enterprises at these paths (by the case rows' copies)."""
    c = case_t.c
    return (sa.select(c.enterprise_id, c.effective_on, c.term_end)
            .where(c.ent_path.in_(paths), c.enterprise_id.is_not(None), c.effective_on.is_not(None),
                   c.term_end.is_not(None)))


def cover_regional_stmt(paths: Any) -> Any:
    """The regional or industry cover of the enterprises at these paths, with its contract's term in force."""
    e, v = enterprise_t.c, coverage_t.c
    rc = case_t.alias("rc")
    return (sa.select(v.enterprise_id, v.added_on, v.removed_on, rc.c.effective_on, rc.c.term_end)
            .select_from(coverage_t.join(rc, rc.c.id == v.case_id).join(enterprise_t, e.id == v.enterprise_id))
            .where(e.org_path.in_(paths), rc.c.effective_on.is_not(None), rc.c.term_end.is_not(None)))


def coverage_bare(conn: Connection) -> dict[tuple[str, str, date, str, int], list[int]]:
    """Every coverage row as a recount from nothing makes it (tier, as in the table; zero rows left out)."""
    own: dict[CoverKey, list[int]] = {}
    paths = sorted(str(p) for (p,) in conn.execute(sa.select(enterprise_t.c.org_path).distinct()))
    for part in _chunks(paths):
        own.update(coverage_own(conn, part or []))
    out = {(p, OWN, d, b, u): n for (p, d, b, u), n in own.items()}
    out.update({(p, SUB, d, b, u): n for (p, d, b, u), n in coverage_subtrees(own).items() if any(n)})
    return out


def coverage_kept(conn: Connection) -> dict[tuple[str, str, date, str, int], list[int]]:
    """Every kept coverage row (zero rows left out)."""
    q = sa.select(cr.path, cr.tier, cr.day, cr.band, cr.unionised, cr.active, cr.covered, cr.workers)
    return {(str(p), str(t), d, str(b), int(u)): [int(a), int(c), int(w)]
            for p, t, d, b, u, a, c, w in conn.execute(q) if a or c or w}


def coverage_wrong(conn: Connection) -> int:
    """How many kept coverage rows differ from a recount from nothing (missing and extra rows included)."""
    flush(conn)
    want, have = coverage_bare(conn), coverage_kept(conn)
    return sum(1 for k in set(want) | set(have) if want.get(k) != have.get(k))


def refresh_coverage(conn: Connection, paths: Iterable[str] | None) -> int:
    """Recount the coverage rows of these paths (None: every path, from nothing); the number of rows written. Some
    paths: recount.refresh_coverage."""
    if paths is not None:
        return recount.refresh_coverage(conn, paths)
    lock_paths(conn, None, "coverage_rollup")
    conn.execute(coverage_rollup_t.delete())
    rows = [[*k, *n] for k, n in coverage_bare(conn).items()]
    return insert_rows(conn, coverage_rollup_t, ["path", "tier", "day", "band", "unionised", *VALUES], rows) if rows else 0


def coverage_sums(conn: Connection, path: str, children: Sequence[str], day: date) -> list[tuple[str, str, int, int, int, int]]:
    """The coverage counts of a subtree on a day from the kept rows: the enterprises attached to the organisation
    itself (its own rows) and each direct child's subtree, as (path, band, unionised, active, covered, workers)."""
    flush(conn)
    out: list[tuple[str, str, int, int, int, int]] = []
    sums = (sa.func.sum(cr.active), sa.func.sum(cr.covered), sa.func.sum(cr.workers))

    def read(where: Any) -> None:
        q = (sa.select(cr.path, cr.band, cr.unionised, *sums).where(where, cr.day <= day)
             .group_by(cr.path, cr.band, cr.unionised))
        out.extend((str(p), str(b), int(u), int(a or 0), int(c or 0), int(w or 0)) for p, b, u, a, c, w in conn.execute(q))

    read(sa.and_(cr.path == path, cr.tier == OWN))
    for part in _chunks(sorted(children)):
        read(sa.and_(cr.path.in_(part or []), cr.tier == SUB))
    return out


def coverage_levels(conn: Connection, day: date) -> dict[tuple[str, str], list[tuple[str, int, int, int, int]]]:
    """Every path's kept coverage on a day, own and subtree: (path, tier) → [(band, unionised, active, covered,
    workers)] (for the check)."""
    flush(conn)
    q = (sa.select(cr.path, cr.tier, cr.band, cr.unionised, sa.func.sum(cr.active), sa.func.sum(cr.covered),
                   sa.func.sum(cr.workers))
         .where(cr.day <= day).group_by(cr.path, cr.tier, cr.band, cr.unionised))
    out: dict[tuple[str, str], list[tuple[str, int, int, int, int]]] = {}
    for p, t, b, u, a, c, w in conn.execute(q):
        out.setdefault((str(p), str(t)), []).append((str(b), int(u), int(a or 0), int(c or 0), int(w or 0)))
    return out


def coverage_days(conn: Connection) -> set[date]:
    """Every day on which a coverage count may change: the kept rows' days and the bare rows' (contracts taking
    effect and the day after their terms end, retirements, regional cover added and removed)."""
    c, e, v = case_t.c, enterprise_t.c, coverage_t.c
    days = {d for (d,) in conn.execute(sa.select(cr.day).distinct()) if d != ALWAYS}
    for col in (c.effective_on, e.retired_on, v.added_on, v.removed_on):
        days.update(d for (d,) in conn.execute(sa.select(col).distinct().where(col.is_not(None))))
    days.update(d + timedelta(days=1) for (d,) in conn.execute(sa.select(c.term_end).distinct().where(
        c.term_end.is_not(None), c.effective_on.is_not(None))) if d < date.max)
    return days
