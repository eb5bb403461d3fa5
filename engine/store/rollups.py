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

import zlib
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from engine import vocab
from engine.case import TRANSITION
from engine.store.bulk import insert_rows
from engine.store.tables import case_t, coverage_rollup_t, coverage_t, enterprise_t, event_t, report_rollup_t

r = report_rollup_t.c
CAMPAIGN = ("offers", "offers_upper", "accepted", "accepted_on_time", "refused", "pending", "signed", "filed",
            "effective", "workers_covered")
STEPS = ("offer_to_reply", "reply_to_signing", "signing_to_effect")
ONE: Any = sa.literal_column("1")
ZERO: Any = sa.literal_column("0")
_CHUNK = 500
_MANY_LOCKS = 500  # PostgreSQL's lock table holds max_locks_per_transaction x max_connections entries
_LOCK_CLASS = 18  # the first key of this module's PostgreSQL advisory locks (issue 18)

Key = tuple[str, int, str, str, str]  # path, year, band, workflow, measure
SUB = "*"  # a measure's subtree total at an organisation: its own count and every organisation's below it


def subtree(column: Any, path: str) -> Any:
    """A path and everything below it, as a range (engine.store.directory.subtree; this module is imported by
    the directory and the repository, so it imports neither)."""
    return sa.and_(column >= path, column < path[:-1] + "0")


def not_voided(ev: Any) -> Any:
    """The event has not been voided (engine.store.repository.not_voided)."""
    v = event_t.alias("voiding")
    return ~sa.exists().where(v.c.case_id == ev.case_id, v.c.kind == "void", v.c.corrects == ev.seq)


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


def _rows(conn: Connection, name: str, stmt: Any, paths: Sequence[str] | None,
          years: Sequence[int] | None) -> Sequence[Any]:
    """A recount statement's rows: for some paths and years (what every write's recount asks) its text compiled ahead
    of time from the same Core statement (engine/store/queries.py: recount_*), else the Core statement itself."""
    if paths and years:
        from engine.store import lite

        return lite.run(conn, name, {"paths": list(paths), "years": list(years)})
    return conn.execute(stmt).all()


def _campaign_rows(conn: Connection, where: Where, paths: Sequence[str] | None = None,
                   years: Sequence[int] | None = None) -> Iterator[tuple[Any, ...]]:
    """(path, year, band, '', measure, n) of the campaign figures: engine/reports/campaign.py's aggregate."""
    for row in _rows(conn, "recount_campaign", campaign_stmt(where), paths, years):
        for name, value in zip(CAMPAIGN, row[3:], strict=True):
            if value:
                yield (str(row[0]), int(row[1]), str(row[2]), "", name, int(value))


def _funnel_rows(conn: Connection, where: Where, paths: Sequence[str] | None = None,
                 years: Sequence[int] | None = None) -> Iterator[tuple[Any, ...]]:
    """(path, year, '', workflow, measure, n) of the funnel: states reached and held, days per step."""
    for path, year, wf, st, reached, now in _rows(conn, "recount_funnel", funnel_stmt(where), paths, years):
        if reached:
            yield (str(path), int(year), "", str(wf), f"reached:{st}", int(reached))
        if now:
            yield (str(path), int(year), "", str(wf), f"now:{st}", int(now))
    for step in STEPS:
        for path, year, wf, days, n in _rows(conn, f"recount_{step}", step_stmt(step, where), paths, years):
            if days is not None and n:
                yield (str(path), int(year), "", str(wf), f"days:{step}:{int(days)}", int(n))


def bare(conn: Connection, paths: Sequence[str] | None = None, years: Sequence[int] | None = None) -> dict[Key, int]:
    """What the kept rows of these paths and years must be: the bare SQL over the case and event rows. For every
    path (None) also the subtree totals (`with_subtrees`); for some paths only their own rows."""
    where = _cohort(paths, years)
    out: dict[Key, int] = {}
    for row in (*_campaign_rows(conn, where, paths, years), *_funnel_rows(conn, where, paths, years)):
        key = (row[0], row[1], row[2], row[3], row[4])
        out[key] = out.get(key, 0) + int(row[5])
    return with_subtrees(out) if paths is None else out


