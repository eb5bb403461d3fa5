"""A wage agreement's terms as data (LEGAL.md §C.2 to §C.4), parsed and checked from a plain mapping.

Pure: no files, no clock. The nine items of WCB art. 7 and the factors of WCB art. 8 carry stable English
ids and the law's own words (工资集体协商试行办法, 劳动保障部令第9号, read at mohrss.gov.cn via LEGAL.md §D).
Money is `Decimal` yuan: a comparison with a minimum wage must not be off by a float rounding.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from engine.errors import DataError, did_you_mean

WCB7 = "工资集体协商试行办法 第七条"
WCB8 = "工资集体协商试行办法 第八条"
CCR38 = "集体合同规定 第三十八条"

# WCB art. 7: 工资集体协商一般包括以下内容 (the law's words, in its order).
WCB7_ITEMS: dict[str, str] = {
    "term": "工资协议的期限",
    "pay_system": "工资分配制度、工资标准和工资分配形式",
    "annual_wage": "职工年度平均工资水平及其调整幅度",
    "bonus_allowances": "奖金、津贴、补贴等分配办法",
    "payment": "工资支付办法",
    "change_procedure": "变更、解除工资协议的程序",
    "termination": "工资协议的终止条件",
    "breach_liability": "工资协议的违约责任",
    "other": "双方认为应当协商约定的其他事项",
}

# WCB art. 8: 协商确定职工年度工资水平……综合参考下列因素.
WCB8_FACTORS: dict[str, str] = {
    "labour_cost": "地区、行业、企业的人工成本水平",
    "average_wage": "地区、行业的职工平均工资水平",
    "wage_guideline": "当地政府发布的工资指导线、劳动力市场工资指导价位",
    "cpi": "本地区城镇居民消费价格指数",
    "productivity": "企业劳动生产率和经济效益",
    "state_assets": "国有资产保值增值",
    "last_year_wages": "上年度企业职工工资总额和职工平均工资水平",
    "other": "其他与工资集体协商有关的情况",
}

# Ranges we accept as plausible input, not legal limits: a typo (a yearly figure typed as monthly) is refused.
MAX_MONTHLY_YUAN = Decimal("1000000")
MAX_YEARLY_YUAN = Decimal("100000000")
MIN_ADJUSTMENT_PCT = Decimal("-100")
MAX_ADJUSTMENT_PCT = Decimal("1000")
# A collective contract runs 1 to 3 years (CCR 38); a wage agreement is bargained yearly (WCB 24).
MAX_TERM_DAYS = 3 * 366

_TEXT_FIELDS = (
    "pay_system", "pay_standards", "overtime_pay", "allowances", "bonus", "special_period_pay", "pay_method",
    "change_procedure", "termination_conditions", "breach_liability", "dispute_clause",
)
_KNOWN = {
    "start", "end", "annual_average_wage", "wage_adjustment_pct", "annual_wage_bill", "enterprise_min_wage",
    "pay_day", "items", "factors", *_TEXT_FIELDS,
}


@dataclass(frozen=True)
class ContractTerms:
    """The agreed terms of one wage special contract (工资专项集体合同), field by field as in LEGAL.md §C.4."""

    start: date | None = None
    end: date | None = None
    pay_system: str = ""
    pay_standards: str = ""
    annual_average_wage: Decimal | None = None  # yuan per year
    wage_adjustment_pct: Decimal | None = None  # 增长幅度, per cent
    annual_wage_bill: Decimal | None = None  # 工资总额, yuan per year
    enterprise_min_wage: Decimal | None = None  # yuan per month
    overtime_pay: str = ""
    allowances: str = ""
    bonus: str = ""
    special_period_pay: str = ""
    pay_day: int | None = None  # day of the month
    pay_method: str = ""
    change_procedure: str = ""
    termination_conditions: str = ""
    breach_liability: str = ""
    dispute_clause: str = ""
    items: frozenset[str] = field(default_factory=frozenset)
    factors: frozenset[str] = field(default_factory=frozenset)

    @property
    def has_concrete_numbers(self) -> bool:
        """True when the agreement states both a wage adjustment and an enterprise minimum wage as numbers."""
        return self.wage_adjustment_pct is not None and self.enterprise_min_wage is not None

    def missing_items(self) -> list[str]:
        """WCB art. 7 item ids the agreement does not cover, in the law's order."""
        return [item for item in WCB7_ITEMS if item not in self.items]

    def as_json(self) -> dict[str, Any]:
        """The stable JSON form: dates ISO, money as decimal strings (exact), items and factors sorted in law order."""
        def money(value: Decimal | None) -> str | None:
            return None if value is None else str(value)

        return {
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "pay_system": self.pay_system,
            "pay_standards": self.pay_standards,
            "annual_average_wage": money(self.annual_average_wage),
            "wage_adjustment_pct": money(self.wage_adjustment_pct),
            "annual_wage_bill": money(self.annual_wage_bill),
            "enterprise_min_wage": money(self.enterprise_min_wage),
            "overtime_pay": self.overtime_pay,
            "allowances": self.allowances,
            "bonus": self.bonus,
            "special_period_pay": self.special_period_pay,
            "pay_day": self.pay_day,
            "pay_method": self.pay_method,
            "change_procedure": self.change_procedure,
            "termination_conditions": self.termination_conditions,
            "breach_liability": self.breach_liability,
            "dispute_clause": self.dispute_clause,
            "items": [item for item in WCB7_ITEMS if item in self.items],
            "factors": [factor for factor in WCB8_FACTORS if factor in self.factors],
        }


