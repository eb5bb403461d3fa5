"""The statements of the one-case paths, written once in SQLAlchemy Core (issue 18 item 1).

engine/store/querygen.py compiles each for SQLite and PostgreSQL into engine/store/queries_sql.py (plain SQL
with named parameters, and the column types' conversions); engine/store/lite.py runs that text on a sqlite3
connection or on an SQLAlchemy one. The code that runs never imports this module: only the generator and the
tests do (tests/store/test_queries.py compares each statement's rows with the generated text's, both databases).

Parameters are named `sa.bindparam`s; a list is an expanding one (`expanding=True`: the caller never passes an
empty list, it answers that case without a query).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from engine.store.tables import (
    audit_t,
    case_t,
    contract_t,
    counselor_t,
    coverage_rollup_t,
    coverage_t,
    enterprise_t,
    event_t,
    grant_t,
    meta_t,
    org_t,
    renewal_t,
    report_rollup_t,
    user_t,
)

P = sa.bindparam


def _case_cols() -> tuple[Any, ...]:
    # Facts are read as their JSON text and decoded on first use (engine.case.Facts).
    return (case_t.c.id, case_t.c.workflow, case_t.c.workflow_version, case_t.c.state, case_t.c.jurisdiction,
            case_t.c.counselor_id, case_t.c.version, case_t.c.last_at, sa.cast(case_t.c.facts, sa.Text).label("facts"),
            case_t.c.party_org, enterprise_t.c.credit_code, enterprise_t.c.has_union)


def load_case() -> Any:
    """repository.load_case: one case with its enterprise's credit code and union flag."""
    return (sa.select(*_case_cols()).outerjoin(enterprise_t, enterprise_t.c.id == case_t.c.enterprise_id)
            .where(case_t.c.id == P("case_id")))


def renewal_of() -> Any:
    """agenda.renewal_of: the first offer of a later case of the same enterprise, while in a renewal window's state."""
    later = case_t.alias("later")
    first = (sa.select(sa.func.min(later.c.offered_on))
             .where(later.c.enterprise_id == case_t.c.enterprise_id, later.c.id > case_t.c.id).scalar_subquery())
    value = sa.case((case_t.c.state.in_(P("renewal_states", expanding=True)), first), else_=sa.null())
    return sa.select(sa.type_coerce(value, sa.Date).label("renewal_offered_on")).where(case_t.c.id == P("case_id"))


def case_resource() -> Any:
    """access.case_resource: a case's organisation path (its enterprise's, or its union's) and counselor."""
    union = org_t.alias("party")
    return (sa.select(sa.func.coalesce(case_t.c.ent_path, union.c.path).label("path"), case_t.c.counselor_id)
            .outerjoin(union, union.c.code == case_t.c.party_org).where(case_t.c.id == P("case_id")))


def has_users() -> Any:
    """access.has_users."""
    return sa.select(user_t.c.id).limit(1)


def user_by_login() -> Any:
    """access.user: one user row by login."""
    return sa.select(user_t).where(user_t.c.login == P("login"))


def grants_of() -> Any:
    """access.grants: the users' grants with their organisations' paths."""
    return (sa.select(grant_t.c.user_id, grant_t.c.role, grant_t.c.org_code, org_t.c.path)
            .join(org_t, org_t.c.code == grant_t.c.org_code)
            .where(grant_t.c.user_id.in_(P("user_ids", expanding=True))).order_by(org_t.c.path, grant_t.c.role))


def org_by_code() -> Any:
    """directory.org."""
    return sa.select(org_t).where(org_t.c.code == P("code"))


def org_codes() -> Any:
    """directory.org's suggestion when a code is unknown."""
    return sa.select(org_t.c.code).limit(5000)


def enterprise_by_code() -> Any:
    """directory.enterprise."""
    return sa.select(enterprise_t).where(enterprise_t.c.credit_code == P("credit_code"))


def counselor_names() -> Any:
    """directory.counselor_names."""
    return sa.select(counselor_t.c.id, counselor_t.c.name).where(counselor_t.c.id.in_(P("ids", expanding=True)))


def contract_light() -> Any:
    """contracts.contract without the file's bytes."""
    return sa.select(*[c for c in contract_t.c if c.name != "file_bytes"]).where(contract_t.c.case_id == P("case_id"))


def renews() -> Any:
    """contracts.renews."""
    return sa.select(renewal_t.c.renews_case_id).where(renewal_t.c.case_id == P("case_id"))


