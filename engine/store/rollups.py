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
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from engine.case import TRANSITION
from engine.store.bulk import insert_rows
from engine.store.tables import case_t, event_t, report_rollup_t

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


def days_between(conn: Connection, start: Any, end: Any) -> Any:
    """Whole days from one date column to another, in the connection's dialect (as the funnel counts them)."""
    if conn.dialect.name == "sqlite":
        return sa.cast(sa.func.julianday(end) - sa.func.julianday(start), sa.Integer)
    return sa.type_coerce(end - start, sa.Integer)


Where = Any  # a condition on case_t: which case rows a recount reads


def _cohort(paths: Sequence[str] | None, years: Sequence[int] | None) -> Where:
    c = case_t.c
    conds = [c.ent_path.is_not(None), c.offer_year.is_not(None)]
    if years is not None:
        conds.append(c.offer_year.in_(list(years)))
    if paths is not None:
        conds.append(c.ent_path.in_(list(paths)))
    return sa.and_(*conds)


def _campaign_rows(conn: Connection, where: Where) -> Iterator[tuple[Any, ...]]:
    """(path, year, band, '', measure, n) of the campaign figures: engine/reports/campaign.py's aggregate."""
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
    stmt = sa.select(
        y.ent_path, y.offer_year, band,
        _count_if(last),
        _count_if(sa.and_(last, y.offer_level == "upper")),
        _count_if(sa.and_(last, y.response == "accepted")),
        _count_if(sa.and_(last, y.response == "accepted", y.responded_on <= y.reply_due)),
        _count_if(sa.and_(last, y.response.in_(("refused", "lapsed")))),
        _count_if(sa.and_(last, y.response.is_(None))),
        sa.func.count(y.signed_on),
        sa.func.count(y.filed_on),
        sa.func.count(y.effective_on),
        sa.func.sum(sa.case((sa.and_(last, y.any_effective == ONE), y.ent_employees), else_=ZERO)),
    ).group_by(y.ent_path, y.offer_year, sa.literal_column("band"))
    for row in conn.execute(stmt):
        for name, value in zip(CAMPAIGN, row[3:], strict=True):
            if value:
                yield (str(row[0]), int(row[1]), str(row[2]), "", name, int(value))


def _funnel_rows(conn: Connection, where: Where) -> Iterator[tuple[Any, ...]]:
    """(path, year, '', workflow, measure, n) of the funnel: states reached and held, days per step."""
    c, ev = case_t.c, event_t.c
    stmt = (
        sa.select(c.ent_path, c.offer_year, c.workflow, ev.to_state,
                  sa.func.count(sa.distinct(ev.case_id)),
                  sa.func.count(sa.distinct(sa.case((c.state == ev.to_state, c.id)))))
        .select_from(event_t.join(case_t, case_t.c.id == ev.case_id))
        .where(where, ev.kind == TRANSITION, not_voided(ev))
        .group_by(c.ent_path, c.offer_year, c.workflow, ev.to_state)
    )
    for path, year, wf, st, reached, now in conn.execute(stmt):
        if reached:
            yield (str(path), int(year), "", str(wf), f"reached:{st}", int(reached))
        if now:
            yield (str(path), int(year), "", str(wf), f"now:{st}", int(now))
    for step, start, end, *cond in (
        ("offer_to_reply", c.offer_received_on, c.responded_on),
        ("reply_to_signing", c.responded_on, c.signed_on, c.response == "accepted"),
        ("signing_to_effect", c.signed_on, c.effective_on),
    ):
        d = days_between(conn, start, end).label("d")
        q = (sa.select(c.ent_path, c.offer_year, c.workflow, d, sa.func.count())
             .where(where, start.is_not(None), end.is_not(None), *cond)
             .group_by(c.ent_path, c.offer_year, c.workflow, d))
        for path, year, wf, days, n in conn.execute(q):
            if days is not None and n:
                yield (str(path), int(year), "", str(wf), f"days:{step}:{int(days)}", int(n))


def bare(conn: Connection, paths: Sequence[str] | None = None, years: Sequence[int] | None = None) -> dict[Key, int]:
    """What the kept rows of these paths and years must be: the bare SQL over the case and event rows. For every
    path (None) also the subtree totals (`with_subtrees`); for some paths only their own rows."""
    where = _cohort(paths, years)
    out: dict[Key, int] = {}
    for row in (*_campaign_rows(conn, where), *_funnel_rows(conn, where)):
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


def _lock_paths(conn: Connection, paths: Sequence[str] | None) -> None:
    if conn.dialect.name != "postgresql":
        return  # SQLite: one writer at a time
    if paths is None or len(paths) > _MANY_LOCKS:  # a launch's thousands of towns: one table lock, not one each
        conn.execute(sa.text("LOCK TABLE report_rollup IN SHARE ROW EXCLUSIVE MODE"))
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
    for p in paths:
        key = (p, exact)
        had = dirty.get(key, set())
        if had is not None:
            dirty[key] = None if years is None else had | set(years)


def flush(conn: Connection) -> int:
    """Recount what the transaction's writes touched (engine.store.database.UnitOfWork.commit calls this, and so
    does every read of the kept counts); the number of rows written."""
    dirty: dict[tuple[str, bool], set[int] | None] = conn.info.pop(_DIRTY, None) or {}
    if not dirty:
        return 0
    every = sorted({p for (p, _), ys in dirty.items() if ys is None})
    written = refresh(conn, every, all_years(conn)) if every else 0
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


sa.event.listen(sa.engine.Engine, "rollback", discard)  # a rolled-back write leaves nothing to recount


def cases_added(conn: Connection, case_ids: Iterable[int]) -> None:
    """After these case rows were inserted (opened, imported, launched): their paths are recounted for their
    years only before the transaction commits."""
    cases_changed(conn, case_ids, exact=True)


def cases_changed(conn: Connection, case_ids: Iterable[int], *, exact: bool = False) -> None:
    """After these case rows were written (saved, corrected): their paths are recounted, for their years and
    every year the paths have kept rows for, before the transaction commits."""
    ids = sorted(set(case_ids))
    by_path: dict[str, set[int]] = {}
    for start in range(0, len(ids), 5000):
        q = (sa.select(case_t.c.ent_path, case_t.c.offer_year).distinct()
             .where(case_t.c.id.in_(ids[start:start + 5000]), case_t.c.ent_path.is_not(None)))
        for path, year in conn.execute(q):
            by_path.setdefault(str(path), set()).update(() if year is None else (int(year),))
    for path, years in by_path.items():
        _mark(conn, [path], years, exact=exact)


def paths_below(conn: Connection, roots: Iterable[str]) -> set[str]:
    """The paths under these organisation paths that have kept rows or case rows (before a move: what to recount)."""
    out: set[str] = set()
    for root in set(roots):
        out.update(str(p) for (p,) in conn.execute(sa.select(r.path).distinct().where(subtree(r.path, root))))
        q = sa.select(case_t.c.ent_path).distinct().where(subtree(case_t.c.ent_path, root))
        out.update(str(p) for (p,) in conn.execute(q))
    return out


def paths_moved(conn: Connection, paths: Iterable[str]) -> None:
    """Case rows left these paths or came to them (an enterprise or organisation moved, an enterprise's head count
    changed): every year of them is recounted before the transaction commits."""
    _mark(conn, paths, None)


def rebuild(conn: Connection, year: int | None = None) -> int:
    """Recount every kept row (of one year); the number of rows written."""
    discard(conn)
    return refresh(conn, None, None if year is None else [year], exact=True)


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
