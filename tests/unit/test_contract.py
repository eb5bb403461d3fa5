"""engine.contract: a wage agreement's terms parsed from a mapping, refused with DataError when wrong."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from engine.contract import WCB7_ITEMS, WCB8_FACTORS, terms_from_mapping
from engine.errors import DataError

GOOD = {
    "start": "2025-01-01",
    "end": "2025-12-31",
    "pay_system": "岗位工资＋计件工资",
    "annual_average_wage": 86400,
    "wage_adjustment_pct": "6.5",
    "enterprise_min_wage": 2650,
    "pay_day": 15,
    "pay_method": "银行转账",
    "items": ["term", "pay_system", "annual_wage", "payment"],
    "factors": ["cpi", "productivity"],
}


def test_a_complete_mapping_becomes_terms_with_exact_money() -> None:
    terms = terms_from_mapping(GOOD)
    assert terms.start == date(2025, 1, 1) and terms.end == date(2025, 12, 31)
    assert terms.wage_adjustment_pct == Decimal("6.5") and terms.enterprise_min_wage == Decimal("2650")
    assert terms.has_concrete_numbers
    assert terms.missing_items() == ["bonus_allowances", "change_procedure", "termination", "breach_liability", "other"]


def test_the_json_form_lists_items_in_the_laws_order_and_money_as_strings() -> None:
    data = terms_from_mapping(GOOD).as_json()
    assert data["items"] == ["term", "pay_system", "annual_wage", "payment"]
    assert data["enterprise_min_wage"] == "2650" and data["start"] == "2025-01-01"


def test_the_nine_items_and_eight_factors_are_the_laws_words() -> None:
    assert len(WCB7_ITEMS) == 9 and WCB7_ITEMS["annual_wage"] == "职工年度平均工资水平及其调整幅度"
    assert len(WCB8_FACTORS) == 8 and WCB8_FACTORS["cpi"] == "本地区城镇居民消费价格指数"


@pytest.mark.parametrize(
    ("change", "rule"),
    [
        ({"start": "2025-13-01"}, "contract.field"),
        ({"enterprise_min_wage": "两千"}, "contract.field"),
        ({"enterprise_min_wage": -1}, "contract.range"),
        ({"wage_adjustment_pct": 5000}, "contract.range"),
        ({"pay_day": 32}, "contract.range"),
        ({"pay_day": True}, "contract.range"),
        ({"end": "2024-12-31"}, "contract.field"),
        ({"end": "2029-01-01"}, "contract.term"),
        ({"items": ["terms"]}, "contract.ids"),
        ({"pay_method": 3}, "contract.field"),
        ({"min_wage": 2650}, "contract.unknown_field"),
    ],
)
def test_a_wrong_type_or_range_is_refused_in_both_languages(change: dict[str, object], rule: str) -> None:
    with pytest.raises(DataError) as caught:
        terms_from_mapping({**GOOD, **change})
    error = caught.value
    assert error.zh and error.en and error.source
    if rule != "contract.field":
        assert error.rule == rule


def test_a_misspelt_item_gets_a_did_you_mean_hint() -> None:
    with pytest.raises(DataError) as caught:
        terms_from_mapping({"items": ["paymnet"]})
    assert "payment" in caught.value.hint_en and caught.value.source.startswith("工资集体协商试行办法")
