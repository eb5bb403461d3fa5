"""What the front ends print of a case: its state with its deadlines (computed once), its timeline, lists.

Read models over the store (cosmicpython's views): each public function opens one read-only unit of work;
the `_in` variants run inside the caller's, so that a write and the view it returns share one connection.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from engine import registry
from engine.case import Case
from engine.deadline import Deadline
from engine.errors import DataError
from engine.permission import ROOT, PermissionRefusedError, Principal, Resource, decide, scope_paths
from engine.registry import policy
from engine.spec import State
from engine.store import hot
from engine.store.database import Store
from engine.store.hot import last_event, load_case, load_events, regional_entries
from engine.timeline import build
from engine.times import localize
from engine.usecases.audit import recorded
from engine.usecases.guard import case_in, org_in, reach
from engine.vocab import state_key

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from engine.store import access, agenda, directory, lists
    from engine.store import contracts as store_contracts
else:  # loaded on first use: `case show` and `case timeline` run on engine/store/hot.py alone
    from engine.store.lazy import module

    access, agenda, directory, lists = (module(f"engine.store.{m}") for m in ("access", "agenda", "directory", "lists"))
    store_contracts = module("engine.store.contracts")


def case_json(c: Case) -> dict[str, Any]:
    """A case as `case show --format json` prints it (without its deadlines)."""
    spec = registry.spec(c.workflow_key)
    return {
        "case_id": c.case_id,
        "credit_code": c.credit_code,
        "workflow": c.workflow_key,
        "jurisdiction": c.jurisdiction,
        "state": c.state,
        "state_zh": spec.states[c.state].zh,
        "version": c.version,
        "counselor_id": c.counselor_id,
        "counselor_name": None,
        "last_at": localize(c.last_at).isoformat() if c.last_at else None,
        # the spec's own list (what WorkflowMachine.allowed returns): a read needs no `transitions` machine
        "allowed": registry.spec(c.workflow_key).triggers_from(c.state, include_auto=False),
    }


@dataclass(frozen=True)
class CaseView:
    """A case as a person sees it: the case, the party's name, and its listed deadlines as of a day."""

    case: Case
    name: str
    deadlines: Sequence[Deadline]
    counselor_name: str | None = None
    quality: dict[str, Any] | None = None  # the contract's quality score, when the case has a contract
    renewal: dict[str, Any] | None = None  # the renewal links and the terms year on year, when linked
    last_act: dict[str, Any] | None = None  # `case show`: the latest event, who did it (login and name) and when

    @property
    def state(self) -> str:
        """The case's state (shortcut)."""
        return self.case.state

    def as_json(self) -> dict[str, Any]:
        """The CLI.md shape of `case show --format json`."""
        out = {**case_json(self.case), "counselor_name": self.counselor_name, "name": self.name,
               "deadlines": [d.as_json() for d in self.deadlines]}
        if self.quality is not None:
            out["quality"] = self.quality
        if self.renewal is not None:
            out["renewal"] = self.renewal
        if self.last_act is not None:
            out["last_act"] = self.last_act
        return out


def party_name_in(conn: Connection, case: Case) -> str:
    """The enterprise's name, or the union's for a regional or industry case."""
    if case.party_org:
        return str(hot.org(conn, case.party_org).name)
    return str(hot.enterprise(conn, case.credit_code).name)


def deadlines_in(conn: Connection, case: Case, as_of: date) -> list[Deadline]:
    """Every deadline a stored case has started (a renewal offer by a later case looked up)."""
    return hot.case_deadlines(conn, case, as_of)


def view_in(conn: Connection, case: Case, as_of: date, found: Sequence[Deadline] | None = None) -> CaseView:
    """The view of a case inside the caller's unit of work; `found` when its deadlines are already computed."""
    if found is None:
        found = deadlines_in(conn, case, as_of)
    names = hot.counselor_names(conn, [case.counselor_id])
    return CaseView(case, party_name_in(conn, case), [d for d in found if d.listed],
                    names.get(case.counselor_id) if case.counselor_id is not None else None)


@recorded
def show(store: Store, case_id: int, *, as_of: date, who: Principal | None = None) -> CaseView:
    """`case show`: a case with its deadlines as of a day."""
    with store.read() as conn:
        case_in(conn, who, "case.read", case_id)
        case = load_case(conn, case_id)
        found = deadlines_in(conn, case, as_of)
        view = view_in(conn, case, as_of, found)
        # The score and the renewal comparison only where there is something to show: their modules (similarity
        # with datasketch, the report builders) are not what a one-case command should pay to start.
        quality = renewal = None
        if hot.contract_light(conn, case_id) is not None:
            from engine.reports.contract_facts import quality_in

            scored = quality_in(conn, case, as_of, found)
            quality = scored.as_json() if scored else None
        if hot.renews(conn, case_id) is not None or hot.renewed_by(conn, case_id):
            from engine.reports.wages import renewal_in

            renewal = renewal_in(conn, case_id)
        last = last_event(conn, case_id)
        last_act = None if last is None else {"seq": last.seq, "kind": last.kind, "trigger": last.trigger,
                                              "at": localize(last.occurred_at).isoformat(), "actor": last.actor,
                                              "actor_name": last.actor_name}
        return replace(view, quality=quality, renewal=renewal, last_act=last_act)


