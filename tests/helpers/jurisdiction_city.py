"""Four enterprises under three jurisdictions (Zhejiang, Shanghai, national Suzhou) and their offers, opened and
sent through the real command line: shared by the deadline and tick tests."""

from __future__ import annotations

import json

from engine.credit import make_credit_code
from tests.conftest import Cli

ORGS = [  # code, name, kind, parent, jurisdiction
    ("330000", "浙江省总工会", "province", None, "zhejiang"),
    ("330100", "杭州市总工会", "city", "330000", None),  # inherits zhejiang
    ("310000", "上海市总工会", "city", None, "shanghai"),
    ("320500", "苏州市总工会", "city", None, None),  # national (Jiangsu has no profile)
]


def city(cli: Cli) -> dict[str, str]:
    """Four enterprises: Hangzhou, Shanghai, Suzhou, and a second Shanghai one; their credit codes by key."""
    for code, name, kind, parent, jur in ORGS:
        args = ["org", "add", code, name, "--kind", kind]
        args += ["--parent", parent] if parent else []
        args += ["--jurisdiction", jur] if jur else []
        assert cli(*args).exit_code == 0
    codes = {"hz": make_credit_code("330100", 1), "sh": make_credit_code("310000", 2), "sz": make_credit_code("320500", 3),
             "sh2": make_credit_code("310000", 4)}
    for key, org in (("hz", "330100"), ("sh", "310000"), ("sz", "320500"), ("sh2", "310000")):
        result = cli("enterprise", "add", codes[key], f"{key}公司", "--org", org, "--employees", "80")
        assert result.exit_code == 0, result.output
    return codes


def open_and_offer(cli: Cli, code: str, sent: str, received: str) -> int:
    result = cli("case", "open", code, "--format", "json")
    assert result.exit_code == 0, result.output
    case_id = int(json.loads(result.stdout)["case_id"])
    result = cli("case", "advance", str(case_id), "send_offer", "--set", "level=enterprise", "--set",
                 f"received_on={received}", "--at", sent)
    assert result.exit_code == 0, result.output
    return case_id


def three_offers(cli: Cli) -> dict[str, int]:
    codes = city(cli)
    return {
        "hz": open_and_offer(cli, codes["hz"], "2026-09-18", "2026-09-20"),
        "sh": open_and_offer(cli, codes["sh"], "2026-09-13", "2026-09-13"),
        "sz": open_and_offer(cli, codes["sz"], "2026-09-13", "2026-09-13"),
    }