def renewed_by() -> Any:
    """contracts.renewed_by."""
    return (sa.select(renewal_t.c.case_id).where(renewal_t.c.renews_case_id == P("case_id"))
            .order_by(renewal_t.c.case_id))


def case_opened() -> Any:
    """contracts.renewal_entries: when a case opened, and its state."""
    return sa.select(case_t.c.opened_at, case_t.c.state).where(case_t.c.id == P("case_id"))


def case_terms() -> Any:
    """contracts.renewal_entries: the renewed case's state and term."""
    return sa.select(case_t.c.state, case_t.c.term_start, case_t.c.term_end).where(case_t.c.id == P("case_id"))


def _events() -> Any:
    return sa.select(event_t, user_t.c.name.label("user_name")).outerjoin(user_t, user_t.c.login == event_t.c.actor)


def events_of() -> Any:
    """repository.load_events: every event of a case in sequence order, with the actor's current name."""
    return _events().where(event_t.c.case_id == P("case_id")).order_by(event_t.c.seq)


def last_event() -> Any:
    """repository.last_event."""
    return _events().where(event_t.c.case_id == P("case_id")).order_by(event_t.c.seq.desc()).limit(1)


def covering() -> Any:
    """regional.covering: the regional cases that covered an enterprise."""
    return (sa.select(coverage_t.c.case_id, coverage_t.c.added_on, coverage_t.c.removed_on, case_t.c.state,
                      case_t.c.effective_on, case_t.c.term_end, case_t.c.party_org, org_t.c.name.label("union"))
            .join(case_t, case_t.c.id == coverage_t.c.case_id)
            .join(org_t, org_t.c.code == case_t.c.party_org)
            .where(coverage_t.c.enterprise_id == P("enterprise_id")).order_by(coverage_t.c.added_on))


STATEMENTS: dict[str, Callable[[], Any]] = {
    fn.__name__: fn for fn in (
        load_case, renewal_of, case_resource, has_users, user_by_login, grants_of, org_by_code, org_codes,
        enterprise_by_code, counselor_names, contract_light, renews, renewed_by, case_opened, case_terms, events_of,
        last_event, covering,
    )
}


def _subtree(column: Any) -> Any:
    # directory.subtree with the path as parameters: a path and everything below it (index-friendly, no LIKE)
    return sa.and_(column >= P("path"), column < P("path_end"))


def scan_org() -> Any:
    """agenda.scan's common shape (`deadlines --org`): the cases of an organisation's subtree in the states that
    wait on a deadline, in id order, with the party's names and the renewal offer. The subtree as agenda.in_org
    reads it: its enterprises' cases by the path index, regional cases of its unions by party_org."""
    later = case_t.alias("later")
    first = (sa.select(sa.func.min(later.c.offered_on))
             .where(later.c.enterprise_id == case_t.c.enterprise_id, later.c.id > case_t.c.id).scalar_subquery())
    renewal = sa.case((case_t.c.state.in_(P("renewal_states", expanding=True)), first), else_=sa.null())
    union = org_t.alias("party")
    own = case_t.alias("own")
    regional = case_t.alias("regional")
    ids = sa.union_all(
        sa.select(own.c.id).where(own.c.enterprise_id.in_(sa.select(enterprise_t.c.id).where(_subtree(enterprise_t.c.org_path)))),
        sa.select(regional.c.id).where(regional.c.party_org.in_(sa.select(org_t.c.code).where(_subtree(org_t.c.path)))))
    return (sa.select(*_case_cols(), enterprise_t.c.name.label("enterprise_name"),
                      enterprise_t.c.org_code.label("enterprise_org"),
                      sa.type_coerce(renewal, sa.Date).label("renewal_offered_on"), union.c.name.label("party_name"))
            .outerjoin(enterprise_t, enterprise_t.c.id == case_t.c.enterprise_id)
            .outerjoin(union, union.c.code == case_t.c.party_org)
            .where(case_t.c.id.in_(ids), case_t.c.state.in_(P("waiting_states", expanding=True)))
            .order_by(case_t.c.id))


STATEMENTS["scan_org"] = scan_org


def _recount_where() -> Any:
    # rollups._cohort with the paths and years as parameters (the same conditions in the same order)
    c = case_t.c
    return sa.and_(c.ent_path.is_not(None), c.offer_year.is_not(None), c.offer_year.in_(P("years", expanding=True)),
                   c.ent_path.in_(P("paths", expanding=True)))


