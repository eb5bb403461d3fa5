"""Deadline columns never go stale (issue 18 item 4): `bargain reproject`, and the check a writing command
makes when it opens the database.

The fingerprint of the holiday data, profiles and workflows in force (engine.registry.compiled) is
compared with the one the database records (engine.store.projected); when they differ, every case's
reply_due / next_due / lapse_due is recomputed in one unit of work and the new fingerprint recorded with
it, so an interrupted run leaves the old columns and the old fingerprint, and the next command retries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from engine.permission import Principal
from engine.registry import compiled
from engine.store import hot
from engine.store.database import Store
from engine.usecases.audit import recorded
from engine.usecases.guard import everywhere

if TYPE_CHECKING:
    from engine.store import projected
else:  # loaded on first use: a writing command on an up-to-date file only reads the fingerprint (engine/store/hot.py)
    from engine.store.lazy import module

    projected = module("engine.store.projected")


@dataclass(frozen=True)
class Reprojected:
    """What a reprojection did."""

    cases: int  # case rows read
    changed: int  # rows whose deadline columns moved
    fingerprint: str  # the one recorded now
    previous: str | None  # the one recorded before (None: never recorded)


@recorded
def run(store: Store, *, who: Principal | None = None, progress: Callable[[int, int], None] | None = None) -> Reprojected:
    """`bargain reproject`: recompute every case's deadline columns on the calendar and profiles in force, and record
    them. It rewrites rows of the whole database: on a database with users, only an admin whose grants reach every
    top-level organisation may (deadline.reproject); a refusal writes nothing and is audited."""
    return _run(store, who=who, progress=progress)


def _run(store: Store, *, who: Principal | None = None, progress: Callable[[int, int], None] | None = None,
         checked: bool = True) -> Reprojected:
    current = compiled.bundle().projection
    with store.unit_of_work() as uow:
        if checked:
            everywhere(uow.conn, who, "deadline.reproject")
        previous = projected.stored_fingerprint(uow.conn)
        cases, changed = projected.reproject_in(uow.conn, progress=progress)
        projected.record_fingerprint(uow.conn, current)
        uow.commit()
    return Reprojected(cases, changed, current, previous)


def is_current(store: Store) -> bool:
    """Whether the database's deadline columns were projected with the calendar and profiles in force."""
    with store.read() as conn:
        return hot.stored_fingerprint(conn) == compiled.bundle().projection


def ensure_current(store: Store, *, progress: Callable[[int, int], None] | None = None) -> Reprojected | None:
    """Reproject when the fingerprint differs (None when it did not: nothing done). Asked by every writing command
    before it writes, whoever acts: keeping the stored columns true to the rules in force is no one's choice."""
    if is_current(store):
        return None
    return _run(store, progress=progress, checked=False)
