"""A small city with known report figures, built through the real directory and service (back-dated events).

Organisations: 320500 (city) → 320505 (district) → 320505001 (town); 320500 → 320506 (district);
320600 (another city, outside every 320500 report). Every figure the report tests assert is derived
by hand in the docstrings of those tests from the steps below.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from engine.credit import make_credit_code
from engine.store import directory
from engine.store.database import Store
from engine.store.repository import Change, load_case, save
from engine.times import parse_at
from engine.usecases import acts
from tests.helpers.happy import reps

REC = parse_at("2026-11-23T10:00")

ENTERPRISES = {
    # key: (org, workers, union, industry)
    "A": ("320505001", 120, True, "制造业"),
    "B": ("320505", 60, True, "制造业"),
    "C": ("320505", 30, False, "餐饮"),
    "D": ("320506", 200, True, "建筑业"),
    "E": ("320506", 45, True, "餐饮"),
    "F": ("320500", 80, True, "制造业"),
    "G": ("320600", 500, True, "制造业"),
    "H": ("320506", 10, True, "餐饮"),
}


def code(key: str) -> str:
    """The credit code of an enterprise of the city."""
    return make_credit_code("320500", 100 + ord(key))


def deal(accept: str, topics: str, reps_on: str, round_on: str, draft: str, approve: str, sign: str,
         term: tuple[str, str], file: str | None = None, review: str | None = None) -> list[tuple[str, dict[str, Any], str]]:
    """The steps from acceptance to (optionally) filing and review, on given days."""
    steps: list[tuple[str, dict[str, Any], str]] = [
        ("accept", {}, accept),
        ("set_topics", {"topics": "工资调整幅度,高温津贴", "opinions": "80"}, topics),
        ("elect_reps", {"worker_reps": reps(3, "职工"), "employer_reps": reps(3, "企业"), "recorder": "记录员"}, reps_on),
        ("hold_round", {"outcome": "达成一致"}, round_on),
        ("agree_draft", {}, draft),
        ("approve", {"body": "congress", "total": 60, "present": 40, "votes_for": 31}, approve),
        ("sign", {"term_start": term[0], "term_end": term[1]}, sign),
    ]
    if file:
        steps.append(("file", {"authority": "人社局"}, file))
    if review:
        steps.append(("pass_review", {}, review))
    return steps


def play(store: Store, key: str, steps: list[tuple[str, dict[str, Any], str]]) -> int:
    """Open a case for an enterprise and fire each step on its day; returns the case id."""
    first = steps[0][2]
    case = acts.open_case(store, code(key), at=parse_at(first), recorded_at=REC, actor="test")
    for trigger, data, day in steps:
        acts.advance(store, case.case_id, trigger, data, at=parse_at(day), recorded_at=REC, actor="test")
    return case.case_id


def expire(store: Store, case_id: int, day: str) -> None:
    """Fire the automatic `expire` as `bargain tick` would."""
    with store.engine.begin() as conn:
        case = load_case(conn, case_id)
        fired = acts.fire(case, "expire", {}, at=parse_at(day), recorded_at=REC, actor="tick", automatic=True)
        save(conn, [Change(case.version, fired.case, [fired.event])])


def build(store: Store) -> dict[str, int]:
    """Organisations, enterprises and the 2025 and 2026 cases; returns case ids by name."""
    with store.engine.begin() as conn:
        directory.upsert_org(conn, "320500", "苏州市总工会", "city")
        directory.upsert_org(conn, "320505", "高新区总工会", "district", "320500")
        directory.upsert_org(conn, "320505001", "狮山街道总工会", "town", "320505")
        directory.upsert_org(conn, "320506", "吴中区总工会", "district", "320500")
        directory.upsert_org(conn, "320600", "南通市总工会", "city")
        directory.upsert_enterprises(conn, [
            {"credit_code": code(k), "name": f"{k}公司", "org_code": org, "industry": ind, "employees": n, "has_union": u}
            for k, (org, n, u, ind) in ENTERPRISES.items()
        ])
    ids: dict[str, int] = {}
    # 2025: D signs a contract whose term ends on 2026-05-31 (it then expires); E refuses an upper-level offer.
    ids["D2025"] = play(store, "D", [("send_offer", {"level": "enterprise"}, "2025-03-03"),
                                     *deal("2025-03-10", "2025-03-15", "2025-03-20", "2025-04-01", "2025-04-03", "2025-04-10",
                                           "2025-04-15", ("2025-06-01", "2026-05-31"), "2025-04-18", "2025-05-20")])
    ids["E2025"] = play(store, "E", [("send_offer", {"level": "upper"}, "2025-03-05"), ("refuse", {}, "2025-03-12"),
                                     ("close", {"reason": "企业拒绝"}, "2025-04-01")])
    expire(store, ids["D2025"], "2026-06-01")
    # 2026.
    ids["A"] = play(store, "A", [("send_offer", {"level": "enterprise"}, "2026-03-02"),
                                 *deal("2026-03-23", "2026-03-25", "2026-03-28", "2026-04-01", "2026-04-05", "2026-04-20",
                                       "2026-05-05", ("2026-06-01", "2027-05-31"), "2026-05-08", "2026-05-25")])
    ids["B"] = play(store, "B", [("send_offer", {"level": "upper"}, "2026-03-02"), ("refuse", {"reason": "经营困难"}, "2026-03-05"),
                                 ("reoffer", {"level": "upper"}, "2026-03-20")])
    ids["C"] = play(store, "C", [("send_offer", {"level": "upper"}, "2026-03-03"), ("accept", {}, "2026-03-30"),
                                 ("set_topics", {"topics": "工资调整幅度"}, "2026-04-02")])
    ids["D"] = play(store, "D", [("send_offer", {"level": "enterprise"}, "2026-03-02"),
                                 *deal("2026-03-06", "2026-03-10", "2026-03-15", "2026-03-25", "2026-04-01", "2026-04-15",
                                       "2026-04-25", ("2026-06-01", "2027-05-31"), "2026-04-28")])
    ids["E"] = play(store, "E", [("send_offer", {"level": "enterprise"}, "2026-03-02"), ("refuse", {}, "2026-03-09")])
    ids["F"] = play(store, "F", [("send_offer", {"level": "upper"}, "2026-03-04"),
                                 *deal("2026-03-05", "2026-03-08", "2026-03-12", "2026-03-20", "2026-03-25", "2026-03-30",
                                       "2026-04-02", ("2026-04-01", "2027-03-31"), "2026-04-05", "2026-04-20")])
    ids["G"] = play(store, "G", [("send_offer", {"level": "enterprise"}, "2026-03-02"),
                                 *deal("2026-03-03", "2026-03-05", "2026-03-08", "2026-03-12", "2026-03-15", "2026-03-20",
                                       "2026-03-25", ("2026-04-01", "2027-03-31"), "2026-03-27", "2026-04-10")])
    return ids


DAY = date(2026, 6, 30)


def built_reports(folder: Any) -> dict[str, Any]:
    """The city's reports the output tests render: campaign (with a comparison, in English, and an empty year),
    coverage and funnel, built once on a SQLite file in `folder`."""
    from engine.reports.campaign import campaign
    from engine.reports.coverage import coverage
    from engine.reports.funnel import funnel

    store = Store(f"sqlite:///{folder / 'r.db'}")
    build(store)
    with store.read() as conn:
        out = {
            "campaign": campaign(conn, year=2026, org="320500"),
            "compare": campaign(conn, year=2026, org="320500", compare=2025),
            "coverage": coverage(conn, as_of=date(2026, 6, 30), org="320500"),
            "funnel": funnel(conn, year=2026, org="320500"),
            "en": campaign(conn, year=2026, org="320500", lang="en"),
            "empty": campaign(conn, year=2031, org="320500"),
        }
    store.dispose()
    return out


def on_cli(cli: Any) -> Any:
    """The report city built in a CLI test's database (tests.conftest.Cli); the Cli, for a fixture:
    `city = pytest.fixture(name="city")(report_city.on_cli)`."""
    store = Store(cli.url)
    build(store)
    store.dispose()
    return cli
