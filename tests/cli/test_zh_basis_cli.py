"""The legal basis a timeline gives for a step is Chinese all the way in zh: a check whose source explains rather
than cites (`the profile's max_reps`) has its Chinese text (`source_zh` in the workflow file), from the real
command line in every timeline format; English stays English."""

from __future__ import annotations

import re

import pytest

from engine import registry
from engine.outputs.render import basis_text
from tests.conftest import Cli, seed_city
from tests.helpers.cli_walk import STEPS, open_case, walk

ZH_REPS = "地区配置的每方协商代表人数上限（国家未规定上限，见《集体合同规定》第十九条）"


@pytest.fixture
def elected(cli: Cli) -> int:
    case = open_case(cli, seed_city(cli.url)["union"])
    walk(cli, case, STEPS[:4])
    return case


@pytest.mark.parametrize("fmt", ["text", "md", "html"])
def test_the_zh_timeline_gives_the_basis_of_electing_representatives_in_chinese(cli: Cli, elected: int, fmt: str) -> None:
    result = cli("case", "timeline", str(elected), "--format", fmt, lang="zh")
    assert result.exit_code == 0, result.output
    out = re.sub(r"\s*[│|]\s*", "", result.stdout) if fmt == "text" else result.stdout  # a table cell wraps
    out = re.sub(r"\n\s*", "", out) if fmt == "text" else out
    assert "profile" not in out and "max_reps" not in out and "frontline_share" not in out
    assert ZH_REPS in out
    assert "地区配置的职工方一线职工代表比例" in out


def test_the_en_timeline_keeps_the_source_as_written(cli: Cli, elected: int) -> None:
    result = cli("case", "timeline", str(elected), "--format", "md", lang="en")
    assert result.exit_code == 0, result.output
    assert "the profile's max_reps (no national maximum, 集体合同规定 art. 19)" in result.stdout
    assert "地区配置" not in result.stdout
    # English punctuation all the way in en: "send the offer (send_offer): targeted → offer sent", "...; basis: ..."
    assert "(send_offer): " in result.stdout and "（send_offer）" not in result.stdout
    assert "; basis: " in result.stdout and "；basis" not in result.stdout


def test_every_shipped_check_has_a_chinese_basis() -> None:
    # Only identifiers the zh documents keep (DOMAIN §3) may be Latin; an English explanation needs its source_zh.
    for key, spec in registry.specs().items():
        for t in spec.transitions.values():
            basis = basis_text(t, "zh").replace("DOMAIN", "")
            assert not re.search(r"[A-Za-z]{2,}", basis), f"{key} {t.trigger}: {basis}"


def test_workflow_show_cites_the_checks_and_params_in_chinese(cli: Cli) -> None:
    result = cli("workflow", "show", "enterprise_wage", lang="zh")
    assert result.exit_code == 0, result.output
    out = re.sub(r"\s*│\s*", "", result.stdout)
    assert "profile" not in out and " art. " not in out
    assert "《集体合同规定》第十九条" in out and "依据" in out
