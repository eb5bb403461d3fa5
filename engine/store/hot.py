"""The store reads of the one-case paths (`case show`, `case timeline`, the `--as` lookup), on the generated SQL of
engine/store/queries.py (engine/store/lite.py): the same code on a light sqlite3 connection and on an SQLAlchemy
Connection, and nothing here imports SQLAlchemy. The modules these functions belong to (repository, access,
directory, contracts, regional, agenda) re-export them: they are the one implementation.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from sys import intern
from typing import Any

from engine.case import Case, Event, Facts
from engine.deadline import Deadline
from engine.errors import NotFoundError, did_you_mean
from engine.store.lite import first, run, write


def _case(row: Any) -> Case:
    # The few distinct names (workflow, state, jurisdiction) are shared, not held once per loaded case.
    return Case(
        case_id=row.id, credit_code=row.credit_code or "", workflow=intern(row.workflow),
        workflow_version=row.workflow_version, state=intern(row.state), jurisdiction=intern(row.jurisdiction),
        has_union=row.has_union is None or bool(row.has_union), counselor_id=row.counselor_id, version=row.version,
        last_at=row.last_at, facts=Facts(row.facts) if row.facts else {}, party_org=row.party_org,
    )


def load_case(conn: Any, case_id: int) -> Case:
    """One case by id; NotFoundError if there is none."""
    row = first(conn, "load_case", {"case_id": case_id})
    if row is None:
        raise NotFoundError(f"没有编号为 {case_id} 的案件", f"no case with id {case_id}", hint_zh="bargain case list 可列出全部案件",
                            hint_en="bargain case list shows them")
    return _case(row)


def _event(r: Any) -> Event:
    # An older row recorded no name: the user's current one stands in while the login names a user.
    return Event(case_id=r.case_id, seq=r.seq, kind=r.kind, occurred_at=r.occurred_at, recorded_at=r.recorded_at, actor=r.actor,
                 trigger=r.trigger, from_state=r.from_state, to_state=r.to_state, counselor_id=r.counselor_id,
                 data=r.data or {}, note=r.note, actor_name=r.actor_name or r.user_name or "")


def load_events(conn: Any, case_id: int) -> list[Event]:
    """Every event of a case, in sequence order."""
    return [_event(r) for r in run(conn, "events_of", {"case_id": case_id})]


def last_event(conn: Any, case_id: int) -> Event | None:
    """The latest event of a case (its highest seq), with the actor's name as load_events reads it."""
    r = first(conn, "last_event", {"case_id": case_id})
    return None if r is None else _event(r)


def renewal_states() -> list[str]:
    """The states in which a deadline is met by a renewal (a later case's offer)."""
    from engine import registry

    return sorted({s for spec in registry.specs().values() for d in spec.deadlines.values() if d.met_by_renewal
                   for s in d.while_states})


def renewal_of(conn: Any, case_id: int) -> date | None:
    """For one case: the first offer of a later case of the same enterprise, if any."""
    states = renewal_states()
    if not states:
        return None
    row = first(conn, "renewal_of", {"case_id": case_id, "renewal_states": states})
    value = None if row is None else row.renewal_offered_on
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def case_resource(conn: Any, case_id: int) -> tuple[str | None, int | None]:
    """A case's organisation path (its enterprise's, or its union's) and assigned counselor; NotFoundError."""
    row = first(conn, "case_resource", {"case_id": case_id})
    if row is None:
        raise NotFoundError(f"没有编号为 {case_id} 的案件", f"no case {case_id}",
                            hint_zh="bargain case list 列出案件", hint_en="bargain case list shows the cases")
    return (str(row[0]) if row[0] else None), (int(row[1]) if row[1] is not None else None)


def has_users(conn: Any) -> bool:
    """Whether the database has any user at all."""
    return first(conn, "has_users") is not None


def user(conn: Any, login: str) -> Any:
    """One user row by login, or None."""
    return first(conn, "user_by_login", {"login": login})


