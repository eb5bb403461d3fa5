"""The annual offer campaign (要约行动): one act that opens a case and sends an offer to every enterprise
of a subtree that has no contract in force and no case under way (DOMAIN §7-8, CLI.md).

Who is targeted, for campaign year Y and workflow W (default enterprise_wage):
- an enterprise in the subtree of the organisation (all of them without one),
- with no case in `effective` (a contract in force, of any workflow),
- no case of W already offered in year Y (so a second launch opens nothing), and
- no open case of W, of any year: one not in W's settled states (effective, expired, closed). An
  enterprise whose earlier case is still open (offer_sent, accepted, refused, negotiating, ...) is not
  offered again, which would leave it two open cases: it is *carried over*, counted apart by
  sub-organisation, and its open case goes on.
Enterprises without a union get the upper-level offer (劳动合同法 art. 51; 工会法 art. 21); the others
get the level asked for. Each case's jurisdiction is its organisation's.

All or nothing (one transaction) and set-based: the machine fires once per distinct kind of case
(union or not, jurisdiction), which is exact because a freshly opened case carries nothing else the
rules read; every enterprise then gets a copy with its own case id (repository.insert_copies), written
with one executemany per table.
"""

from __future__ import annotations

import time
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from engine import collector, registry
from engine.case import OPENED, Case, Event, after_event
from engine.errors import DataError
from engine.permission import Principal
from engine.store import contracts as store_contracts
from engine.store import directory
from engine.store.bulk import allocate_ids
from engine.store.database import Store
from engine.store.repository import Change, insert_copies
from engine.store.tables import case_t, coverage_t, enterprise_t, org_t
from engine.times import local_date, localize
from engine.usecases import acts
from engine.usecases.audit import recorded
from engine.usecases.guard import org_for

LEVELS = ("enterprise", "upper")
CHUNK = 10_000


@dataclass
class Launched:
    """What a launch did (or, dry, would do): cases per direct sub-organisation of the scope."""

    year: int
    org: str | None
    at: datetime
    level: str
    dry_run: bool
    in_scope: int = 0
    opened: int = 0
    carried_over: int = 0  # enterprises skipped because an earlier case of the workflow is still open
    renewals: list[dict[str, Any]] = field(default_factory=list)  # renewal cases and the contracts they renew
    by_org: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # this process's CPU time (on a shared machine, what the launch itself costs)

    @property
    def to_open(self) -> int:
        """Cases the launch opens (or would open)."""
        return sum(int(g["cases"]) for g in self.by_org)

    def as_json(self) -> dict[str, Any]:
        """The stable JSON form."""
        return {"year": self.year, "org": self.org, "at": localize(self.at), "level": self.level, "dry_run": self.dry_run,
                "in_scope": self.in_scope, "skipped": self.in_scope - self.to_open, "to_open": self.to_open,
                "carried_over": self.carried_over,
                "opened": self.opened, "renewals": self.renewals, "by_org": self.by_org, "seconds": round(self.seconds, 3),
                "cpu_seconds": round(self.cpu_seconds, 3)}


def targets_query(path: str, year: int, workflow: str, on: date | None = None,
                  renew_by: date | None = None) -> sa.Select[Any]:
    """The enterprises of a subtree that the year's campaign should reach (see the module docstring); with
    `renew_by`, a contract in force ending by that day no longer blocks: its renewal is offered."""
    c = case_t.c
    in_force = c.state == "effective"
    if renew_by is not None:
        in_force = sa.and_(in_force, sa.or_(c.term_end.is_(None), c.term_end > renew_by))
    blocking = sa.or_(
        in_force,
        sa.and_(c.workflow == workflow, c.offer_year == year),
        sa.and_(c.workflow == workflow, c.state.not_in(registry.spec(workflow).settled_states)),
    )
    busy = sa.select(sa.literal(1)).select_from(case_t).where(c.enterprise_id == enterprise_t.c.id, blocking)
    # Covered by a regional or industry contract in force: the enterprise already has a contract.
    regional = (sa.select(sa.literal(1)).select_from(coverage_t)
                .join(case_t, case_t.c.id == coverage_t.c.case_id)
                .where(coverage_t.c.enterprise_id == enterprise_t.c.id, coverage_t.c.removed_on.is_(None),
                       case_t.c.state == "effective"))
    e = enterprise_t.c
    return (sa.select(e.id, e.credit_code, e.has_union, e.org_code, e.org_path)
            .where(directory.subtree(e.org_path, path), ~sa.exists(busy), ~sa.exists(regional),
                   sa.or_(e.retired_on.is_(None), e.retired_on > (on or date(year, 12, 31))))  # retired: no new case
            .order_by(e.org_path, e.id))