def ancestors(path: str) -> list[str]:
    """'/a/b/c/' → ['/a/', '/a/b/', '/a/b/c/']: the organisation itself and every one above it."""
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]


def subtree_deltas(own: dict[Key, int]) -> dict[Key, int]:
    """The subtree totals these own counts add to: each counted again, as SUB + measure, at its organisation and
    at every one above it (so a report reads one row per direct child, not one per organisation below)."""
    out: dict[Key, int] = {}
    for (path, year, band, wf, measure), n in own.items():
        for a in ancestors(path):
            key = (a, year, band, wf, SUB + measure)
            out[key] = out.get(key, 0) + n
    return out


def with_subtrees(own: dict[Key, int]) -> dict[Key, int]:
    """Own counts and the subtree totals they make."""
    return {**own, **subtree_deltas(own)}


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


def _lock_paths(conn: Connection, paths: Sequence[str] | None, tables: str = "report_rollup") -> None:
    if conn.dialect.name != "postgresql":
        return  # SQLite: one writer at a time
    if paths is None or len(paths) > _MANY_LOCKS:  # a launch's thousands of towns: one table lock, not one each
        conn.execute(sa.text(f"LOCK TABLE {tables} IN SHARE ROW EXCLUSIVE MODE"))
        return
    for p in sorted(set(paths)):
        key = zlib.crc32(p.encode()) - (1 << 31)  # a signed 32-bit key
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:a, :b)"), {"a": _LOCK_CLASS, "b": key})


def refresh(conn: Connection, paths: Iterable[str] | None, years: Iterable[int] | None = None, *,
            exact: bool = False) -> int:
    """Recount the kept rows of these paths (None: every path) for these years and every year the paths
    already have rows for (None: every year; exact: only these years); the number of rows written."""
    plist = None if paths is None else sorted(set(paths))
    if plist is not None and not plist:
        return 0
    _lock_paths(conn, plist)
    ylist: list[int] | None = None
    if years is not None:
        wanted = set(years)
        for part in () if exact else _chunks(plist):
            q = sa.select(r.year).distinct()
            if part is not None:
                q = q.where(r.path.in_(part))
            wanted.update(int(y) for (y,) in conn.execute(q))
        ylist = sorted(wanted)
        if not ylist:
            return 0
    written = 0
    cols = ["path", "year", "band", "workflow", "measure", "n"]
    for part in _chunks(plist):
        conds = []
        if part is not None:
            conds += [r.path.in_(part), ~r.measure.startswith(SUB, autoescape=True)]  # own rows; totals by delta below
        if ylist is not None:
            conds.append(r.year.in_(ylist))
        old: dict[Key, int] = {}
        if part is not None:
            q = sa.select(r.path, r.year, r.band, r.workflow, r.measure, r.n).where(*conds)
            old = {(str(a), int(b), str(c), str(d), str(e)): int(n) for a, b, c, d, e, n in conn.execute(q)}
        conn.execute(report_rollup_t.delete().where(*conds))
        new = bare(conn, part, ylist)
        rows = [[*k, n] for k, n in new.items()]
        if rows:
            written += insert_rows(conn, report_rollup_t, cols, rows)
        if part is not None:
            delta = {k: new.get(k, 0) - old.get(k, 0) for k in set(new) | set(old)}
            written += _add(conn, subtree_deltas({k: d for k, d in delta.items() if d}))
    return written


def _add(conn: Connection, deltas: dict[Key, int]) -> int:
    """n = n + d on the subtree totals (inserted when new), in key order: concurrent writers add up, and two of
    them lock the rows they share in the same order."""
    if not deltas:
        return 0
    stmt: Any  # each dialect's module only where it runs: a one-case command on SQLite loads no PostgreSQL code
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects import postgresql

        stmt = postgresql.insert(report_rollup_t)
    else:
        from sqlalchemy.dialects import sqlite

        stmt = sqlite.insert(report_rollup_t)
    stmt = stmt.on_conflict_do_update(index_elements=["path", "year", "band", "workflow", "measure"],
                                      set_={"n": report_rollup_t.c.n + stmt.excluded.n})
    rows = [{"path": k[0], "year": k[1], "band": k[2], "workflow": k[3], "measure": k[4], "n": d}
            for k, d in sorted(deltas.items())]
    conn.execute(stmt, rows)
    return len(rows)


