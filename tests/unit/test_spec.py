"""Workflow definitions: loading, variations, versions, and broken files refused as set-up problems."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine import registry
from engine.errors import NotFoundError, SetupError
from engine.machine import WorkflowMachine
from engine.spec import build_all

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "invalid_workflows"
WAGE = (Path(__file__).resolve().parents[2] / "workflows" / "enterprise_wage" / "v1.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["unknown_state", "check_without_source", "not_toml"])
def test_a_broken_definition_is_a_setup_error_naming_the_file(name: str) -> None:
    with pytest.raises(SetupError) as exc:
        build_all({f"{name}.toml": (FIXTURES / f"{name}.toml").read_text(encoding="utf-8")})
    assert name in exc.value.en
    assert exc.value.exit_code == 4


def test_a_check_that_names_no_rule_function_is_refused_when_compiled() -> None:
    specs = build_all({"unknown_rule.toml": (FIXTURES / "unknown_rule.toml").read_text(encoding="utf-8")})
    with pytest.raises(SetupError, match="no_such_rule"):
        WorkflowMachine(specs["broken@1"])


def test_the_collective_workflow_is_a_variation_of_the_wage_workflow() -> None:
    wage, coll = registry.spec("enterprise_wage@1"), registry.spec("enterprise_collective@1")
    assert coll.extends == "enterprise_wage@1"
    assert list(coll.states) == list(wage.states)
    assert coll.transitions == wage.transitions
    assert wage.params["filing_days"].value == 7 and coll.params["filing_days"].value == 10
    assert coll.params["filing_days"].source == "集体合同规定 art. 42"
    assert coll.params["renewal_window_days"].unit == "months"


def test_a_new_version_is_picked_up_without_engine_changes_and_old_cases_keep_theirs() -> None:
    v2 = WAGE.replace("version = 1", "version = 2").replace('reply_days = { value = 20', 'reply_days = { value = 25')
    specs = build_all({"w/v1.toml": WAGE, "w/v2.toml": v2})
    assert specs["enterprise_wage@1"].params["reply_days"].value == 20
    assert specs["enterprise_wage@2"].params["reply_days"].value == 25


def test_an_unknown_workflow_suggests_the_closest_name() -> None:
    with pytest.raises(NotFoundError) as exc:
        registry.spec("enterprise_wag")
    assert "enterprise_wage" in exc.value.hint_en


def test_every_check_names_a_legal_source() -> None:
    for spec in registry.specs().values():
        for t in spec.transitions.values():
            for c in t.checks:
                assert c.source.strip(), f"{spec.key} {t.trigger} {c.rule}"
