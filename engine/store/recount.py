"""The recount every write runs before it commits (engine/store/rollups.py explains the kept counts), on the
generated statements of engine/store/queries.py (engine/store/lite.py): the same text on a one-case command's
plain sqlite3 connection and on an SQLAlchemy Connection, and nothing here imports SQLAlchemy for it.

A recount of everything (`bargain rollup rebuild`, the migrations) is the Core of engine/store/rollups.py, which
re-exports this module's functions: they are the one implementation. PostgreSQL's locks are SQLAlchemy's (PostgreSQL
never runs on the light path).
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from engine import vocab
from engine.store import lite

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

CAMPAIGN = ("offers", "offers_upper", "accepted", "accepted_on_time", "refused", "pending", "signed", "filed",
            "effective", "workers_covered")
STEPS = ("offer_to_reply", "reply_to_signing", "signing_to_effect")
_CHUNK = 500
_MANY_LOCKS = 500  # PostgreSQL's lock table holds max_locks_per_transaction x max_connections entries
_LOCK_CLASS = 18  # the first key of this module's PostgreSQL advisory locks (issue 18)

Key = tuple[str, int, str, str, str]  # path, year, band, workflow, measure
ROLLUP_COLUMNS = ("path", "year", "band", "workflow", "measure", "n")
SUB = "*"  # a measure's subtree total at an organisation: its own count and every organisation's below it

Rows = Callable[[str], Sequence[Any]]  # a recount statement's name → its rows


def own_counts(rows: Rows) -> dict[Key, int]:
    """The own counts (path, year, band, workflow, measure) → n from the rows of the recount statements (recount_campaign,
    recount_funnel, recount_STEP): engine/reports/campaign.py's and funnel.py's aggregates."""
    out: dict[Key, int] = {}

    def add(key: Key, n: int) -> None:
        out[key] = out.get(key, 0) + n

    for row in rows("recount_campaign"):
        for name, value in zip(CAMPAIGN, row[3:], strict=True):
            if value:
                add((str(row[0]), int(row[1]), str(row[2]), "", name), int(value))
    for path, year, wf, st, reached, now in rows("recount_funnel"):
        if reached:
            add((str(path), int(year), "", str(wf), f"reached:{st}"), int(reached))
        if now:
            add((str(path), int(year), "", str(wf), f"now:{st}"), int(now))
    for step in STEPS:
        for path, year, wf, days, n in rows(f"recount_{step}"):
            if days is not None and n:
                add((str(path), int(year), "", str(wf), f"days:{step}:{int(days)}"), int(n))
    return out


def bare_some(conn: Connection, paths: Sequence[str], years: Sequence[int]) -> dict[Key, int]:
    """What the own kept rows of these paths and years must be (both given, not empty)."""
    params = {"paths": list(paths), "years": list(years)}
    return own_counts(lambda name: lite.run(conn, name, params))


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


def _chunks(paths: list[str] | None) -> Iterator[list[str] | None]:
    if paths is None:
        yield None
        return
    for start in range(0, len(paths), _CHUNK):
        yield paths[start:start + _CHUNK]


def lock_paths(conn: Connection, paths: Sequence[str] | None, tables: str = "report_rollup") -> None:
    """PostgreSQL: a transaction lock per path (sorted), or on the tables for many or every path; SQLite: nothing
    (one writer at a time)."""
    if lite.dialect_of(conn) != "postgresql":
        return
    import sqlalchemy as sa

    if paths is None or len(paths) > _MANY_LOCKS:  # a launch's thousands of towns: one table lock, not one each
        conn.execute(sa.text(f"LOCK TABLE {tables} IN SHARE ROW EXCLUSIVE MODE"))
        return
    for p in sorted(set(paths)):
        key = zlib.crc32(p.encode()) - (1 << 31)  # a signed 32-bit key
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:a, :b)"), {"a": _LOCK_CLASS, "b": key})


def all_years(conn: Connection) -> set[int]:
    """Every offer year of the case rows (read off the index on offer_year)."""
    return {int(r.offer_year) for r in lite.run(conn, "offer_years")}


def refresh(conn: Connection, paths: Iterable[str], years: Iterable[int] | None = None, *, exact: bool = False) -> int:
    """Recount the kept rows of these paths for these years and every year the paths already have rows for (None:
    every year; exact: only these years); the number of rows written. Every path: rollups.refresh."""
    plist = sorted(set(paths))
    if not plist:
        return 0
    lock_paths(conn, plist)
    if years is None:
        years = all_years(conn)
    wanted = set(years)
    for part in () if exact else _chunks(plist):
        wanted.update(int(r.year) for r in lite.run(conn, "rollup_years", {"paths": part}))
    ylist = sorted(wanted)
    if not ylist:
        return 0
    written = 0
    for part in _chunks(plist):
        assert part is not None
        params = {"paths": part, "years": ylist}
        old: dict[Key, int] = {(str(a), int(b), str(c), str(d), str(e)): int(n)
                               for a, b, c, d, e, n in lite.run(conn, "rollup_own", params)}
        lite.write(conn, "rollup_delete_own", params)
        new = bare_some(conn, part, ylist)
        rows = [[*k, n] for k, n in new.items()]
        lite.write_many(conn, "insert_rollup", ROLLUP_COLUMNS, rows)
        written += len(rows)
        delta = {k: new.get(k, 0) - old.get(k, 0) for k in set(new) | set(old)}
        written += _add(conn, subtree_deltas({k: d for k, d in delta.items() if d}))
    return written


def _add(conn: Connection, deltas: dict[Key, int]) -> int:
    """n = n + d on the subtree totals (inserted when new), in key order: concurrent writers add up, and two of
    them lock the rows they share in the same order."""
    rows = [[*k, d] for k, d in sorted(deltas.items())]
    lite.write_many(conn, "add_rollup", ROLLUP_COLUMNS, rows)
    return len(rows)


_DIRTY = "bargain_rollup_dirty"  # on the connection's info: what this transaction's writes touched, not yet recounted
_COVER_DIRTY = "bargain_cover_dirty"  # on the connection's info: the paths whose coverage rows are to be recounted


_HOOKS: list[bool] = []  # whether the SQLAlchemy hooks below are registered


def _hooked(conn: Connection) -> None:
    """An SQLAlchemy connection that noted something to recount recounts at every commit, also outside a unit of
    work (engine.begin()), and forgets at a rollback: hooks on every Engine, registered the first time one is needed
    (they apply to the engines and connections made before too). A LiteConnection is committed by its unit of work,
    which recounts, and forgets at its own rollback."""
    if _HOOKS or isinstance(conn, lite.LiteConnection):
        return
    import sqlalchemy as sa

    sa.event.listen(sa.engine.Engine, "rollback", discard)
    sa.event.listen(sa.engine.Engine, "commit", _flush_on_commit)
    _HOOKS.append(True)


def _flush_on_commit(conn: Connection) -> None:
    conn.info.pop(lite.PENDING, None)  # a case opened and never saved is never written: its reserved id is free again
    if conn.info.get(_DIRTY) or conn.info.get(_COVER_DIRTY):
        flush(conn)


def pending(conn: Connection) -> dict[int, tuple[Any, ...]]:
    """The cases opened in this transaction and not yet saved (repository.reserve_cases and save), forgotten at its
    commit or rollback."""
    _hooked(conn)
    found: dict[int, tuple[Any, ...]] = conn.info.setdefault(lite.PENDING, {})
    return found


def mark(conn: Connection, paths: Iterable[str], years: Iterable[int] | None, *, exact: bool = False) -> None:
    """Note paths (and years; None: every year) to recount before this transaction commits or reads a report.
    Exact: only these years (new case rows cannot have left another year); otherwise also every year the
    paths already have kept rows for (a saved case may have moved from one)."""
    _hooked(conn)
    dirty = conn.info.setdefault(_DIRTY, {})
    paths = list(paths)
    enterprises_written(conn, paths)  # whatever changes a path's case rows may change its coverage
    for p in paths:
        key = (p, exact)
        had = dirty.get(key, set())
        if had is not None:
            dirty[key] = None if years is None else had | set(years)


def enterprises_written(conn: Connection, paths: Iterable[str]) -> None:
    """Enterprise rows at these organisation paths were inserted or changed (head count, union, retired, moved from
    or to them), or what covers them did: their coverage rows are recounted before the transaction commits."""
    _hooked(conn)
    conn.info.setdefault(_COVER_DIRTY, set()).update(str(p) for p in paths if p)


def flush(conn: Connection) -> int:
    """Recount what the transaction's writes touched (engine.store.database.UnitOfWork.commit calls this, and so
    does every read of the kept counts); the number of rows written."""
    dirty: dict[tuple[str, bool], set[int] | None] = conn.info.pop(_DIRTY, None) or {}
    cover: set[str] = conn.info.pop(_COVER_DIRTY, None) or set()
    if not dirty and not cover:
        return 0
    # every path either recount touches, locked at once in one order (two writers never wait on each other's halves)
    lock_paths(conn, sorted({p for p, _ in dirty} | cover), "report_rollup, coverage_rollup")
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


def discard(conn: Connection) -> None:
    """Forget what a rolled-back transaction touched."""
    conn.info.pop(_DIRTY, None)
    conn.info.pop(_COVER_DIRTY, None)
    conn.info.pop(lite.PENDING, None)


def cases_added(conn: Connection, case_ids: Iterable[int]) -> None:
    """After these case rows were inserted (opened, imported, launched): their paths are recounted for their
    years only before the transaction commits."""
    cases_changed(conn, case_ids, exact=True)


def cases_opened(conn: Connection, rows: Iterable[tuple[int, str | None, int | None]]) -> None:
    """After new case rows were written, given as (id, ent_path, offer_year) as written: their paths are recounted for
    their years only before the transaction commits (a regional case's, with no path, as cases_added finds them)."""
    given = list(rows)
    if _mark_by_path(conn, ((path, year) for _, path, year in given), exact=True):
        cases_added(conn, [case_id for case_id, path, _ in given if path is None])


def cases_changed(conn: Connection, case_ids: Iterable[int], *, exact: bool = False) -> None:
    """After these case rows were written (saved, corrected): their paths are recounted, for their years and
    every year the paths have kept rows for, before the transaction commits."""
    ids = sorted(set(case_ids))
    read = (row for start in range(0, len(ids), 5000) for row in lite.run(conn, "cases_paths", {"ids": ids[start:start + 5000]}))
    if _mark_by_path(conn, read, exact=exact):  # a regional or industry case: the enterprises it covers (their
        for start in range(0, len(ids), 5000):  # coverage follows its dates)
            covered = lite.run(conn, "covered_paths", {"ids": ids[start:start + 5000]})
            enterprises_written(conn, (str(p) for (p,) in covered))


def _mark_by_path(conn: Connection, rows: Iterable[tuple[Any, Any]], *, exact: bool) -> bool:
    """Mark each path of these (ent_path, offer_year) rows for its years (cases_opened and cases_changed); whether any
    row had no path (a regional or industry case)."""
    by_path: dict[str, set[int]] = {}
    regional = False
    for path, year in rows:
        if path is None:
            regional = True
            continue
        by_path.setdefault(str(path), set()).update(() if year is None else (int(year),))
    for path, years in by_path.items():
        mark(conn, [path], years, exact=exact)
    return regional


def paths_moved(conn: Connection, paths: Iterable[str]) -> None:
    """Case rows left these paths or came to them (an enterprise or organisation moved, an enterprise's head count
    changed): every year of them is recounted before the transaction commits."""
    mark(conn, paths, None)


# Coverage (engine/reports/coverage.py; engine/store/rollups.py says how it is kept).

OWN = ""
ALWAYS = date(1, 1, 1)  # the day an enterprise that was never retired counts from
CoverKey = tuple[str, date, str, int]  # path, day, band, unionised
VALUES = ("active", "covered", "workers")


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


def _cover_rows(conn: Connection, name: str, paths: list[str]) -> Sequence[Any]:
    """A coverage recount statement's rows (engine/store/queries.py: recount_cover_*); no query for no paths."""
    return lite.run(conn, name, {"paths": paths}) if paths else []


def coverage_own(conn: Connection, paths: Sequence[str]) -> dict[CoverKey, list[int]]:
    """What the own coverage rows of these paths must be, from the enterprise, case and coverage rows: each active
    enterprise +1 from ALWAYS and −1 from its retirement; covered +1 (and its workers) from the first day of each
    stretch on which a contract is in force for it (its own case: effective_on ≤ day ≤ term_end; or a regional or
    industry contract in force that covers it, added_on ≤ day < removed_on), −1 from the day after, never on or
    after its retirement (engine/reports/coverage.py's bare SQL, day by day)."""
    plist = list(paths)
    ents = {int(i): (str(p), int(emp or 0), 1 if u else 0, ret) for i, p, emp, u, ret in
            _cover_rows(conn, "recount_cover_enterprises", plist)}
    spans: dict[int, list[tuple[date, date]]] = {}
    for ent, start, end in _cover_rows(conn, "recount_cover_own", plist):
        spans.setdefault(int(ent), []).append((start, end))
    for ent, added, removed, start, end in _cover_rows(conn, "recount_cover_regional", plist):
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


COVER_COLUMNS = ("path", "tier", "day", "band", "unionised", *VALUES)


def _cover_row(tier: str, k: CoverKey, n: Sequence[int]) -> list[Any]:
    return [k[0], tier, *k[1:], *n]


def refresh_coverage(conn: Connection, paths: Iterable[str]) -> int:
    """Recount the coverage rows of these paths; the number of rows written. Every path: rollups.refresh_coverage."""
    plist = sorted(set(paths))
    lock_paths(conn, plist, "coverage_rollup")
    written = 0
    for part in _chunks(plist):
        assert part is not None
        if not part:
            continue
        params = {"paths": part, "tier": OWN}
        old = {(str(p), d, str(b), int(u)): [int(a), int(c), int(w)]
               for p, d, b, u, a, c, w in lite.run(conn, "coverage_own_rows", params)}
        lite.write(conn, "coverage_delete_own", params)
        new = coverage_own(conn, part)
        rows = [_cover_row(OWN, k, n) for k, n in new.items()]
        lite.write_many(conn, "insert_coverage", COVER_COLUMNS, rows)
        written += len(rows)
        delta = {}
        for k in set(new) | set(old):
            d = [a - b for a, b in zip(new.get(k, [0, 0, 0]), old.get(k, [0, 0, 0]), strict=True)]
            if any(d):
                delta[k] = d
        written += _add_coverage(conn, coverage_subtrees(delta))
    return written


def _add_coverage(conn: Connection, deltas: dict[CoverKey, list[int]]) -> int:
    """active/covered/workers + d on the subtree rows (inserted when new), in key order (as `_add`)."""
    rows = [_cover_row(SUB, k, d) for k, d in sorted(deltas.items())]
    lite.write_many(conn, "add_coverage", COVER_COLUMNS, rows)
    return len(rows)