def timeline_in(conn: Connection, case_id: int, as_of: date) -> dict[str, Any]:
    """The timeline of a case as a dict (CLI.md shape), inside the caller's unit of work."""
    c = load_case(conn, case_id)
    extra: list[dict[str, Any]] = []
    if c.party_org:  # a regional or industry case: its party is a union
        name = str(hot.org(conn, c.party_org).name)
    else:
        ent = hot.enterprise(conn, c.credit_code)
        name, extra = str(ent.name), regional_entries(conn, ent.id)
    due = policy.timeline_entries(hot.case_deadlines(conn, c, as_of))
    events = load_events(conn, case_id)
    ids = [c.counselor_id, *(e.counselor_id for e in events)]
    ids += [v for e in events if e.kind == "assignment" for v in (e.data.get("from"), e.data.get("to")) if isinstance(v, int)]
    extra = [*extra, *hot.renewal_entries(conn, case_id)]
    return build(c, events, enterprise_name=name, extra=extra, deadlines=due,
                 counselor_names=hot.counselor_names(conn, ids))


@recorded
def timeline(store: Store, case_id: int, *, as_of: date, who: Principal | None = None) -> dict[str, Any]:
    """`case timeline`: the timeline of a case with its deadlines as of a day."""
    with store.read() as conn:
        case_in(conn, who, "case.read", case_id)
        return timeline_in(conn, case_id, as_of)


@recorded
def list_cases(store: Store, *, state: str | None = None, org: str | None = None, limit: int = 1000,
               overdue: bool = False, as_of: date, who: Principal | None = None) -> list[dict[str, Any]]:
    """`case list`: cases of a subtree, by state (its identifier or its Chinese or English name; an unknown one is
    refused with a suggestion, never an empty list), or only those with an overdue deadline (JSON rows); for a
    user, only the cases their grants reach."""
    if state:
        state = state_key(state, all_states())
    if not 1 <= limit <= 1_000_000:
        raise DataError(f"--limit 应在 1 到 1000000 之间，而不是 {limit}", f"--limit must be between 1 and 1000000, not {limit}",
                        rule="limit", actual=limit)
    with store.read() as conn:
        org_in(conn, who, "case.read", org)
        found = reach(who, "case.read")
        within = access.cases_within(found) if found is not None else None
        late: dict[int, list[str]] | None = None
        if overdue:
            late = agenda.overdue(conn, as_of, org=org, state=state, limit=limit, within=within)
        return lists.cases(conn, state=state, org=org, limit=limit, only=late, within=within)


def all_states() -> dict[str, State]:
    """Every state of every shipped workflow, by identifier (the first workflow's names where two share one)."""
    out: dict[str, State] = {}
    for spec in registry.specs().values():
        for key, s in spec.states.items():
            out.setdefault(key, s)
    return out


def deadline_names() -> dict[str, tuple[str, str]]:
    """Every deadline kind of every shipped workflow with its (zh, en) name (the first workflow's where two share one)."""
    out: dict[str, tuple[str, str]] = {}
    for spec in registry.specs().values():
        for k, d in spec.deadlines.items():
            out.setdefault(k, (d.zh, d.en))
    return out


def _may_export(conn: Connection, who: Principal, org: str | None) -> None:
    """Refuse an export by a user who may not export there (a counselor, a viewer): 403, never 'not found'."""
    if org:
        org_in(conn, who, "report.export", org)
    elif not scope_paths(who, "report.export", registry.roles()):
        home = who.grants[0].org_path if who.grants else ROOT
        raise PermissionRefusedError(decide(who, "report.export", Resource(home, who.counselor_id, "org"), registry.roles()))


@dataclass(frozen=True)
class CasePage:
    """One page of a filtered case list, and how many cases match in all."""

    rows: list[dict[str, Any]]
    total: int
    offset: int
    limit: int


def page_cases(store: Store, *, state: str | None = None, org: str | None = None, counselor: int | None = None,
               year: int | None = None, overdue: bool = False, sort: str = "case_id", desc: bool = False,
               offset: int = 0, limit: int = 50, as_of: date, who: Principal | None = None,
               export: bool = False) -> CasePage:
    """The web's case list: filters, a sort, one page; for a user, only the cases their grants reach. An export
    (every row, to a file) also needs report.export where it reaches."""
    with store.read() as conn:
        org_in(conn, who, "case.read", org)
        if export and who is not None:
            _may_export(conn, who, org)
        found = reach(who, "case.read")
        within = access.cases_within(found) if found is not None else None
        late = agenda.overdue(conn, as_of, org=org, state=state, within=within) if overdue else None
        rows, total = lists.case_page(conn, state=state, org=org, counselor=counselor, year=year, only=late, sort=sort,
                                      desc=desc, offset=offset, limit=limit, within=within)
        names = directory.counselor_names(conn, [row.get("counselor_id") for row in rows])
        for row in rows:
            row["last_at"] = localize(row["last_at"]).isoformat() if row["last_at"] else None
            row["counselor_name"] = names.get(row["counselor_id"]) if row.get("counselor_id") is not None else None
        return CasePage(rows, total, offset, limit)


def states_count(store: Store) -> dict[str, int]:
    """How many cases are in each state (the demo's tally)."""
    with store.read() as conn:
        return lists.states_count(conn)
