"""Cases and events in and out of the store, in sets. Optimistic concurrency on the case version.

A save runs the generated statements of engine/store/queries.py (insert_event, update_case, through
engine/store/lite.py) on whatever connection it is given: a one-case command's plain sqlite3 connection or an
SQLAlchemy Connection (the web, PostgreSQL, a campaign's thousands of changes), the same text either way. Nothing
a save runs imports SQLAlchemy; the bulk inserts below (new cases, launched copies) and load_cases do.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from engine.case import Case, Event
from engine.errors import ConflictError
from engine.projection import project
from engine.registry.policy import columns
from engine.store import lite, recount
from engine.store.faults import is_integrity
from engine.store.hot import _case as _case  # the one implementation, SQLAlchemy-free
from engine.store.hot import last_event as last_event
from engine.store.hot import load_case as load_case
from engine.store.hot import load_events as load_events

if TYPE_CHECKING:
    import sqlalchemy as sa
    from sqlalchemy.engine import Connection


def _case_query() -> sa.Select[Any]:
    import sqlalchemy as sa

    from engine.store.tables import case_t, enterprise_t

    # Facts are read as their JSON text and decoded on first use (engine.case.Facts).
    cols = (case_t.c.id, case_t.c.workflow, case_t.c.workflow_version, case_t.c.state, case_t.c.jurisdiction,
            case_t.c.counselor_id, case_t.c.version, case_t.c.last_at, sa.cast(case_t.c.facts, sa.Text).label("facts"),
            case_t.c.party_org, enterprise_t.c.credit_code, enterprise_t.c.has_union)
    return sa.select(*cols).outerjoin(enterprise_t, enterprise_t.c.id == case_t.c.enterprise_id)


def load_cases(conn: Connection, where: Any = None) -> Iterable[Case]:
    """Cases matching a condition, streamed."""
    from engine.store.tables import case_t

    q = _case_query().order_by(case_t.c.id)
    if where is not None:
        q = q.where(where)
    # Per statement: Connection.execution_options() would change the connection for later writes too
    # (PostgreSQL server-side cursors cannot executemany).
    for row in conn.execute(q.execution_options(yield_per=2000)):
        yield _case(row)


def case_columns(case: Case) -> dict[str, Any]:
    """The report columns written beside a case: its projection (pure, from its facts) and its deadline
    columns (reply_due, next_due: the workflow's periods on the holiday calendar, engine.registry.policy)."""

    return {**project(case), **columns(case)}


def _plain(data: Mapping[str, Any]) -> dict[str, Any]:
    return data if type(data) is dict else dict(data)


def _corrects(e: Event) -> int | None:
    """The seq a void or an amendment corrects (engine.correction), stored in its own column too."""
    if e.kind == "void":
        return int(e.data["voids"])
    if e.kind == "amendment":
        return int(e.data["amends"])
    return None


def _event_values(e: Event, names: Mapping[str, str]) -> list[Any]:
    return [e.case_id, e.seq, e.kind, e.trigger, e.from_state, e.to_state, e.occurred_at, e.recorded_at, e.actor,
            e.counselor_id, _plain(e.data), e.note, _corrects(e), e.actor_name or names.get(e.actor, "")]


def event_columns(events: Sequence[Event], names: Mapping[str, str]) -> dict[str, list[Any]]:
    """The event rows of a save, column by column (EVENT_COLUMNS; _event_values is one row): a save writes every
    event of its batch, and a list per column costs half a list per event."""
    return {
        "case_id": [e.case_id for e in events], "seq": [e.seq for e in events], "kind": [e.kind for e in events],
        "trigger": [e.trigger for e in events], "from_state": [e.from_state for e in events],
        "to_state": [e.to_state for e in events], "occurred_at": [e.occurred_at for e in events],
        "recorded_at": [e.recorded_at for e in events], "actor": [e.actor for e in events],
        "counselor_id": [e.counselor_id for e in events],
        "data": [d if type(d := e.data) is dict else dict(d) for e in events], "note": [e.note for e in events],
        "corrects": [_corrects(e) for e in events],
        "actor_name": [e.actor_name or names.get(e.actor, "") for e in events],
    }


def actor_names(conn: Connection, logins: Iterable[str]) -> dict[str, str]:
    """The display names of the users these logins name (a login naming no user is left out): what an event
    records beside the login at the time of the act (DOMAIN §9: the actor is the user's login and name)."""
    wanted = sorted({x for x in logins if x})
    out: dict[str, str] = {}
    for start in range(0, len(wanted), 500):
        out.update({r.login: r.name for r in lite.run(conn, "actor_names", {"logins": wanted[start:start + 500]})})
    return out


def not_voided(ev: Any) -> Any:
    """A condition on an event table (or alias) `ev`: the event has not been voided (rollups.not_voided)."""
    from engine.store import rollups

    return rollups.not_voided(ev)


def reserve_cases(conn: Connection, rows: Sequence[dict[str, Any]]) -> list[int]:
    """Ids for new cases (rows of enterprise_id, opened_at), noted on the connection with the enterprise's copied
    report columns: the case row is written once, complete, by the save of its first change (read_version 0), not
    inserted here and updated there (ten indexes written twice). A case opened and never saved is never written."""
    from engine.store.bulk import allocate_ids
    from engine.store.directory import enterprise_copies
    from engine.store.tables import case_t

    if not rows:
        return []
    copies = enterprise_copies(conn, (row.get("enterprise_id") for row in rows))  # the ent_* report columns
    pending = recount.pending(conn)
    ids = allocate_ids(conn, case_t, len(rows))
    none: dict[str, Any] = {}
    for case_id, row in zip(ids, rows):
        ent = row.get("enterprise_id")
        got = copies.get(ent or 0, none)
        pending[case_id] = (ent, row["opened_at"], got.get("ent_path"), got.get("ent_employees"), got.get("ent_has_union"))
    return ids


EVENT_COLUMNS = ("case_id", "seq", "kind", "trigger", "from_state", "to_state", "occurred_at", "recorded_at", "actor",
               "counselor_id", "data", "note", "corrects", "actor_name")
_COPY_CASE_COLS = ("id", "enterprise_id", "opened_at", "workflow", "workflow_version", "state", "jurisdiction",
                   "counselor_id", "version", "facts", "last_at")


def insert_copies(conn: Connection, template: Change, opened_at: datetime, ids: Sequence[tuple[int, int]]) -> None:
    """New cases identical to a template (a case fired from its opening, not yet written) but for their ids:
    (case_id from bulk.allocate_ids, enterprise_id) each, in their final state with every event. One
    executemany per table; the shared values are converted once."""
    if not ids:
        return
    import sqlalchemy as sa

    from engine.store.bulk import insert_rows
    from engine.store.directory import enterprise_copies
    from engine.store.tables import case_t, event_t

    c = template.case
    proj = case_columns(c)
    same = [c.workflow, c.workflow_version, c.state, c.jurisdiction, c.counselor_id, c.version, _plain(c.facts),
            c.last_at, *proj.values()]
    names = actor_names(conn, (e.actor for e in template.events))
    events = [_event_values(e, names)[1:] for e in template.events]
    copies = enterprise_copies(conn, (ent for _, ent in ids))  # the ent_* report columns
    none: dict[str, Any] = {}
    copied = ("ent_path", "ent_employees", "ent_has_union")
    try:
        insert_rows(conn, case_t, [*_COPY_CASE_COLS, *proj, *copied],
                    ([case_id, ent, opened_at, *same, *(copies.get(ent, none).get(k) for k in copied)] for case_id, ent in ids))
        insert_rows(conn, event_t, EVENT_COLUMNS, ([case_id, *e] for case_id, _ in ids for e in events))
    except sa.exc.IntegrityError:
        raise _conflict() from None
    recount.cases_added(conn, (case_id for case_id, _ in ids))  # the report counts kept in the same transaction


@dataclass(frozen=True, slots=True)
class Change:
    """A case moved from `read_version` to `case`, recorded by `events`."""

    read_version: int
    case: Case
    events: Sequence[Event]


# What a save writes on a case row beside its id and version guard: the case's own, then its report columns (the
# projection and the deadline columns, engine.projection.project and engine.registry.policy.columns, in that order).
SAVED_COLUMNS = ("state", "version", "last_at", "facts", "counselor_id", "offer_year", "offered_on", "offer_level",
                 "offer_received_on", "response", "responded_on", "signed_on", "filed_on", "effective_on", "term_start",
                 "term_end", "closed_on", "reply_due", "next_due", "lapse_due")
# What the save of a new case writes (the saved columns, what the case was opened with, the enterprise's copies), in
# the table's order (PostgreSQL takes these rows by COPY); _OPENED are the reserved values (reserve_cases).
CASE_COLUMNS = ("id", "enterprise_id", "party_org", "workflow", "workflow_version", "state", "jurisdiction",
                "counselor_id", "version", "facts", "opened_at", "last_at", "offer_year", "offered_on", "offer_level",
                "offer_received_on", "response", "responded_on", "reply_due", "signed_on", "filed_on", "effective_on",
                "term_start", "term_end", "closed_on", "ent_path", "ent_employees", "ent_has_union", "next_due", "lapse_due")
_OPENED = ("enterprise_id", "opened_at", "ent_path", "ent_employees", "ent_has_union")
_PATH_AT, _YEAR_AT = CASE_COLUMNS.index("ent_path"), CASE_COLUMNS.index("offer_year")


def save(conn: Connection, changes: Sequence[Change], *, deadline_columns: Mapping[int, Mapping[str, Any]] | None = None) -> None:
    """Write events and case rows; ConflictError (nothing written) if any case changed since it was read.
    A change from read version 0 is a case opened in this transaction (reserve_cases): its row is inserted.
    `deadline_columns` (case id → columns) are used where the caller has already computed the deadlines."""
    if not changes:
        return
    given = deadline_columns or {}
    actors = actor_names(conn, (e.actor for ch in changes for e in ch.events))
    report = SAVED_COLUMNS[5:]
    pending = recount.pending(conn) if any(ch.read_version == 0 for ch in changes) else {}
    opened: list[list[Any]] = []
    rows: list[list[Any]] = []
    for ch in changes:
        c = ch.case
        p = {**project(c), **(given.get(c.case_id) or columns(c))}
        if ch.read_version == 0:
            reserved = pending.pop(c.case_id, None)
            if reserved is None:  # not opened in this transaction (or saved already): as an update would find no row
                raise _conflict()
            p.update(zip(_OPENED, reserved))
            p.update(id=c.case_id, party_org=c.party_org, workflow=c.workflow, workflow_version=c.workflow_version,
                     state=c.state, jurisdiction=c.jurisdiction, counselor_id=c.counselor_id, version=c.version,
                     facts=_plain(c.facts), last_at=c.last_at)
            opened.append([p[k] for k in CASE_COLUMNS])
        else:
            rows.append([c.case_id, ch.read_version, c.state, c.version, c.last_at, _plain(c.facts), c.counselor_id,
                         *[p[k] for k in report]])
    try:
        if opened:
            lite.write_many(conn, "insert_case", CASE_COLUMNS, opened)
        events = [e for ch in changes for e in ch.events]
        if events:
            lite.write_columns(conn, "insert_event", event_columns(events, actors))
    except Exception as exc:
        if is_integrity(exc):
            raise _conflict() from None
        raise
    # the sum of the rows each update changed: sqlite3's and psycopg's executemany both add them up
    if rows and lite.write_many(conn, "update_case", ("k_id", "g_version", *SAVED_COLUMNS), rows) != len(rows):
        raise _conflict()
    # the report counts kept in the same transaction: a new row's path and year are known here, an updated one's read
    recount.cases_opened(conn, ((r[0], r[_PATH_AT], r[_YEAR_AT]) for r in opened))
    recount.cases_changed(conn, (r[0] for r in rows))


def _conflict() -> ConflictError:
    return ConflictError(
        "案件在读取后已被他人修改，未写入任何内容，请重试",
        "the case changed since it was read; nothing was written: try again",
        rule="case_version",
    )