def _bad(key: str, zh_what: str, en_what: str, value: object, *, rule: str = "contract.field", source: str = "") -> DataError:
    return DataError(
        f"合同条款 {key} {zh_what}：{value!r}",
        f"contract term {key} {en_what}: {value!r}",
        rule=rule,
        source=source or "LEGAL.md §C.4",
        actual=value,
    )


def _date(key: str, value: object) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise _bad(key, "不是日期（应为 YYYY-MM-DD）", "is not a date (expected YYYY-MM-DD)", value)


def _money(key: str, value: object, low: Decimal, high: Decimal) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise _bad(key, "不是数字", "is not a number", value)
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        raise _bad(key, "不是数字", "is not a number", value) from None
    if not number.is_finite() or not low <= number <= high:
        raise _bad(key, f"超出范围 {low}–{high}", f"is out of range {low}-{high}", value, rule="contract.range")
    return number


def _text(key: str, value: object) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _bad(key, "应为文字", "must be text", value)
    return value.strip()


def _ids(key: str, value: object, known: dict[str, str], source: str) -> frozenset[str]:
    if value is None:
        return frozenset()
    if isinstance(value, str) or not isinstance(value, (list, tuple, set, frozenset)):
        raise _bad(key, "应为编号列表", "must be a list of ids", value)
    unknown = [v for v in value if v not in known]
    if unknown:
        guess = did_you_mean(str(unknown[0]), tuple(known))
        error = _bad(key, "含未知编号", "has unknown ids", unknown, rule="contract.ids", source=source)
        if guess:
            error.hint_zh, error.hint_en = f"是否为 {guess}？", f"did you mean {guess}?"
        raise error
    return frozenset(value)


def terms_from_mapping(data: dict[str, Any]) -> ContractTerms:
    """Build `ContractTerms` from a plain mapping (TOML, JSON, a form), refusing wrong types and ranges with DataError."""
    if not isinstance(data, dict):
        raise _bad("(root)", "应为键值表", "must be a mapping", data)
    unknown = sorted(set(data) - _KNOWN)
    if unknown:
        guess = did_you_mean(unknown[0], tuple(sorted(_KNOWN)))
        error = _bad(unknown[0], "不是已知条款", "is not a known term", unknown, rule="contract.unknown_field")
        if guess:
            error.hint_zh, error.hint_en = f"是否为 {guess}？", f"did you mean {guess}?"
        raise error
    start = _date("start", data.get("start"))
    end = _date("end", data.get("end"))
    if start and end:
        if end < start:
            raise _bad("end", "早于起始日期", "is before the start date", end.isoformat(), rule="contract.term")
        if (end - start).days > MAX_TERM_DAYS:
            raise _bad("end", "期限超过三年", "makes a term longer than three years", end.isoformat(),
                       rule="contract.term", source=CCR38)
    pay_day = data.get("pay_day")
    if pay_day is not None and (isinstance(pay_day, bool) or not isinstance(pay_day, int) or not 1 <= pay_day <= 31):
        raise _bad("pay_day", "应为 1–31 的整数", "must be a whole number 1-31", pay_day, rule="contract.range")
    text = {key: _text(key, data.get(key)) for key in _TEXT_FIELDS}
    return ContractTerms(
        start=start,
        end=end,
        annual_average_wage=_money("annual_average_wage", data.get("annual_average_wage"), Decimal(0), MAX_YEARLY_YUAN),
        wage_adjustment_pct=_money("wage_adjustment_pct", data.get("wage_adjustment_pct"),
                                   MIN_ADJUSTMENT_PCT, MAX_ADJUSTMENT_PCT),
        annual_wage_bill=_money("annual_wage_bill", data.get("annual_wage_bill"), Decimal(0), Decimal("1e13")),
        enterprise_min_wage=_money("enterprise_min_wage", data.get("enterprise_min_wage"), Decimal(0), MAX_MONTHLY_YUAN),
        pay_day=pay_day,
        items=_ids("items", data.get("items"), WCB7_ITEMS, WCB7),
        factors=_ids("factors", data.get("factors"), WCB8_FACTORS, WCB8),
        pay_system=text["pay_system"],
        pay_standards=text["pay_standards"],
        overtime_pay=text["overtime_pay"],
        allowances=text["allowances"],
        bonus=text["bonus"],
        special_period_pay=text["special_period_pay"],
        pay_method=text["pay_method"],
        change_procedure=text["change_procedure"],
        termination_conditions=text["termination_conditions"],
        breach_liability=text["breach_liability"],
        dispute_clause=text["dispute_clause"],
    )
