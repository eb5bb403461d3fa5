"""The garbage collector's settings for bulk work (a campaign's launch, an import, the nightly tick, a benchmark).

A bulk run builds and drops millions of small objects (events, facts, rows). CPython's cyclic collector runs a
full collection every so often, and each one walks every tracked object in the process: after the imports
(SQLAlchemy, transitions, the registry's compiled workflows) that is ~100,000 long-lived objects that never become
garbage, so 20,000 cases paid ~30 full collections of ~100 ms, a fifth of their time. The documented remedies
(https://docs.python.org/3/library/gc.html#gc.freeze): `gc.freeze()` moves every object alive at the start of the
run into the permanent generation, which collections skip; and a larger first-generation threshold makes the
young collections fewer. The collector stays enabled: cycles made during the run are still collected.

`bulk()` is the one place these settings are made. On leaving, the thresholds are restored and the frozen
objects handed back (`gc.unfreeze()`) and collected once, so a long-lived process (the web app) is left as it was
and a garbage cycle that was alive at the start (an engine never disposed, holding pooled connections) is freed
at the end of the run, not at some later full collection. Nested uses, and uses in several
threads at once, are one use: the first sets, the last restores.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# Objects allocated (minus freed) before a young collection: CPython's default is 700, tuned for interactive
# programs; a bulk run keeps a batch of ~100,000 objects alive on purpose, and 700 made it pay a young
# collection every few cases.
YOUNG_THRESHOLD = 20_000

_lock = threading.Lock()
_users = 0  # bodies running under bulk(), in any thread (the web app may import two files at once)
_saved: tuple[int, ...] = ()


@contextmanager
def bulk() -> Iterator[None]:
    """Run the body with the objects alive now frozen out of the collector's walks and fewer young
    collections; the collector's settings as they were once the last body running under it ends."""
    global _users, _saved
    with _lock:
        if _users == 0:
            _saved = gc.get_threshold()
            gc.freeze()
            gc.set_threshold(max(_saved[0], YOUNG_THRESHOLD), *_saved[1:])
        _users += 1
    try:
        yield
    finally:
        with _lock:
            _users -= 1
            if _users == 0:
                gc.set_threshold(*_saved)
                gc.unfreeze()
                # What was garbage when the run began sat frozen through it: collect it now, once (a full
                # collection, ~0.1 s beside a bulk run's seconds), or an undisposed engine's pooled database
                # connections stay open until some later full collection (PostgreSQL: "too many clients").
                gc.collect()