def recount_campaign() -> Any:
    """rollups.refresh: the campaign counts of some paths and years (rollups.campaign_stmt)."""
    from engine.store import rollups

    return rollups.campaign_stmt(_recount_where())


def recount_funnel() -> Any:
    """rollups.refresh: the funnel's states reached and held of some paths and years (rollups.funnel_stmt)."""
    from engine.store import rollups

    return rollups.funnel_stmt(_recount_where())


def _recount_step(step: str) -> Callable[[], Any]:
    def make() -> Any:
        from engine.store import rollups

        return rollups.step_stmt(step, _recount_where())

    make.__name__ = f"recount_{step}"
    make.__doc__ = f"rollups.refresh: the days of the funnel step {step} of some paths and years (rollups.step_stmt)."
    return make


STATEMENTS["recount_campaign"] = recount_campaign
STATEMENTS["recount_funnel"] = recount_funnel
for _step in ("offer_to_reply", "reply_to_signing", "signing_to_effect"):
    STATEMENTS[f"recount_{_step}"] = _recount_step(_step)


def _cover(name: str) -> Callable[[], Any]:
    def make() -> Any:
        from engine.store import rollups

        return getattr(rollups, f"cover_{name}_stmt")(P("paths", expanding=True))

    make.__name__ = f"recount_cover_{name}"
    make.__doc__ = f"rollups.coverage_own: rollups.cover_{name}_stmt over some organisation paths."
    return make


for _name in ("enterprises", "own", "regional"):
    STATEMENTS[f"recount_cover_{_name}"] = _cover(_name)


# The writes of `case advance` and `case log` (and of every save): the same text on every connection.

def _values(table: Any, names: Any) -> dict[str, Any]:
    return {n: P(n, type_=table.c[n].type) for n in names}


def counselor_by_id() -> Any:
    """directory.counselor: one counselor row by id."""
    return sa.select(counselor_t).where(counselor_t.c.id == P("counselor_id"))


def meta_value() -> Any:
    """projected.stored_fingerprint: one bargain_meta value by key."""
    return sa.select(meta_t.c.value).where(meta_t.c.key == P("key"))


def state_at() -> Any:
    """acts.state_at: the target of a case's last non-voided transition up to an instant."""
    from engine.case import TRANSITION
    from engine.store.rollups import not_voided

    ev = event_t.c
    return (sa.select(ev.to_state)
            .where(ev.case_id == P("case_id"), ev.kind == TRANSITION, ev.occurred_at <= P("at", type_=ev.occurred_at.type),
                   not_voided(ev))
            .order_by(ev.occurred_at.desc(), ev.seq.desc()).limit(1))


def actor_names() -> Any:
    """repository.actor_names: the display names of the users some logins name."""
    return sa.select(user_t.c.login, user_t.c.name).where(user_t.c.login.in_(P("logins", expanding=True)))


def insert_event() -> Any:
    """repository.save: one event row (an executemany of them)."""
    from engine.store.repository import EVENT_COLUMNS

    return event_t.insert().inline().values(_values(event_t, EVENT_COLUMNS))


def insert_case() -> Any:
    """repository.save: a new case row, written once complete (an executemany of them; COPY on PostgreSQL)."""
    from engine.store.repository import CASE_COLUMNS

    return case_t.insert().inline().values(_values(case_t, CASE_COLUMNS))


def update_case() -> Any:
    """repository.save: a case row's state, facts and report columns, only while it is at the version read
    (k_id, g_version: optimistic concurrency; no row changed means another writer came first)."""
    from engine.store.repository import SAVED_COLUMNS

    c = case_t.c
    return (case_t.update().where(c.id == P("k_id", type_=c.id.type), c.version == P("g_version", type_=c.version.type))
            .values(_values(case_t, SAVED_COLUMNS)))


def insert_audit() -> Any:
    """access.insert_audit: one audit entry."""
    return audit_t.insert().inline().values(_values(audit_t, ("at", "login", "action", "outcome", "rule", "detail", "address")))


def cases_paths() -> Any:
    """rollups.cases_changed: the paths and offer years of some case rows."""
    return sa.select(case_t.c.ent_path, case_t.c.offer_year).distinct().where(case_t.c.id.in_(P("ids", expanding=True)))


