"""What the web's case page reads in one go: the case with its deadlines, its timeline, the names of the people who
acted on it (an event records a login), and whether the reader may correct it (DOMAIN §9, §10): the engine's
decision, so a front end never guesses who sees the void and amend forms.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.engine import Connection

from engine import registry
from engine.permission import Principal, Resource, decide
from engine.store import access, directory
from engine.store.database import Store
from engine.store.repository import load_case
from engine.usecases.audit import recorded
from engine.usecases.caseview import CaseView, deadlines_in, timeline_in, view_in
from engine.usecases.guard import case_in

CORRECT = "case.correct"


@dataclass(frozen=True)
class CasePage:
    """A case as its page shows it: the view, the timeline (CLI.md shape), the actors' names, whether the reader
    may void or amend it."""

    view: CaseView
    timeline: dict[str, Any]
    actor_names: Mapping[str, str]
    may_correct: bool


def _may(conn: Connection, who: Principal | None, action: str, case_id: int) -> bool:
    if who is None:
        return True
    path, counselor_id = access.case_resource(conn, case_id)
    return decide(who, action, Resource(path, counselor_id, "case"), registry.roles()).allowed


def names_in(conn: Connection, logins: Iterable[str]) -> dict[str, str]:
    """The names of the users behind these logins (unknown logins, e.g. a CLI operator's, left out)."""
    wanted = {x for x in logins if x}
    return {str(r.login): str(r.name) for r in access.users(conn) if r.login in wanted and r.name}


def _actors(timeline: Mapping[str, Any]) -> set[str]:
    out: set[str] = set()
    for e in timeline["entries"]:
        out.add(str(e.get("actor") or ""))
        if e.get("voided"):
            out.add(str(e["voided"].get("actor") or ""))
        for a in e.get("amended") or ():
            out.add(str(a.get("actor") or ""))
    return out


@recorded
def page(store: Store, case_id: int, *, as_of: date, who: Principal | None = None) -> CasePage:
    """The case page's data (refused like `case show` outside the reader's scope)."""
    with store.read() as conn:
        case_in(conn, who, "case.read", case_id)
        case = load_case(conn, case_id)
        view = view_in(conn, case, as_of, deadlines_in(conn, case, as_of))
        tl = timeline_in(conn, case_id, as_of)
        return CasePage(view, tl, names_in(conn, _actors(tl)), _may(conn, who, CORRECT, case_id))


@recorded
def registration_org(store: Store, who: Principal | None) -> str | None:
    """The organisation whose registration form (登记表) a counselor's workspace offers: their own record's, when the
    engine lets them export its form (counselor.read and report.export there); else None."""
    if who is None or who.counselor_id is None:
        return None
    with store.read() as conn:
        code = directory.counselor(conn, who.counselor_id).org_code
        if not code:
            return None
        path = directory.org_path(conn, str(code))
    roles = registry.roles()
    allowed = all(decide(who, a, Resource(path, who.counselor_id, "org"), roles).allowed
                  for a in ("counselor.read", "report.export"))
    return str(code) if allowed else None
