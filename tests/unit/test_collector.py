"""engine.collector.bulk: the garbage collector's settings for bulk work, and back as they were afterwards."""

from __future__ import annotations

import gc
import weakref

import pytest

from engine import collector


class Node:
    """A cyclic object the collector alone can free."""

    def __init__(self) -> None:
        self.me = self


def test_freezes_raises_the_young_threshold_and_restores_both() -> None:
    before, frozen = gc.get_threshold(), gc.get_freeze_count()
    with collector.bulk():
        assert gc.get_freeze_count() > frozen  # the objects alive at the start are out of the collector's walks
        assert gc.get_threshold()[0] >= collector.YOUNG_THRESHOLD
        assert gc.get_threshold()[1:] == before[1:]
        assert gc.isenabled()
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == frozen == 0


def test_cycles_made_inside_are_still_collected() -> None:
    with collector.bulk():
        ref = weakref.ref(Node())
        gc.collect()
        assert ref() is None


def test_nested_uses_are_one_and_an_error_restores() -> None:
    before = gc.get_threshold()
    with pytest.raises(ValueError), collector.bulk():
        with collector.bulk():
            pass
        assert gc.get_threshold()[0] >= collector.YOUNG_THRESHOLD  # the inner use left the outer's settings
        assert gc.get_freeze_count() > 0
        raise ValueError("bad row")
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0



def test_overlapping_threads_restore_when_the_last_ends() -> None:
    import threading

    before = gc.get_threshold()
    entered, first_done = threading.Event(), threading.Event()
    seen: list[int] = []

    def second() -> None:
        with collector.bulk():
            entered.set()
            first_done.wait(10)
            seen.append(gc.get_threshold()[0])  # the first thread has left: still the bulk settings
    thread = threading.Thread(target=second)
    with collector.bulk():
        thread.start()
        assert entered.wait(10)
    first_done.set()
    thread.join(10)
    assert seen == [max(before[0], collector.YOUNG_THRESHOLD)]
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_garbage_frozen_at_the_start_is_freed_when_the_run_ends() -> None:
    # An undisposed database engine is such a cycle: left frozen, its pooled connections stayed open until some
    # later full collection, and PostgreSQL ran out of connections ("too many clients already").
    gc.disable()  # the cycle must still be alive (garbage, not yet collected) when the run begins
    try:
        ref = weakref.ref(Node())
        assert ref() is not None
        with collector.bulk():
            pass
        assert ref() is None
    finally:
        gc.enable()