def carried_query(path: str, year: int, workflow: str) -> sa.Select[Any]:
    """The enterprises of a subtree carried over: an open case of the workflow from before this year's
    campaign (not offered in `year`) keeps them out of it."""
    c = case_t.c
    open_earlier = (sa.select(sa.literal(1)).select_from(case_t)
                    .where(c.enterprise_id == enterprise_t.c.id, c.workflow == workflow,
                           c.state.not_in(registry.spec(workflow).settled_states),
                           sa.or_(c.offer_year.is_(None), c.offer_year != year)))
    e = enterprise_t.c
    return sa.select(e.org_path).where(directory.subtree(e.org_path, path), sa.exists(open_earlier)).order_by(e.org_path)


def _template(spec_key: str, jurisdiction: str, has_union: bool, level: str, year: int, *, at: datetime,
              recorded_at: datetime, actor: str) -> Change:
    """A case opened and offered, fired through the machine with its rules, for the copies to share."""
    spec = registry.spec(spec_key)
    case = Case(0, "", spec.name, spec.version, spec.initial, jurisdiction, has_union)
    opened = Event(0, 1, OPENED, at, recorded_at, actor,
                   data={"workflow": spec.key, "jurisdiction": jurisdiction, "campaign": year})
    change = Change(0, after_event(case, opened), [opened])
    fired = acts.fire(change.case, "send_offer", {"level": level}, at=at, recorded_at=recorded_at, actor=actor,
                         note=f"{year} 年度要约行动")
    return acts.then(change, fired)


def _sub(path: str, scope: str) -> str:
    """The direct sub-organisation of the scope an organisation path falls in (the scope itself if none)."""
    rest = path[len(scope):].strip("/")
    return rest.split("/", 1)[0] if rest else scope.strip("/").rsplit("/", 1)[-1]


@recorded
@collector.bulk()
def launch(store: Store, *, year: int, org: str | None, at: datetime, recorded_at: datetime, actor: str,
           level: str = "enterprise", dry_run: bool = False, workflow: str | None = None,
           progress: Callable[[int, int], None] | None = None, who: Principal | None = None) -> Launched:
    """Open and offer the year's cases in one transaction (or, dry, count them by sub-organisation)."""
    started, cpu = time.perf_counter(), time.process_time()
    if level not in LEVELS:
        raise DataError(f"要约方式 {level} 无效（可用：{'|'.join(LEVELS)}）", f"level '{level}' is not one of {'|'.join(LEVELS)}",
                        rule="offer_level", actual=level)
    if local_date(at).year != year:
        raise DataError(
            f"要约日期 {local_date(at).isoformat()} 不在 {year} 年度", f"the offer date {local_date(at).isoformat()} is not in {year}",
            hint_zh=f"用 --at 给出 {year} 年的日期", hint_en=f"give a date in {year} with --at", rule="campaign_year", actual=year)
    spec = registry.spec(workflow or registry.DEFAULT_WORKFLOW)
    done = Launched(year, org, at, level, dry_run)
    with store.unit_of_work() as uow:
        uow.exclusive("open_cases")  # the check for an open case and the opening are one step
        conn = uow.conn
        org = org_for(conn, who, "campaign.launch", org)
        done.org = org
        scope = directory.org_path(conn, org)
        done.in_scope = int(conn.execute(sa.select(sa.func.count()).select_from(enterprise_t)
                                         .where(directory.subtree(enterprise_t.c.org_path, scope))).scalar_one())
        day = local_date(at)
        renew_by = day + timedelta(days=_max_window(spec.key))
        targets = _Targets.read(conn, targets_query(scope, year, spec.name, day, renew_by))
        renewing = _renewing(conn, targets, scope, day, renew_by, spec.key)
        carried = list(conn.execute(carried_query(scope, year, spec.name)).scalars())
        done.carried_over = len(carried)
        groups = scope
        paths = set(targets.path) | set(carried)
        while org is None and paths and len({_sub(p, groups) for p in paths}) == 1:
            below = f"{groups}{_sub(next(iter(paths)), groups)}/"
            if below == groups or not all(p.startswith(below) for p in paths):
                break
            groups = below  # no --org and one root (a city): count by what lies under it
        done.by_org = _by_org(conn, targets, groups, carried)
        done.renewals = [{"renews_case_id": old, "enterprise_id": ent, "term_end": end.isoformat(), "case_id": None}
                         for ent, (old, end) in sorted(renewing.items())]
        if not dry_run:
            opened = _open(conn, targets, spec.key, level, year, at=at, recorded_at=recorded_at, actor=actor, progress=progress)
            done.opened = len(targets.ids)
            for r in done.renewals:
                r["case_id"] = opened[r["enterprise_id"]]
            store_contracts.link_renewal(conn, [{"case_id": r["case_id"], "renews_case_id": r["renews_case_id"], "linked_at": recorded_at}
                                                for r in done.renewals])
        uow.commit()
    done.seconds = time.perf_counter() - started
    done.cpu_seconds = time.process_time() - cpu
    return done