def covered_paths() -> Any:
    """rollups.cases_changed: the organisation paths of the enterprises some regional or industry cases cover."""
    return (sa.select(enterprise_t.c.org_path).distinct()
            .select_from(coverage_t.join(enterprise_t, enterprise_t.c.id == coverage_t.c.enterprise_id))
            .where(coverage_t.c.case_id.in_(P("ids", expanding=True))))


def offer_years() -> Any:
    """rollups.all_years: every offer year of the case rows (read off the index on offer_year)."""
    return sa.select(case_t.c.offer_year).distinct().where(case_t.c.offer_year.is_not(None))


def _own_rollup() -> Any:
    # rollups.refresh: the own rows (not the subtree totals) of some paths and years
    r = report_rollup_t.c
    return sa.and_(r.path.in_(P("paths", expanding=True)), ~r.measure.startswith("*", autoescape=True),
                   r.year.in_(P("years", expanding=True)))


def rollup_years() -> Any:
    """rollups.refresh: the years some paths have kept rows for."""
    r = report_rollup_t.c
    return sa.select(r.year).distinct().where(r.path.in_(P("paths", expanding=True)))


def rollup_own() -> Any:
    """rollups.refresh: the own kept rows of some paths and years, before their recount."""
    r = report_rollup_t.c
    return sa.select(r.path, r.year, r.band, r.workflow, r.measure, r.n).where(_own_rollup())


def rollup_delete_own() -> Any:
    """rollups.refresh: delete the own kept rows of some paths and years."""
    return report_rollup_t.delete().where(_own_rollup())


def insert_rollup() -> Any:
    """rollups.refresh: one recounted own row."""
    return report_rollup_t.insert().inline().values(_values(report_rollup_t, ("path", "year", "band", "workflow", "measure", "n")))


def add_rollup() -> dict[str, Any]:
    """rollups._add: n + d on a subtree total (inserted when new), per dialect."""
    from sqlalchemy.dialects import postgresql, sqlite

    out = {}
    for name, dialect in (("sqlite", sqlite), ("postgresql", postgresql)):
        stmt = dialect.insert(report_rollup_t).values(
            _values(report_rollup_t, ("path", "year", "band", "workflow", "measure", "n")))
        out[name] = stmt.on_conflict_do_update(index_elements=["path", "year", "band", "workflow", "measure"],
                                               set_={"n": report_rollup_t.c.n + stmt.excluded.n})
    return out


_COVER_KEY = ("path", "tier", "day", "band", "unionised")
_COVER_VALUES = ("active", "covered", "workers")


def _own_coverage() -> Any:
    cr = coverage_rollup_t.c
    return sa.and_(cr.path.in_(P("paths", expanding=True)), cr.tier == P("tier"))


def coverage_own_rows() -> Any:
    """rollups.refresh_coverage: the kept rows of a tier of some paths, before their recount."""
    cr = coverage_rollup_t.c
    return (sa.select(cr.path, cr.day, cr.band, cr.unionised, *(cr[x] for x in _COVER_VALUES))
            .where(_own_coverage()))


def coverage_delete_own() -> Any:
    """rollups.refresh_coverage: delete the kept rows of a tier of some paths."""
    return coverage_rollup_t.delete().where(_own_coverage())


def insert_coverage() -> Any:
    """rollups.refresh_coverage: one recounted row."""
    return coverage_rollup_t.insert().inline().values(_values(coverage_rollup_t, (*_COVER_KEY, *_COVER_VALUES)))


def add_coverage() -> dict[str, Any]:
    """rollups._add_coverage: active/covered/workers + d on a subtree row (inserted when new), per dialect."""
    from sqlalchemy.dialects import postgresql, sqlite

    out = {}
    for name, dialect in (("sqlite", sqlite), ("postgresql", postgresql)):
        stmt = dialect.insert(coverage_rollup_t).values(_values(coverage_rollup_t, (*_COVER_KEY, *_COVER_VALUES)))
        out[name] = stmt.on_conflict_do_update(index_elements=list(_COVER_KEY),
                                               set_={x: coverage_rollup_t.c[x] + stmt.excluded[x] for x in _COVER_VALUES})
    return out


for _fn in (counselor_by_id, meta_value, state_at, actor_names, insert_event, insert_case, update_case, insert_audit, cases_paths,
            covered_paths, offer_years, rollup_years, rollup_own, rollup_delete_own, insert_rollup, add_rollup, coverage_own_rows,
            coverage_delete_own, insert_coverage, add_coverage):
    STATEMENTS[_fn.__name__] = _fn
