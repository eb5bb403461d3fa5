"""The CLI.md promises the re-layout checked on the way: instants in +08:00, typed workflow keys are bad input,
misspelt workflows and jurisdictions are refused with a suggestion, no password is ever printed."""

from __future__ import annotations

import json
import re
from typing import Any

from tests.conftest import run_bargain, seed_city

INSTANT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?[+-]\d\d:\d\d$")


def _instants(obj: Any) -> list[str]:
    if isinstance(obj, dict):
        return [s for v in obj.values() for s in _instants(v)]
    if isinstance(obj, list):
        return [s for v in obj for s in _instants(v)]
    return [obj] if isinstance(obj, str) and INSTANT.match(obj) else []


def test_every_instant_in_case_json_carries_the_local_offset(db_url: str) -> None:
    codes = seed_city(db_url)
    opened = run_bargain("--db", db_url, "case", "open", codes["union"], "--format", "json")
    case_id = str(json.loads(opened.stdout)["case_id"])
    advanced = run_bargain("--db", db_url, "case", "advance", case_id, "send_offer", "--set", "level=enterprise",
                           "--at", "2026-03-02T10:00", "--format", "json")
    assert advanced.returncode == 0, advanced.stderr
    shown = run_bargain("--db", db_url, "case", "show", case_id, "--format", "json")
    timeline = run_bargain("--db", db_url, "case", "timeline", case_id, "--format", "json")
    found = [s for out in (advanced, shown, timeline) for s in _instants(json.loads(out.stdout))]
    assert found and all(s.endswith("+08:00") for s in found), found
    assert json.loads(shown.stdout)["last_at"] == "2026-03-02T10:00:00+08:00"


def test_a_typed_workflow_version_that_is_not_a_number_is_bad_input(db_url: str) -> None:
    codes = seed_city(db_url)
    result = run_bargain("--db", db_url, "--lang", "en", "case", "open", codes["union"], "--workflow", "enterprise_wage@x")
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "NAME@N" in result.stderr


def test_report_campaign_refuses_an_unknown_workflow_with_a_suggestion(db_url: str) -> None:
    seed_city(db_url)
    result = run_bargain("--db", db_url, "--lang", "en", "report", "campaign", "--year", "2026", "--workflow", "enterprise_wag")
    assert result.returncode == 1
    assert "enterprise_wage" in result.stderr and result.stderr.strip().count("\n") == 0


def test_an_unknown_jurisdiction_gets_a_did_you_mean_in_both_languages(db_url: str) -> None:
    en = run_bargain("--db", db_url, "--lang", "en", "org", "add", "330000", "浙江省总工会", "--kind", "province",
                     "--jurisdiction", "zhejang")
    zh = run_bargain("--db", db_url, "org", "add", "330000", "浙江省总工会", "--kind", "province", "--jurisdiction", "zhejang")
    assert en.returncode == zh.returncode == 1
    assert "did you mean 'zhejiang'" in en.stderr
    assert "是否要写 zhejiang" in zh.stderr


def test_a_bad_database_url_never_prints_its_password() -> None:
    result = run_bargain("--db", "postgresql+nosuchdriver://bargain:s3cret-pw@localhost/x", "case", "list")
    assert result.returncode == 4
    assert "s3cret-pw" not in result.stderr + result.stdout
    assert result.stderr.strip().count("\n") == 0