@dataclass
class _Targets:
    """The enterprises a launch reaches, held column by column (8 + 1 bytes and two shared strings each):
    a national launch names a million of them, which as result rows would take over 500 MB."""

    ids: array[int] = field(default_factory=lambda: array("q"))
    union: bytearray = field(default_factory=bytearray)
    org: list[str] = field(default_factory=list)
    path: list[str] = field(default_factory=list)

    @classmethod
    def read(cls, conn: Connection, query: sa.Select[Any]) -> _Targets:
        out = cls()
        shared: dict[str, str] = {}
        for r in conn.execute(query.execution_options(yield_per=CHUNK)):
            out.ids.append(int(r.id))
            out.union.append(1 if r.has_union else 0)
            out.org.append(shared.setdefault(r.org_code, r.org_code))
            out.path.append(shared.setdefault(r.org_path, r.org_path))
        return out

    def drop(self, enterprise_ids: set[int]) -> None:
        """Remove these enterprises from the targets."""
        keep = [i for i, ent in enumerate(self.ids) if ent not in enterprise_ids]
        self.ids = array("q", (self.ids[i] for i in keep))
        self.union = bytearray(self.union[i] for i in keep)
        self.org = [self.org[i] for i in keep]
        self.path = [self.path[i] for i in keep]


def _by_org(conn: Connection, targets: _Targets, scope: str, carried: list[str]) -> list[dict[str, Any]]:
    counts: dict[str, list[int]] = {}
    for path, union in zip(targets.path, targets.union):
        group = counts.setdefault(_sub(path, scope), [0, 0, 0])
        group[0] += 1
        group[1] += 0 if union else 1
    for path in carried:
        counts.setdefault(_sub(path, scope), [0, 0, 0])[2] += 1
    names: dict[str, str] = dict(conn.execute(sa.select(org_t.c.code, org_t.c.name).where(org_t.c.code.in_(sorted(counts)))).all())
    return [{"org": code, "name": names.get(code, ""), "cases": n, "upper": upper, "carried_over": kept}
            for code, (n, upper, kept) in sorted(counts.items())]


def _max_window(spec_key: str) -> int:
    """The longest renewal window of any jurisdiction for the workflow (the query's bound; each case's own is checked)."""
    days = [_window(spec_key, name) for name in registry.profiles()]
    return max(days, default=0)


def _window(spec_key: str, jurisdiction: str) -> int:
    param = registry.params_for(spec_key, jurisdiction).get("renewal_window_days")
    try:
        return int(param.value) if param is not None else 0
    except (TypeError, ValueError):
        return 0


def _renewing(conn: Connection, targets: _Targets, scope: str, day: date, renew_by: date,
              spec_key: str) -> dict[int, tuple[int, date]]:
    """Targets whose contract in force ends in its renewal window on `day`: enterprise id → (case id, term end).
    A target whose contract ends later than its own jurisdiction's window is dropped from the targets."""
    c = case_t.c
    rows = conn.execute(sa.select(c.enterprise_id, c.id, c.term_end, c.jurisdiction).where(
        directory.subtree(c.ent_path, scope), c.state == "effective", c.term_end.is_not(None), c.term_end <= renew_by))
    found: dict[int, tuple[int, date, str]] = {}
    for ent, case_id, end, jurisdiction in rows:
        if ent not in found or end > found[ent][1]:
            found[int(ent)] = (int(case_id), end, str(jurisdiction))
    if not found:
        return {}
    # Only the few enterprises found are held in a set; the targets (a million on a national launch) are scanned.
    targeted = {ent for ent in targets.ids if ent in found}
    found = {ent: v for ent, v in found.items() if ent in targeted}
    late = {ent for ent, (_, end, j) in found.items() if end - timedelta(days=_window(spec_key, j)) > day}
    if late:
        targets.drop(late)
    return {ent: (case_id, end) for ent, (case_id, end, _) in found.items() if ent not in late}


def _open(conn: Connection, targets: _Targets, spec_key: str, level: str, year: int, *, at: datetime,
          recorded_at: datetime, actor: str, progress: Callable[[int, int], None] | None) -> dict[int, int]:
    """Open and offer the targets' cases; the new case id of each enterprise id."""
    opened: dict[int, int] = {}
    jurisdictions = directory.jurisdictions_of(conn, set(targets.org))
    templates: dict[tuple[str, bool], Change] = {}
    total = len(targets.ids)
    for start in range(0, total, CHUNK):
        end = min(start + CHUNK, total)
        groups: dict[tuple[str, bool], list[tuple[int, int]]] = {}
        chunk = zip(targets.ids[start:end], targets.union[start:end], targets.org[start:end])
        for case_id, (ent_id, union, org_code) in zip(allocate_ids(conn, case_t, end - start), chunk):
            j = jurisdictions[org_code]
            groups.setdefault((j, bool(union)), []).append((case_id, ent_id))
            opened[ent_id] = case_id
        for (j, has_union), ids in groups.items():
            tpl = templates.get((j, has_union))
            if tpl is None:
                tpl = templates[(j, has_union)] = _template(
                    spec_key, j, has_union, level if has_union else "upper", year, at=at, recorded_at=recorded_at,
                    actor=actor)
            insert_copies(conn, tpl, at, ids)
        if progress:
            progress(end, total)
    return opened
