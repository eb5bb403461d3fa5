"""The hot-path shortcuts of engine.case behave exactly like the plain forms they replace."""

from __future__ import annotations

import json
from dataclasses import fields, replace
from datetime import UTC, date, datetime

from engine.case import Case, Facts, evolve, jsonable, with_facts

AT = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
FACTS = {"last": {"send_offer": {"at": "2026-03-02T09:00:00+08:00", "seq": 2, "level": "upper"}},
         "count": {"send_offer": 1}}


def test_evolve_gives_what_dataclasses_replace_gives() -> None:
    case = Case(7, "91320505000000001X", "enterprise_wage", 1, "targeted", facts=FACTS)
    for changes in ({"state": "offer_sent", "version": 2}, {"counselor_id": 3}, {"facts": {}, "last_at": AT}, {}):
        assert evolve(case, **changes) == replace(case, **changes)


def test_evolve_copies_every_field_of_the_case() -> None:
    case = Case(7, "X", "w", 2, "s", "zhejiang", False, 4, 9, AT, FACTS, "320500")
    copy = evolve(case)
    assert [getattr(copy, f.name) for f in fields(Case)] == [getattr(case, f.name) for f in fields(Case)]


def test_stored_facts_decode_on_first_use_and_compare_like_the_dict() -> None:
    facts = Facts(json.dumps(FACTS, ensure_ascii=False))
    assert facts == FACTS and FACTS == facts
    assert facts.get("count") == {"send_offer": 1} and facts["last"]["send_offer"]["level"] == "upper"
    assert sorted(facts) == ["count", "last"] and len(facts) == 2
    assert dict(facts) == FACTS
    assert Facts(b"{}") == {} and Facts(json.dumps(FACTS).encode()) == facts


def test_a_case_with_stored_facts_reads_and_folds_like_one_with_a_dict() -> None:
    plain = Case(1, "X", "enterprise_wage", 1, "offer_sent", facts=FACTS)
    stored = Case(1, "X", "enterprise_wage", 1, "offer_sent", facts=Facts(json.dumps(FACTS)))
    assert stored == plain
    assert stored.last("send_offer") == plain.last("send_offer") and stored.count("send_offer") == 1
    assert with_facts(stored, "accept", {}, AT, 3) == with_facts(plain, "accept", {}, AT, 3)


def test_jsonable_turns_dates_into_text_at_any_depth_and_leaves_the_rest() -> None:
    value = {"a": [date(2026, 1, 2), {"b": AT}], "c": (1, "x"), "d": None, "e": 1.5, "f": True}
    assert jsonable(value) == {"a": ["2026-01-02", {"b": "2026-03-02T01:00:00+00:00"}], "c": [1, "x"], "d": None,
                               "e": 1.5, "f": True}
    assert jsonable(Facts(json.dumps(FACTS))) == FACTS


def test_the_store_serialises_stored_facts_as_their_json() -> None:
    from engine.store.database import _json

    assert json.loads(_json({"facts": Facts(json.dumps(FACTS))})) == {"facts": FACTS}
