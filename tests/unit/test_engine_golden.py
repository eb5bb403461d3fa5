"""The engine's answers frozen: random walks over every shipped workflow (happy paths, wrong triggers, bad and
odd data, late and back-dated instants) through acts.fire, each step's event, case and report columns or its
refusal, compared with tests/fixtures/engine_golden.json, written by the engine before its fire and save paths
were compiled into per-trigger plans (branch enginefast). A change of any event field, fact, column, refusal
text, rule, source, hint, required or actual shows here.

Regenerate (only for an intended change of behaviour): REGEN_GOLDEN=1 .venv/bin/python -m pytest tests/unit/test_engine_golden.py
"""

from __future__ import annotations

import hashlib
import json
import os
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from engine import registry
from engine.case import Case
from engine.errors import BargainError
from engine.store.repository import case_columns
from engine.times import at_date
from engine.usecases import acts
from tests.helpers.happy import data_for

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "engine_golden.json"
WALKS = 600  # per run; the first DETAILED are kept in full, the others as one digest each
DETAILED = 24
STEPS = 20
REC = datetime(2027, 6, 30, 2, 0, tzinfo=UTC)
T0 = at_date(datetime(2026, 3, 2).date(), 8)
JURISDICTIONS = ["national", "beijing", "chongqing", "henan", "shandong", "shanghai", "zhejiang"]


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, dict) or hasattr(value, "items"):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


def _refusal(exc: BargainError) -> dict[str, Any]:
    return {"type": type(exc).__name__, "rule": exc.rule, "zh": exc.zh, "en": exc.en, "hint_zh": exc.hint_zh,
            "hint_en": exc.hint_en, "source": exc.source, "required": _jsonable(exc.required),
            "actual": _jsonable(exc.actual), "failures": [_refusal(f) for f in exc.failures]}


BAD_VALUES: list[Any] = ["", "  ", "abc", "１２０", "3.5", "-1", "2026年6月1日", "20260601", "2026-02-30", "是", "否",
                         "\u0007铃", "正文\u202e反转", [], {}, ["甲", "乙"], [{"name": "甲"}, {"name": "甲"}],
                         [{"name": "甲", "wrong": 1}], [{"chief": True}], "[{\"name\": \"张\", \"chief\": \"是\"}]",
                         0, 61, 10**8, True, 2.0, None, "upper", "enterprise", "congress", "worker", "　全角　"]


def _data(rng: random.Random, spec: Any, trigger: str, at: datetime) -> dict[str, Any]:
    data = dict(data_for(spec.scope, trigger, at))
    t = spec.transitions[trigger]
    roll = rng.random()
    if roll < 0.7:
        return data
    if roll < 0.77 and data:
        data.pop(rng.choice(sorted(data)))
    elif roll < 0.82:
        data[rng.choice(["leve", "note", "totl", "x"])] = "1"
    elif t.fields:
        for _ in range(rng.randint(1, 2)):
            data[rng.choice(sorted(t.fields))] = rng.choice(BAD_VALUES)
    return data


def _walk(seed: int) -> list[Any]:
    rng = random.Random(seed)
    key = rng.choice(sorted(registry.specs()))
    spec = registry.spec(key)
    jurisdiction = rng.choice(JURISDICTIONS)
    case = Case(seed + 1, "91320505000000001X", spec.name, spec.version, spec.initial, jurisdiction,
                rng.random() < 0.8, None, 1, None, {}, "320500" if spec.scope == "regional" else None)
    out: list[Any] = [key, jurisdiction, case.has_union]
    at = T0
    seen = {case.state}
    for _ in range(STEPS):
        allowed = list(spec.triggers_from(case.state, include_auto=True))
        if not allowed and rng.random() < 0.5:
            break  # a settled case: one more refusal at most
        onward = [t for t in allowed if spec.transitions[t].dest not in seen and t != "close"]  # on towards states not yet visited
        if onward and rng.random() < 0.7:
            trigger = rng.choice(onward)
        elif allowed and rng.random() < 0.85:
            trigger = rng.choice(allowed)
        else:
            trigger = rng.choice([*spec.transitions, "send_ofer", "nonesuch"])
        roll = rng.random()
        days = -3 if roll < 0.04 else 400 if roll < 0.06 else rng.choice([0, 1, 1, 2, 5, 9, 16, 31, 45, 70])
        when = at + timedelta(days=days, hours=rng.choice([0, 0, 3, 15]))
        t = spec.transitions.get(trigger)
        automatic = bool(t and t.auto and rng.random() < 0.9)
        data = _data(rng, spec, trigger, when) if t else {"x": 1}
        try:
            fired = acts.fire(case, trigger, data, at=when, recorded_at=REC, actor=rng.choice(["bench", "张三"]),
                              counselor_id=rng.choice([None, 7]), note=rng.choice(["", "备注"]), automatic=automatic)
        except BargainError as exc:
            out.append({"trigger": trigger, "refused": _refusal(exc)})
            continue
        e = fired.event
        c = fired.case
        out.append({
            "trigger": trigger,
            "event": [e.case_id, e.seq, e.kind, e.occurred_at.isoformat(), e.recorded_at.isoformat(), e.actor, e.trigger,
                      e.from_state, e.to_state, e.counselor_id, _jsonable(e.data), e.note, e.actor_name],
            "case": [c.case_id, c.state, c.version, c.last_at.isoformat() if c.last_at else None, c.counselor_id],
            "facts": _jsonable(c.facts),
            "columns": _jsonable(case_columns(c)),
        })
        case = fired.case
        seen.add(case.state)
        at = max(at, c.last_at or at)
    return out


