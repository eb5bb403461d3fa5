"""A town's restaurants (five enterprises under 甪直镇, one outside in 高新区) and the regional case's walk along
the happy path through the command line: shared by the regional-contract and counselor-summary tests."""

from __future__ import annotations

import json

from engine.credit import make_credit_code
from engine.store import directory
from engine.store.database import Store
from tests.helpers.happy import reps

CODES = [make_credit_code("320506", i) for i in range(1, 6)]
OUTSIDE = make_credit_code("320505", 99)


def seed(url: str) -> None:
    s = Store(url)
    with s.engine.begin() as conn:
        directory.upsert_org(conn, "320500", "苏州市总工会", "city")
        directory.upsert_org(conn, "320506", "吴中区总工会", "district", "320500")
        directory.upsert_org(conn, "320506001", "甪直镇总工会", "town", "320506")
        directory.upsert_org(conn, "320505", "高新区总工会", "district", "320500")
        directory.upsert_enterprises(conn, [
            {"credit_code": c, "name": f"餐馆{i}", "org_code": "320506001", "industry": "餐饮", "employees": 10 * i,
             "has_union": i % 2 == 0} for i, c in enumerate(CODES, 1)
        ] + [{"credit_code": OUTSIDE, "name": "外区企业", "org_code": "320505", "industry": "", "employees": 5, "has_union": False}])
    s.dispose()


WALK = [
    ("send_offer", ["--set", "level=regional", "--set", "employer_side=甪直镇餐饮行业协会", "--at", "2026-03-02"]),
    ("accept", ["--at", "2026-03-10"]),
    ("set_topics", ["--set", "topics=工资增幅", "--at", "2026-03-15"]),
    ("elect_reps", ["--set", "worker_reps=" + json.dumps(reps(3, "职工")), "--set", "employer_reps=" + json.dumps(reps(3, "企业")),
                    "--set", "recorder=记录员", "--at", "2026-03-20"]),
    ("hold_round", ["--at", "2026-03-25"]),
    ("agree_draft", ["--at", "2026-03-26"]),
    ("approve", ["--set", "body=congress", "--set", "total=50", "--set", "present=40", "--set", "votes_for=30",
                 "--set", "managers=10", "--at", "2026-04-01"]),
    ("sign", ["--set", "term_start=2026-05-01", "--set", "term_end=2027-04-30", "--at", "2026-04-05"]),
    ("file", ["--at", "2026-04-08"]),
    ("pass_review", ["--at", "2026-04-20"]),
]