def _chunks(paths: list[str] | None) -> Iterator[list[str] | None]:
    if paths is None:
        yield None
        return
    for start in range(0, len(paths), _CHUNK):
        yield paths[start:start + _CHUNK]


_DIRTY = "bargain_rollup_dirty"  # on the connection's info: what this transaction's writes touched, not yet recounted


def _mark(conn: Connection, paths: Iterable[str], years: Iterable[int] | None, *, exact: bool = False) -> None:
    """Note paths (and years; None: every year) to recount before this transaction commits or reads a report.
    Exact: only these years (new case rows cannot have left another year); otherwise also every year the
    paths already have kept rows for (a saved case may have moved from one)."""
    dirty = conn.info.setdefault(_DIRTY, {})
    paths = list(paths)
    enterprises_written(conn, paths)  # whatever changes a path's case rows may change its coverage
    for p in paths:
        key = (p, exact)
        had = dirty.get(key, set())
        if had is not None:
            dirty[key] = None if years is None else had | set(years)


def flush(conn: Connection) -> int:
    """Recount what the transaction's writes touched (engine.store.database.UnitOfWork.commit calls this, and so
    does every read of the kept counts); the number of rows written."""
    dirty: dict[tuple[str, bool], set[int] | None] = conn.info.pop(_DIRTY, None) or {}
    cover: set[str] = conn.info.pop(_COVER_DIRTY, None) or set()
    if not dirty and not cover:
        return 0
    # every path either recount touches, locked at once in one order (two writers never wait on each other's halves)
    _lock_paths(conn, sorted({p for p, _ in dirty} | cover), "report_rollup, coverage_rollup")
    written = refresh_coverage(conn, sorted(cover)) if cover else 0
    every = sorted({p for (p, _), ys in dirty.items() if ys is None})
    written += refresh(conn, every, all_years(conn)) if every else 0
    for exact in (False, True):
        some = sorted(p for (p, ex), ys in dirty.items() if ys is not None and ex is exact and p not in every)
        if some:
            years: set[int] = set()
            for p in some:
                years |= dirty[(p, exact)] or set()
            written += refresh(conn, some, years, exact=exact)
    return written


def all_years(conn: Connection) -> set[int]:
    """Every offer year of the case rows (read off the index on offer_year)."""
    q = sa.select(case_t.c.offer_year).distinct().where(case_t.c.offer_year.is_not(None))
    return {int(y) for (y,) in conn.execute(q)}


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
        _mark(conn, {str(p) for p, _ in found} | set(paths), years)


def discard(conn: Connection) -> None:
    """Forget what a rolled-back transaction touched."""
    conn.info.pop(_DIRTY, None)
    conn.info.pop(_COVER_DIRTY, None)


sa.event.listen(sa.engine.Engine, "rollback", discard)  # a rolled-back write leaves nothing to recount


def _flush_on_commit(conn: Connection) -> None:
    """A transaction committed outside a unit of work (engine.begin()) still recounts what its writes touched."""
    if conn.info.get(_DIRTY) or conn.info.get(_COVER_DIRTY):
        flush(conn)


sa.event.listen(sa.engine.Engine, "commit", _flush_on_commit)


def cases_added(conn: Connection, case_ids: Iterable[int]) -> None:
    """After these case rows were inserted (opened, imported, launched): their paths are recounted for their
    years only before the transaction commits."""
    cases_changed(conn, case_ids, exact=True)


