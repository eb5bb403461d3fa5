"""Records people can trust, people scoped to a subtree: what a hostile acceptance test found, through the real
command. A refusal outside one's grants says nothing of the other subtree; logins cannot pass for one another."""

from __future__ import annotations

import json

import pytest

from tests.access.city import City, seed
from tests.conftest import Cli


@pytest.fixture
def city(db_url: str) -> City:
    return seed(db_url)


def one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    return lines[0]


@pytest.mark.parametrize("args", [
    ("case", "show", "{case}"), ("case", "timeline", "{case}"), ("case", "advance", "{case}", "send_offer"),
    ("case", "void", "{case}", "--reason", "x"), ("case", "amend", "{case}", "1", "--at", "2026-03-02", "--reason", "x"),
    ("case", "open", "{free}"), ("counselor", "summary", "{counselor}", "--year", "2026"),
])
def test_a_refusal_outside_every_grant_names_neither_the_place_nor_the_counselor(city: City, cli: Cli,
                                                                                  args: tuple[str, ...]) -> None:
    outside = city.outside
    filled = [a.format(case=outside.case, free=outside.free, counselor=outside.counselor) for a in args]
    for lang in ("en", "zh"):
        result = cli("--as", city.login("manager"), *filled, lang=lang)
        assert result.exit_code == 1, result.output
        line = one_line(result.stderr)
        assert "320506" not in line and "吴中" not in line, line  # the other district's code and name
        assert "manager" in line and "/320500/320505/" in line  # the rule: what they hold


def test_the_json_refusal_of_a_hidden_case_keeps_the_rule_and_drops_where_the_case_is(city: City, cli: Cli) -> None:
    result = cli("--as", city.login("manager"), "case", "show", str(city.outside.case), "--format", "json")
    assert result.exit_code == 1
    error = json.loads(result.stdout)["error"]
    assert error["rule"] == "permission.case.read" and error["required"]["action"] == "case.read"
    assert "org_path" not in error["required"] and "assigned_counselor" not in error["required"]
    assert "320506" not in result.stdout

def test_an_organisation_outside_the_grants_is_named_only_by_the_code_asked_for(city: City, cli: Cli) -> None:
    result = cli("--as", city.login("manager"), "report", "campaign", "--year", "2026", "--org", "320506")
    assert result.exit_code == 1
    line = one_line(result.stderr)
    assert "organisation 320506 is outside their grants" in line and "/320500/320506/" not in line