def grants(conn: Any, user_ids: Sequence[int]) -> dict[int, list[tuple[str, str, str]]]:
    """Each user's grants as (role, org code, org path), by organisation path then role."""
    out: dict[int, list[tuple[str, str, str]]] = {int(i): [] for i in user_ids}
    if not out:
        return out
    for uid, role, code, path in run(conn, "grants_of", {"user_ids": list(out)}):
        out[int(uid)].append((str(role), str(code), str(path)))
    return out


def org(conn: Any, code: str) -> Any:
    """One organisation row by code, or NotFoundError with a suggestion."""
    row = first(conn, "org_by_code", {"code": code})
    if row is None:
        codes = [r[0] for r in run(conn, "org_codes")]
        guess = did_you_mean(code, codes)
        raise NotFoundError(
            f"没有代码为 {code} 的工会组织", f"no organisation with code {code}",
            hint_zh=f"是否要写 {guess}？" if guess else "先用 bargain org import 导入组织",
            hint_en=f"did you mean {guess}?" if guess else "import organisations with bargain org import",
        )
    return row


def org_path(conn: Any, code: str | None) -> str:
    """The subtree path of an organisation; the root path '/' when no code is given."""
    return "/" if not code else str(org(conn, code).path)


def enterprise(conn: Any, credit_code: str) -> Any:
    """One enterprise row by credit code, or NotFoundError."""
    row = first(conn, "enterprise_by_code", {"credit_code": credit_code})
    if row is None:
        raise NotFoundError(
            f"没有统一社会信用代码为 {credit_code} 的企业", f"no enterprise with credit code {credit_code}",
            hint_zh="先用 bargain enterprise import 导入企业", hint_en="import enterprises with bargain enterprise import",
        )
    return row


def counselor_names(conn: Any, ids: Iterable[int | None]) -> dict[int, str]:
    """The names of these counselors, by id (unknown ids left out)."""
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    return {int(i): str(n) for i, n in run(conn, "counselor_names", {"ids": wanted})}


def counselor(conn: Any, counselor_id: int) -> Any:
    """One counselor row by id, or NotFoundError."""
    row = first(conn, "counselor_by_id", {"counselor_id": counselor_id})
    if row is None:
        raise NotFoundError(
            f"没有编号为 {counselor_id} 的指导员", f"no counselor with id {counselor_id}",
            hint_zh="bargain counselor list 列出已登记的指导员", hint_en="bargain counselor list shows the registered ones",
        )
    return row


PROJECTION = "projection"  # the bargain_meta key of the fingerprint the case rows were projected with


def stored_fingerprint(conn: Any) -> str | None:
    """The fingerprint the case rows were last projected with (engine.store.projected); None when never recorded."""
    row = first(conn, "meta_value", {"key": PROJECTION})
    return None if row is None else str(row.value)


def insert_audit(conn: Any, values: dict[str, Any]) -> None:
    """Append one audit entry (nothing here updates or deletes one)."""
    write(conn, "insert_audit", values)


def contract_light(conn: Any, case_id: int) -> Any:
    """The contract row of a case without the file's bytes, or None."""
    return first(conn, "contract_light", {"case_id": case_id})


def renews(conn: Any, case_id: int) -> int | None:
    """The case whose contract this case renews, if it is a renewal."""
    row = first(conn, "renews", {"case_id": case_id})
    return None if row is None or row[0] is None else int(row[0])


def renewed_by(conn: Any, case_id: int) -> list[int]:
    """The renewal cases opened for this case's contract."""
    return [int(r[0]) for r in run(conn, "renewed_by", {"case_id": case_id})]