def cases_changed(conn: Connection, case_ids: Iterable[int], *, exact: bool = False) -> None:
    """After these case rows were written (saved, corrected): their paths are recounted, for their years and
    every year the paths have kept rows for, before the transaction commits."""
    ids = sorted(set(case_ids))
    by_path: dict[str, set[int]] = {}
    regional = False
    for start in range(0, len(ids), 5000):
        q = (sa.select(case_t.c.ent_path, case_t.c.offer_year).distinct()
             .where(case_t.c.id.in_(ids[start:start + 5000])))
        for path, year in conn.execute(q):
            if path is None:  # a regional or industry case: the enterprises it covers (their coverage follows its dates)
                regional = True
                continue
            by_path.setdefault(str(path), set()).update(() if year is None else (int(year),))
    if regional:
        for start in range(0, len(ids), 5000):
            covered = (sa.select(enterprise_t.c.org_path).distinct()
                       .select_from(coverage_t.join(enterprise_t, enterprise_t.c.id == coverage_t.c.enterprise_id))
                       .where(coverage_t.c.case_id.in_(ids[start:start + 5000])))
            enterprises_written(conn, (str(p) for (p,) in conn.execute(covered)))
    for path, years in by_path.items():
        _mark(conn, [path], years, exact=exact)


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


def paths_moved(conn: Connection, paths: Iterable[str]) -> None:
    """Case rows left these paths or came to them (an enterprise or organisation moved, an enterprise's head count
    changed): every year of them is recounted before the transaction commits."""
    _mark(conn, paths, None)


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
OWN = ""
ALWAYS = date(1, 1, 1)  # the day an enterprise that was never retired counts from
_COVER_DIRTY = "bargain_cover_dirty"  # on the connection's info: the paths whose coverage rows are to be recounted
CoverKey = tuple[str, date, str, int]  # path, day, band, unionised
VALUES = ("active", "covered", "workers")


def enterprises_written(conn: Connection, paths: Iterable[str]) -> None:
    """Enterprise rows at these organisation paths were inserted or changed (head count, union, retired, moved from
    or to them), or what covers them did: their coverage rows are recounted before the transaction commits."""
    conn.info.setdefault(_COVER_DIRTY, set()).update(str(p) for p in paths if p)


def _merged(spans: list[tuple[date, date]]) -> Iterator[tuple[date, date]]:
    """Inclusive day ranges merged where they overlap or touch."""
    spans.sort()
    cur: tuple[date, date] | None = None
    for start, end in spans:
        if cur is not None and start <= cur[1] + timedelta(days=1):
            cur = (cur[0], max(cur[1], end))
            continue
        if cur is not None:
            yield cur
        cur = (start, end)
    if cur is not None:
        yield cur


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


def _cover_rows(conn: Connection, name: str, make: Any, paths: list[str]) -> Sequence[Any]:
    """A coverage recount statement's rows: its text compiled ahead of time from the same Core statement
    (engine/store/queries.py: recount_cover_*); no query for no paths."""
    if not paths:
        return []
    from engine.store import lite

    return lite.run(conn, name, {"paths": paths})


def coverage_own(conn: Connection, paths: Sequence[str]) -> dict[CoverKey, list[int]]:
    """What the own coverage rows of these paths must be, from the enterprise, case and coverage rows: each active
    enterprise +1 from ALWAYS and −1 from its retirement; covered +1 (and its workers) from the first day of each
    stretch on which a contract is in force for it (its own case: effective_on ≤ day ≤ term_end; or a regional or
    industry contract in force that covers it, added_on ≤ day < removed_on), −1 from the day after, never on or
    after its retirement (engine/reports/coverage.py's bare SQL, day by day)."""
    plist = list(paths)
    ents = {int(i): (str(p), int(emp or 0), 1 if u else 0, ret) for i, p, emp, u, ret in
            _cover_rows(conn, "recount_cover_enterprises", cover_enterprises_stmt, plist)}
    spans: dict[int, list[tuple[date, date]]] = {}
    for ent, start, end in _cover_rows(conn, "recount_cover_own", cover_own_stmt, plist):
        spans.setdefault(int(ent), []).append((start, end))
    for ent, added, removed, start, end in _cover_rows(conn, "recount_cover_regional", cover_regional_stmt, plist):
        last = end if removed is None else min(end, removed - timedelta(days=1))
        spans.setdefault(int(ent), []).append((max(start, added), last))
    out: dict[CoverKey, list[int]] = {}

    def add(key: CoverKey, i: int, n: int) -> None:
        out.setdefault(key, [0, 0, 0])[i] += n

    for ent, (path, emp, u, retired) in ents.items():
        band = vocab.size_band(emp)
        add((path, ALWAYS, band, u), 0, 1)
        if retired is not None:
            add((path, retired, band, u), 0, -1)
        cut = [(s, min(t, retired - timedelta(days=1)) if retired is not None else t) for s, t in spans.get(ent, [])]
        for start, end in _merged([(s, t) for s, t in cut if s <= t]):
            add((path, start, band, u), 1, 1)
            add((path, start, band, u), 2, emp)
            after = end + timedelta(days=1)
            add((path, after, band, u), 1, -1)
            add((path, after, band, u), 2, -emp)
    return {k: n for k, n in out.items() if any(n)}


