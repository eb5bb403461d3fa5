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

from engine.registry import compiled
from engine.store import projected
from engine.store.database import Store


@dataclass(frozen=True)
class Reprojected:
    """What a reprojection did."""

    cases: int  # case rows read
    changed: int  # rows whose deadline columns moved
    fingerprint: str  # the one recorded now
    previous: str | None  # the one recorded before (None: never recorded)


def run(store: Store, *, progress: Callable[[int, int], None] | None = None) -> Reprojected:
    """Recompute every case's deadline columns on the calendar and profiles in force, and record them."""
    current = compiled.bundle().projection
    with store.unit_of_work() as uow:
        previous = projected.stored_fingerprint(uow.conn)
        cases, changed = projected.reproject_in(uow.conn, progress=progress)
        projected.record_fingerprint(uow.conn, current)
        uow.commit()
    return Reprojected(cases, changed, current, previous)


def is_current(store: Store) -> bool:
    """Whether the database's deadline columns were projected with the calendar and profiles in force."""
    with store.read() as conn:
        return projected.stored_fingerprint(conn) == compiled.bundle().projection


def ensure_current(store: Store, *, progress: Callable[[int, int], None] | None = None) -> Reprojected | None:
    """Reproject when the fingerprint differs (None when it did not: nothing done)."""
    if is_current(store):
        return None
    return run(store, progress=progress)