def _digest(walk: list[Any]) -> str:
    return hashlib.sha256(json.dumps(walk, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:24]


def _all() -> dict[str, Any]:
    walks = [_walk(seed) for seed in range(WALKS)]
    return {"detailed": walks[:DETAILED], "digests": [_digest(w) for w in walks[DETAILED:]]}


def test_random_walks_give_the_frozen_events_facts_columns_and_refusals() -> None:
    got = _all()
    if os.environ.get("REGEN_GOLDEN"):
        FIXTURE.write_text(json.dumps(got, ensure_ascii=False, indent=None, separators=(",", ":")) + "\n", encoding="utf-8")
    expected = json.loads(FIXTURE.read_text(encoding="utf-8"))
    got = json.loads(json.dumps(got, ensure_ascii=False))  # tuples as lists, as the file keeps them
    for i, (mine, frozen) in enumerate(zip(got["detailed"], expected["detailed"], strict=True)):
        for step, (a, b) in enumerate(zip(mine, frozen, strict=True)):
            assert a == b, f"walk {i} step {step}"
    assert got["digests"] == expected["digests"]


def test_the_walks_reach_far_and_are_refused_often() -> None:
    """The frozen walks are worth comparing: they move cases through most states and refuse many ways."""
    expected = json.loads(FIXTURE.read_text(encoding="utf-8"))
    steps = [s for w in expected["detailed"] for s in w[3:]]
    states = {s["case"][1] for s in steps if "case" in s}
    rules = {s["refused"]["rule"] for s in steps if "refused" in s}
    assert len(states) >= 12, states
    assert {"trigger_data", "trigger_not_allowed", "events_in_order", "event_time", "unknown_trigger"} <= rules, rules


STORED = Path(__file__).resolve().parents[1] / "fixtures" / "engine_golden_stored.json"
STORED_CASES = 60


def _stored_rows(folder: Path) -> dict[str, Any]:
    """The bench's happy paths (varied names, counts, days, levels) through open_cases_in / fire / then / save
    into a fresh SQLite file, and every column of every case and event row written, read back with sqlite3."""
    import sqlite3
    from datetime import date

    from bench.bench_engine import WORKFLOW, happy_path
    from engine.credit import make_credit_code
    from engine.store import directory
    from engine.store.database import Store
    from engine.store.repository import save

    path = folder / "golden.db"
    store = Store(f"sqlite:///{path}")
    with store.engine.begin() as conn:
        directory.upsert_org(conn, "320500", "苏州市总工会", "city")
        directory.upsert_enterprises(conn, [
            {"credit_code": make_credit_code("320500", 100_000 + i), "name": f"苏州测试{i}号有限公司", "org_code": "320500",
             "industry": "制造业", "employees": 50 + i % 400, "has_union": i % 5 != 0} for i in range(STORED_CASES)])
        ents = conn.exec_driver_sql("SELECT id, credit_code, has_union FROM enterprise ORDER BY id").all()
        targets = [{"id": r[0], "credit_code": r[1], "has_union": r[2], "jurisdiction": JURISDICTIONS[r[0] % 7]} for r in ents]
    rng = random.Random(7)
    with store.engine.begin() as conn:
        opened = acts.open_cases_in(conn, targets, spec_key=WORKFLOW, at=T0, recorded_at=REC, actor="bench")
        changes = []
        for i, change in enumerate(opened):
            for trigger, data, day in happy_path(i, bool(targets[i]["has_union"]), rng, date(2026, 3, 2) + timedelta(days=i % 20)):
                try:
                    fired = acts.fire(change.case, trigger, data, at=at_date(day), recorded_at=REC, actor="bench")
                except BargainError:
                    break  # a jurisdiction's own rule (e.g. front-line workers) stops this one here, as it would anyone
                change = acts.then(change, fired)
            changes.append(change)
        save(conn, changes)
    store.dispose()
    with sqlite3.connect(path) as db:
        out = {}
        for table, order in (("bcase", "id"), ("event", "case_id, seq")):
            cur = db.execute(f"SELECT * FROM {table} ORDER BY {order}")
            out[table] = [[d[0] for d in cur.description], *[list(r) for r in cur.fetchall()]]
    return out


def test_the_stored_case_and_event_rows_of_happy_paths_are_the_frozen_ones(tmp_path: Path) -> None:
    got = json.loads(json.dumps(_stored_rows(tmp_path), ensure_ascii=False))
    if os.environ.get("REGEN_GOLDEN"):
        STORED.write_text(json.dumps(got, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    expected = json.loads(STORED.read_text(encoding="utf-8"))
    for table in ("bcase", "event"):
        assert got[table][0] == expected[table][0], table
        for i, (a, b) in enumerate(zip(got[table], expected[table], strict=True)):
            assert a == b, f"{table} row {i}"
    states = {row[got["bcase"][0].index("state")] for row in got["bcase"][1:]}
    assert "effective" in states and len(got["event"]) > 8 * STORED_CASES, states