def coverage_subtrees(own: dict[CoverKey, list[int]]) -> dict[CoverKey, list[int]]:
    """The subtree rows these own rows add to: each counted again at its organisation and every one above it."""
    out: dict[CoverKey, list[int]] = {}
    for (path, day, band, u), n in own.items():
        for a in ancestors(path):
            acc = out.setdefault((a, day, band, u), [0, 0, 0])
            for i in range(3):
                acc[i] += n[i]
    return out


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
    """Recount the coverage rows of these paths (None: every path, from nothing); the number of rows written."""
    cols = ["path", "tier", "day", "band", "unionised", *VALUES]
    if paths is None:
        _lock_paths(conn, None, "coverage_rollup")
        conn.execute(coverage_rollup_t.delete())
        rows = [[*k, *n] for k, n in coverage_bare(conn).items()]
        return insert_rows(conn, coverage_rollup_t, cols, rows) if rows else 0
    plist = sorted(set(paths))
    _lock_paths(conn, plist, "coverage_rollup")
    written = 0
    for part in _chunks(plist):
        mine = sa.and_(cr.path.in_(part or []), cr.tier == OWN)
        old = {(str(p), d, str(b), int(u)): [int(a), int(c), int(w)] for p, d, b, u, a, c, w in conn.execute(
            sa.select(cr.path, cr.day, cr.band, cr.unionised, *(cr[x] for x in VALUES)).where(mine))}
        conn.execute(coverage_rollup_t.delete().where(mine))
        new = coverage_own(conn, part or [])
        rows = [[k[0], OWN, *k[1:], *n] for k, n in new.items()]
        if rows:
            written += insert_rows(conn, coverage_rollup_t, cols, rows)
        delta = {}
        for k in set(new) | set(old):
            d = [a - b for a, b in zip(new.get(k, [0, 0, 0]), old.get(k, [0, 0, 0]), strict=True)]
            if any(d):
                delta[k] = d
        written += _add_coverage(conn, coverage_subtrees(delta))
    return written


def _add_coverage(conn: Connection, deltas: dict[CoverKey, list[int]]) -> int:
    """active/covered/workers + d on the subtree rows (inserted when new), in key order (as `_add`)."""
    if not deltas:
        return 0
    stmt: Any
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects import postgresql

        stmt = postgresql.insert(coverage_rollup_t)
    else:
        from sqlalchemy.dialects import sqlite

        stmt = sqlite.insert(coverage_rollup_t)
    stmt = stmt.on_conflict_do_update(index_elements=["path", "tier", "day", "band", "unionised"],
                                      set_={x: coverage_rollup_t.c[x] + stmt.excluded[x] for x in VALUES})
    rows = [{"path": k[0], "tier": SUB, "day": k[1], "band": k[2], "unionised": k[3],
             **dict(zip(VALUES, d, strict=True))} for k, d in sorted(deltas.items())]
    conn.execute(stmt, rows)
    return len(rows)


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
