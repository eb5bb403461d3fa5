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
    case_t,
    contract_t,
    counselor_t,
    coverage_t,
    enterprise_t,
    event_t,
    grant_t,
    org_t,
    renewal_t,
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