def renewal_entries(conn: Any, case_id: int) -> list[dict[str, Any]]:
    """Timeline entries for the renewal links of a case, both ways: the contract it renews (placed where this case
    opened) and each renewal case opened for its contract (placed where that case opened)."""
    from engine.times import localize

    out: list[dict[str, Any]] = []
    renews_id = renews(conn, case_id)
    if renews_id is not None:
        row = first(conn, "case_opened", {"case_id": case_id})
        old = first(conn, "case_terms", {"case_id": renews_id})
        out.append({"at": localize(row.opened_at).isoformat() if row else "", "kind": "renewal", "renews_case_id": renews_id,
                    "term_start": old.term_start.isoformat() if old and old.term_start else None,
                    "term_end": old.term_end.isoformat() if old and old.term_end else None,
                    "state": old.state if old else None})
    for new_id in renewed_by(conn, case_id):
        row = first(conn, "case_opened", {"case_id": new_id})
        out.append({"at": localize(row.opened_at).isoformat() if row else "", "kind": "renewal", "renewed_by_case_id": new_id,
                    "state": row.state if row else None})
    return out


def covering(conn: Any, enterprise_id: int) -> list[dict[str, Any]]:
    """The regional cases that covered an enterprise, with the union, the contract's dates and the cover dates."""
    return [r._asdict() for r in run(conn, "covering", {"enterprise_id": enterprise_id})]


def regional_entries(conn: Any, enterprise_id: int) -> list[dict[str, Any]]:
    """Timeline entries for an enterprise: each regional contract that covered it, placed where cover began."""
    from engine.times import at_date

    return [
        {"at": at_date(r["added_on"], 0).isoformat(), "kind": "regional", "case_id": r["case_id"],
         "union": r["union"], "party_org": r["party_org"], "added_on": r["added_on"].isoformat(),
         "removed_on": r["removed_on"].isoformat() if r["removed_on"] else None, "state": r["state"],
         "effective_on": r["effective_on"].isoformat() if r["effective_on"] else None,
         "term_end": r["term_end"].isoformat() if r["term_end"] else None}
        for r in covering(conn, enterprise_id)
    ]


def case_deadlines(conn: Any, case: Case, as_of: date) -> list[Deadline]:
    """A stored case's deadlines as of a day (the renewal offer looked up in the store)."""
    from engine.registry.policy import for_case

    return for_case(case, as_of, renewal_offered_on=renewal_of(conn, case.case_id))


@dataclass(frozen=True)
class Row:
    """A case of a deadline list, with what identifies it to people."""

    case: Case
    name: str
    org_code: str
    deadlines: Sequence[Deadline]


def scan_rows(rows: Iterable[Any], as_of: date, *, kind: str | None, status: str | None,
              include_ended: bool) -> Iterator[Row]:
    """agenda.scan's rows (a case with its party's names and renewal offer) as the deadline list's Rows."""
    from engine.registry.policy import for_case

    for r in rows:
        case = _case(r)
        offered = r.renewal_offered_on
        if offered is not None and not isinstance(offered, date):
            offered = date.fromisoformat(str(offered))
        found = [
            d for d in for_case(case, as_of, renewal_offered_on=offered, waiting_only=not include_ended)
            if d.listed and (include_ended or d.pending) and (kind is None or d.kind == kind)
            and (status is None or d.status == status)
        ]
        if found:
            name = r.enterprise_name or getattr(r, "party_name", None) or case.party_org or ""
            yield Row(case, str(name), str(r.enterprise_org or case.party_org or ""), found)


def scan_shape(*, org: str | None, status: str | None, include_ended: bool, within: Any) -> bool:
    """Whether agenda.scan's filters are the generated statement's (an organisation's subtree, the deadlines cases
    still wait on, no user's reach, not the overdue-only index path)."""
    from engine.deadline import OVERDUE

    return bool(org) and within is None and not include_ended and status != OVERDUE


def scan_org(conn: Any, as_of: date, *, org: str, kind: str | None = None, status: str | None = None) -> Iterator[Row]:
    """agenda.scan(conn, as_of, org=org, kind=kind, status=status) on the generated SQL (scan_shape's filters)."""
    from engine.registry.policy import waiting_states

    path = org_path(conn, org)
    waiting = waiting_states(kind)
    if not waiting:
        return
    params = {"path": path, "path_end": path[:-1] + "0", "waiting_states": waiting, "renewal_states": renewal_states() or [""]}
    yield from scan_rows(run(conn, "scan_org", params), as_of, kind=kind, status=status, include_ended=False)
