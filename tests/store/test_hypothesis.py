"""Random trigger sequences with random data never corrupt a case (SQLite file and PostgreSQL).

State stays in the spec, one event per successful transition, refusals write nothing, replaying the
stored events reproduces the stored case exactly, and the timeline stays ordered.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from engine import registry
from engine.case import replay
from engine.credit import make_credit_code
from engine.errors import RefusedError
from engine.registry import machines
from engine.store import directory
from engine.store.database import Store
from engine.store.repository import load_case, load_events
from engine.store.tables import event_t
from engine.timeline import build
from engine.usecases import acts
from tests.conftest import seed_city
from tests.helpers.happy import REC, T0

SPEC = registry.spec("enterprise_wage@1")
SERIAL = itertools.count(1000)


def reps_strategy(prefix: str) -> st.SearchStrategy[list[dict[str, Any]]]:
    return st.integers(1, 5).flatmap(
        lambda n: st.lists(st.tuples(st.booleans(), st.booleans()), min_size=n, max_size=n).map(
            lambda flags: [{"name": f"{prefix}{i}", "chief": c, "external": e} for i, (c, e) in enumerate(flags)]
        )
    )


def data_for(trigger: str) -> st.SearchStrategy[dict[str, Any]]:
    """Plausible-but-random data for each trigger: sometimes valid, often not."""
    if trigger in ("send_offer", "reoffer"):
        return st.fixed_dictionaries({"level": st.sampled_from(["enterprise", "upper", "city"])})
    if trigger == "set_topics":
        return st.fixed_dictionaries({"topics": st.sampled_from(["工资", "", "工资,津贴"])})
    if trigger == "elect_reps":
        return st.fixed_dictionaries({
            "worker_reps": reps_strategy("w"), "employer_reps": reps_strategy("e"),
            "recorder": st.sampled_from(["记录员", "w0", "e1"]),
        })
    if trigger == "hold_round":
        return st.fixed_dictionaries({}, optional={"round": st.integers(0, 4), "chair": st.sampled_from(["worker", "employer"])})
    if trigger == "suspend":
        return st.fixed_dictionaries({"resume_on": st.sampled_from(["2020-01-01", "2030-01-01"])})
    if trigger in ("approve", "reject"):
        return st.integers(1, 80).flatmap(lambda total: st.fixed_dictionaries({
            "body": st.just("congress"), "total": st.just(total),
            "present": st.integers(0, total + 2), "votes_for": st.integers(0, total + 2),
        }))
    if trigger == "sign":
        return st.integers(200, 1300).map(lambda days: {"term_start": "2026-06-01",
                                                         "term_end": str((T0 + timedelta(days=90 + days)).date())})
    if trigger in ("object", "close"):
        return st.fixed_dictionaries({"reason": st.sampled_from(["", "理由"])})
    return st.just({})


class CaseMachine(RuleBasedStateMachine):
    """One fresh case per example, on a shared database."""

    url = ""

    def __init__(self) -> None:
        super().__init__()
        self.store = Store(self.url)
        self.case_id = 0
        self.events = 0

    @initialize(has_union=st.booleans())
    def open_case(self, has_union: bool) -> None:
        code = make_credit_code("320505", next(SERIAL))
        with self.store.engine.begin() as conn:
            directory.upsert_enterprises(conn, [{"credit_code": code, "name": f"企业{code}", "org_code": "320505",
                                                 "industry": "", "employees": 50, "has_union": has_union}])
        self.case_id = acts.open_case(self.store, code, at=T0, recorded_at=REC, actor="h").case_id
        self.events = 1

    def _snapshot(self) -> tuple[Any, int]:
        with self.store.read() as conn:
            case = load_case(conn, self.case_id)
            n = conn.execute(sa.select(sa.func.count()).select_from(event_t).where(event_t.c.case_id == self.case_id)).scalar_one()
        return case, n

    @rule(data=st.data(), trigger=st.sampled_from(sorted(SPEC.transitions)), hours=st.integers(-30, 400))
    def fire_any(self, data: st.DataObject, trigger: str, hours: int) -> None:
        self._fire(data, trigger, hours)

    @rule(data=st.data(), pick=st.integers(0, 10), hours=st.integers(0, 400))
    def fire_an_allowed_trigger(self, data: st.DataObject, pick: int, hours: int) -> None:
        state = self._snapshot()[0].state
        allowed = machines.machine(SPEC.key).allowed(state)
        if allowed:
            self._fire(data, allowed[pick % len(allowed)], hours)

    def _fire(self, data: st.DataObject, trigger: str, hours: int) -> None:
        before, n_before = self._snapshot()
        payload = data.draw(data_for(trigger))
        at = (before.last_at or T0) + timedelta(hours=hours)
        try:
            after = acts.advance(self.store, self.case_id, trigger, payload, at=at, recorded_at=REC, actor="h").case
        except RefusedError:
            now, n_now = self._snapshot()
            assert now == before and n_now == n_before, "a refusal wrote something"
            return
        self.events += 1
        assert after.state in SPEC.states
        assert after.version == before.version + 1

    @invariant()
    def stored_case_is_the_fold_of_its_events(self) -> None:
        if not self.case_id:
            return
        with self.store.read() as conn:
            case = load_case(conn, self.case_id)
            events = load_events(conn, self.case_id)
        assert len(events) == self.events == case.version
        assert [e.seq for e in events] == list(range(1, len(events) + 1))
        fresh = replace(case, state=SPEC.initial, version=0, last_at=None, facts={}, counselor_id=None)
        assert replay(fresh, events) == case
        transitions = [e for e in events if e.kind == "transition"]
        assert all(a.occurred_at <= b.occurred_at for a, b in itertools.pairwise(transitions))
        entries = build(case, events)["entries"]
        assert [x["at"][:19] for x in entries] == sorted(x["at"][:19] for x in entries)

    def teardown(self) -> None:
        self.store.dispose()


def test_random_trigger_sequences_never_corrupt_a_case(db_url: str) -> None:
    seed_city(db_url)
    CaseMachine.url = db_url
    runner = CaseMachine.TestCase()
    runner.settings = settings(max_examples=30, stateful_step_count=40, deadline=None,
                               suppress_health_check=list(HealthCheck))
    runner.runTest()
