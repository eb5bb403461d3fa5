"""engine.quality: each point with its weight and source; the parts add up to the total out of 100."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.contract import WCB7_ITEMS, ContractTerms
from engine.errors import SetupError
from engine.minwage import check_min_wage, figures_from_toml_text
from engine.quality import EVALUATORS, QualityFacts, quality_spec_from_toml_text, score
from engine.similarity import ReferenceMatch

ROOT = Path(__file__).resolve().parents[2]
SPEC_TEXT = (ROOT / "workflows" / "quality.toml").read_text(encoding="utf-8")
SPEC = quality_spec_from_toml_text(SPEC_TEXT)
FIGURES = figures_from_toml_text((ROOT / "data" / "minimum_wage.toml").read_text(encoding="utf-8"))
MATCH = ReferenceMatch("reference", 0.95, 0.99, 0.8)

SPECIFIC = ContractTerms(
    start=date(2025, 1, 1), end=date(2025, 12, 31), annual_average_wage=Decimal("86400"),
    wage_adjustment_pct=Decimal("6.5"), enterprise_min_wage=Decimal("2650"), pay_day=15,
    items=frozenset(WCB7_ITEMS),
)
TEMPLATE = ContractTerms(items=frozenset(WCB7_ITEMS))


def _facts(terms: ContractTerms, **more: object) -> QualityFacts:
    verdict = check_min_wage(terms, FIGURES, "320500", date(2025, 6, 1))
    base: dict[str, object] = {"min_wage": verdict, "opinions_collected": True, "rounds_held": 3,
                               "congress_members": 60, "congress_present": 40, "filed_on_time": True,
                               "published_on_time": True}
    return QualityFacts(terms=terms, **{**base, **more})  # type: ignore[arg-type]


def test_the_shipped_spec_has_every_point_once_with_a_source_and_weights_adding_to_100() -> None:
    assert {p.id for p in SPEC.points} == set(EVALUATORS)
    assert sum(p.weight for p in SPEC.points) == 100
    assert all(p.source for p in SPEC.points) and SPEC.copy_threshold == 0.8


def test_a_specific_lawful_agreement_made_properly_scores_100() -> None:
    result = score(_facts(SPECIFIC), SPEC)
    assert result.total == Decimal(100)
    assert all(part.earned == part.weight for part in result.parts)


def test_a_copied_template_loses_the_not_copied_point_and_says_why() -> None:
    result = score(_facts(TEMPLATE, reference_match=MATCH), SPEC)
    part = next(p for p in result.parts if p.id == "not_copied")
    assert part.earned == 0 and "照抄照搬参考文本" in part.detail_zh and "copied template" in part.detail_en


def test_a_reference_match_with_its_own_numbers_is_not_a_copied_template() -> None:
    result = score(_facts(SPECIFIC, reference_match=MATCH), SPEC)
    assert next(p for p in result.parts if p.id == "not_copied").earned == 15


def test_a_minimum_wage_below_the_statutory_figure_earns_nothing_and_cites_lcl_55() -> None:
    low = ContractTerms(wage_adjustment_pct=Decimal(3), enterprise_min_wage=Decimal(2300))
    part = next(p for p in score(_facts(low), SPEC).parts if p.id == "min_wage_met")
    assert part.earned == 0 and "劳动合同法 第五十五条" in part.detail_zh


def test_exactly_two_thirds_of_the_congress_present_is_enough() -> None:
    at = next(p for p in score(_facts(SPECIFIC, congress_present=40), SPEC).parts if p.id == "congress_attendance")
    under = next(p for p in score(_facts(SPECIFIC, congress_present=39), SPEC).parts if p.id == "congress_attendance")
    assert at.earned == 10 and under.earned == 0


def test_the_json_form_carries_every_part() -> None:
    data = score(_facts(TEMPLATE), SPEC).as_json()
    assert data["out_of"] == 100 and len(data["parts"]) == len(SPEC.points)
    assert all({"id", "zh", "en", "weight", "earned", "source", "detail_zh", "detail_en"} <= set(p) for p in data["parts"])


@given(
    items=st.frozensets(st.sampled_from(list(WCB7_ITEMS))),
    pct=st.none() | st.decimals(min_value=-10, max_value=30, places=1),
    floor=st.none() | st.integers(min_value=1000, max_value=4000),
    pay_day=st.none() | st.integers(min_value=1, max_value=31),
    opinions=st.booleans(),
    rounds=st.integers(min_value=0, max_value=6),
    members=st.integers(min_value=0, max_value=300),
    present_share=st.floats(min_value=0, max_value=1),
    filed=st.none() | st.booleans(),
    published=st.none() | st.booleans(),
    copied=st.booleans(),
)
def test_score_parts_sum_to_the_total_and_stay_within_their_weights(
    items: frozenset[str], pct: Decimal | None, floor: int | None, pay_day: int | None, opinions: bool,
    rounds: int, members: int, present_share: float, filed: bool | None, published: bool | None, copied: bool,
) -> None:
    terms = ContractTerms(items=items, wage_adjustment_pct=pct, pay_day=pay_day,
                          enterprise_min_wage=None if floor is None else Decimal(floor))
    facts = _facts(terms, opinions_collected=opinions, rounds_held=rounds, congress_members=members,
                   congress_present=int(members * present_share), filed_on_time=filed, published_on_time=published,
                   reference_match=MATCH if copied else None)
    result = score(facts, SPEC)
    assert sum(p.earned for p in result.parts) == result.total
    assert all(0 <= p.earned <= p.weight for p in result.parts)
    assert 0 <= result.total <= 100


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("weight = 20", "weight = 21"),
        ('id = "rounds_held"', 'id = "rounds"'),
        ('source = "劳动合同法 第五十五条"', 'source = ""'),
        ("copy_threshold = 0.8", "copy_threshold = 1.5"),
        ("min_rounds = 2", "min_rounds = 0"),
        ("version = 1", "version = [1"),
    ],
)
def test_a_broken_quality_spec_is_a_setup_error(old: str, new: str) -> None:
    assert old in SPEC_TEXT
    with pytest.raises(SetupError):
        quality_spec_from_toml_text(SPEC_TEXT.replace(old, new, 1))
