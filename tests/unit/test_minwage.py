"""engine.minwage: the figure in force at a place on a day, from the shipped data; unknown is never guessed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from engine.contract import ContractTerms
from engine.errors import DataError, SetupError
from engine.minwage import check_min_wage, figure_in_force, figures_from_toml_text

DATA = Path(__file__).resolve().parents[2] / "data" / "minimum_wage.toml"
FIGURES = figures_from_toml_text(DATA.read_text(encoding="utf-8"))
SUZHOU_WUZHONG = "320506"


def test_every_shipped_figure_names_its_notice_and_a_code_inside_its_province() -> None:
    assert FIGURES
    for figure in FIGURES:
        assert "通知" in figure.notice and figure.region.startswith(figure.jurisdiction) and len(figure.region) == 6


def test_suzhou_is_jiangsu_tier_one_at_2490_from_2024() -> None:
    figure = figure_in_force(FIGURES, SUZHOU_WUZHONG, date(2025, 6, 1))
    assert figure is not None and figure.monthly_yuan == Decimal("2490") and figure.tier == "一类"
    assert figure.effective == date(2024, 1, 1)


def test_the_day_before_a_notice_takes_effect_the_old_figure_still_applies() -> None:
    before = figure_in_force(FIGURES, "320500", date(2023, 12, 31))
    assert before is not None and before.monthly_yuan == Decimal("2280")


def test_a_day_before_the_first_notice_on_file_is_unknown() -> None:
    assert figure_in_force(FIGURES, "320500", date(2018, 7, 31)) is None


def test_a_tier_carried_over_from_an_older_table_counts_only_when_asked() -> None:
    assert figure_in_force(FIGURES, "320100", date(2025, 6, 1)) is None
    carried = figure_in_force(FIGURES, "320100", date(2025, 6, 1), allow_inferred_tier=True)
    assert carried is not None and carried.monthly_yuan == Decimal("2490") and "173号" in carried.tier_source
    read = figure_in_force(FIGURES, "320200", date(2019, 1, 1))
    assert read is not None and read.monthly_yuan == Decimal("2020") and not read.tier_inferred


def test_a_minimum_wage_below_the_figure_is_flagged_with_both_sources() -> None:
    verdict = check_min_wage(ContractTerms(enterprise_min_wage=Decimal("2400")), FIGURES, SUZHOU_WUZHONG, date(2025, 6, 1))
    assert verdict.status == "below" and verdict.statutory == Decimal("2490")
    assert "劳动合同法 第五十五条" in verdict.source and "关于调整全省最低工资标准的通知" in verdict.source
    assert "2400" in verdict.zh and "below" in verdict.en


def test_a_minimum_wage_equal_to_the_figure_is_ok() -> None:
    verdict = check_min_wage(ContractTerms(enterprise_min_wage=Decimal("2490")), FIGURES, "320500", date(2024, 1, 1))
    assert verdict.status == "ok"


def test_an_unknown_place_says_unknown_and_guesses_nothing() -> None:
    verdict = check_min_wage(ContractTerms(enterprise_min_wage=Decimal("1000")), FIGURES, "440300", date(2025, 6, 1))
    assert verdict.status == "unknown" and verdict.statutory is None and verdict.figure is None
    assert "未知" in verdict.zh and "unknown" in verdict.en


def test_henan_figures_without_their_annex_say_unknown() -> None:
    assert figure_in_force(FIGURES, "410100", date(2025, 6, 1)) is None


def test_an_agreement_without_a_minimum_wage_is_unknown_but_cites_the_figure() -> None:
    verdict = check_min_wage(ContractTerms(), FIGURES, "320500", date(2025, 6, 1))
    assert verdict.status == "unknown" and verdict.statutory == Decimal("2490")


def test_a_place_that_is_not_a_code_is_refused() -> None:
    with pytest.raises(DataError):
        figure_in_force(FIGURES, "苏州", date(2025, 6, 1))


def test_a_place_the_newer_notice_drops_is_unknown_not_the_superseded_figure() -> None:
    text = """
[[notice]]
jurisdiction = "32"
title = "旧通知"
effective = 2020-01-01
tiers = { "一类" = 2000 }
[[notice.place]]
code = "320100"
tier = "一类"

[[notice]]
jurisdiction = "32"
title = "新通知"
effective = 2022-01-01
tiers = { "一类" = 2200 }
"""
    figures = figures_from_toml_text(text)
    assert figure_in_force(figures, "320100", date(2021, 1, 1)) is not None
    assert figure_in_force(figures, "320100", date(2023, 1, 1)) is None


@pytest.mark.parametrize(
    "text",
    [
        "[[notice]\n",
        '[[notice]]\njurisdiction = "32"\neffective = 2020-01-01\n',
        '[[notice]]\njurisdiction = "32"\ntitle = "t"\neffective = 2020-01-01\ntiers = { "一类" = 2000 }\n'
        '[[notice.place]]\ncode = "330100"\ntier = "一类"\n',
        '[[notice]]\njurisdiction = "32"\ntitle = "t"\neffective = 2020-01-01\ntiers = { "一类" = "x" }\n',
    ],
)
def test_broken_minimum_wage_data_is_a_setup_error(text: str) -> None:
    with pytest.raises(SetupError):
        figures_from_toml_text(text)
