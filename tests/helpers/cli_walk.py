"""A case walked through the real command line, step by step along the happy path (for CLI tests)."""

from __future__ import annotations

import json
from typing import Any

from tests.conftest import Cli
from tests.helpers.happy import reps

STEPS: list[tuple[str, list[str]]] = [
    ("send_offer", ["--set", "level=enterprise", "--at", "2026-03-02"]),
    ("accept", ["--at", "2026-03-12"]),
    ("set_topics", ["--set", "topics=职工年度平均工资水平及其调整幅度,高温津贴", "--set", "opinions=86", "--at", "2026-03-20"]),
    ("elect_reps", ["--set", "worker_reps=" + json.dumps(reps(3, "职工"), ensure_ascii=False),
                    "--set", "employer_reps=" + json.dumps(reps(3, "企业"), ensure_ascii=False),
                    "--set", "recorder=记录员", "--at", "2026-03-25"]),
    ("hold_round", ["--set", "chair=worker", "--set", "outcome=达成一致", "--at", "2026-04-02T14:30"]),
    ("agree_draft", ["--at", "2026-04-03"]),
    ("approve", ["--set", "body=congress", "--set", "total=60", "--set", "present=40", "--set", "votes_for=31", "--at", "2026-04-15"]),
    ("sign", ["--set", "term_start=2026-05-01", "--set", "term_end=2027-04-30", "--at", "2026-04-20"]),
    ("file", ["--set", "authority=苏州市人社局", "--at", "2026-04-24"]),
    ("pass_review", ["--at", "2026-05-06"]),
]



def open_case(cli: Cli, code: str) -> int:
    result = cli("case", "open", code, "--format", "json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["state"] == "targeted"
    return int(body["case_id"])


def walk(cli: Cli, case_id: int, steps: list[tuple[str, list[str]]] = STEPS) -> dict[str, Any]:
    body: dict[str, Any] = {}
    for trigger, args in steps:
        result = cli("case", "advance", str(case_id), trigger, *args, "--format", "json")
        assert result.exit_code == 0, f"{trigger}: {result.output}"
        body = json.loads(result.stdout)
    return body
