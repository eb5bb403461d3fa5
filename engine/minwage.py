"""Statutory minimum wages: which published figure is in force at a place on a day, and whether a contract meets it.

Pure: the figures come in as data (parsed from the text of `data/minimum_wage.toml` by
`figures_from_toml_text`; reading the file is the registry's job). The lookup never guesses: a place no
notice in force lists, or a day before the first notice shipped, is "unknown", never the nearest figure.

Law: 集体合同中劳动报酬和劳动条件等标准不得低于当地人民政府规定的最低标准 (劳动合同法 第五十五条); the figure
itself is whatever the provincial notice in force says, and the verdict cites that notice.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from engine.contract import ContractTerms
from engine.errors import DataError, SetupError

LCL55 = "劳动合同法 第五十五条"

Status = Literal["ok", "below", "unknown"]


@dataclass(frozen=True)
class MinWageFigure:
    """One monthly minimum wage a notice sets for one region (a GB/T 2260 code), from its effective date."""

    jurisdiction: str  # the code prefix of the government that issues the notice ("32" = 江苏省)
    region: str  # six-digit GB/T 2260 code of the place the figure applies to ("320500" = 苏州市)
    region_name: str
    tier: str  # 一类 / 二类 / ... as the notice names it; "" where one figure covers the whole jurisdiction
    monthly_yuan: Decimal
    effective: date
    notice: str  # the notice's title and document number
    tier_source: str = ""  # where the place-to-tier mapping was read, when it is not the notice itself
    tier_inferred: bool = False  # the tier was carried over from an earlier table, not read in this notice's own
    until: date | None = None  # the day the next notice of the same government took effect (exclusive)

    @property
    def prefix(self) -> str:
        """The region code without its trailing zero pairs: 320500 → 3205, 310000 → 31."""
        return _prefix(self.region)

    def cite(self) -> str:
        """The figure's source in one line."""
        where = f"{self.region_name}{self.tier}" if self.tier else self.region_name
        text = f"{self.notice}，{where}月最低工资标准{self.monthly_yuan}元，自{self.effective.isoformat()}起执行"
        if self.tier_source:
            text += f"（类别依据：{self.tier_source}）"
        return text


@dataclass(frozen=True)
class MinWageVerdict:
    """The outcome of `check_min_wage`: ok, below or unknown, with the figure and the sources cited."""

    status: Status
    agreed: Decimal | None
    statutory: Decimal | None
    figure: MinWageFigure | None
    zh: str
    en: str
    source: str

    def as_json(self) -> dict[str, Any]:
        """The stable JSON form."""
        return {
            "status": self.status,
            "agreed": None if self.agreed is None else str(self.agreed),
            "statutory": None if self.statutory is None else str(self.statutory),
            "effective": self.figure.effective.isoformat() if self.figure else None,
            "region": self.figure.region if self.figure else None,
            "message_zh": self.zh,
            "message_en": self.en,
            "source": self.source,
        }


def _prefix(code: str) -> str:
    while code.endswith("00") and len(code) > 2:
        code = code[:-2]
    return code


def place_code(place: str) -> str:
    """A place as its six-digit GB/T 2260 code; a 9- or 12-digit statistical code is cut to its first six digits."""
    text = place.strip()
    if not text.isdigit() or len(text) not in (2, 4, 6, 9, 12):
        raise DataError(f"地区代码应为 GB/T 2260 六位数字：{place!r}", f"a place must be a six-digit GB/T 2260 code: {place!r}",
                        rule="minwage.place", source="GB/T 2260", actual=place)
    return text[:6].ljust(6, "0")


def figure_in_force(figures: Sequence[MinWageFigure], place: str, on: date, *,
                    allow_inferred_tier: bool = False) -> MinWageFigure | None:
    """The figure in force at `place` on `on`, or None when the data does not say (never the nearest guess).

    A figure counts from its notice's effective date until the next notice of the same government takes
    effect (`until`); among those in force the most specific region wins. A place the notice in force does
    not list is unknown, even if an older notice listed it. Tiers carried over from an earlier table count
    only when asked for.
    """
    code = place_code(place)
    current = [f for f in figures
               if f.effective <= on and (f.until is None or on < f.until) and code.startswith(f.prefix)]
    if not allow_inferred_tier:
        current = [f for f in current if not f.tier_inferred]
    if not current:
        return None
    return max(current, key=lambda f: (len(f.prefix), f.effective))


def check_min_wage(terms: ContractTerms, figures: Sequence[MinWageFigure], place: str, on: date, *,
                   allow_inferred_tier: bool = False) -> MinWageVerdict:
    """Whether the agreed enterprise minimum wage is at least the statutory figure in force (LCL art. 55)."""
    agreed = terms.enterprise_min_wage
    figure = figure_in_force(figures, place, on, allow_inferred_tier=allow_inferred_tier)
    code = place_code(place)
    if figure is None:
        return MinWageVerdict(
            "unknown", agreed, None, None,
            f"{code} 在 {on.isoformat()} 执行的最低工资标准未知（未收录该地的公布标准），不作推测",
            f"the minimum wage in force at {code} on {on.isoformat()} is unknown (no published figure on file); not guessed",
            LCL55,
        )
    source = f"{LCL55}；{figure.cite()}"
    if agreed is None:
        return MinWageVerdict(
            "unknown", None, figure.monthly_yuan, figure,
            f"协议未约定企业最低工资，无法与当地标准 {figure.monthly_yuan} 元/月比较",
            f"the agreement states no enterprise minimum wage to compare with the local {figure.monthly_yuan} yuan/month",
            source,
        )
    if agreed < figure.monthly_yuan:
        return MinWageVerdict(
            "below", agreed, figure.monthly_yuan, figure,
            f"企业最低工资 {agreed} 元/月低于当地最低工资标准 {figure.monthly_yuan} 元/月",
            f"the enterprise minimum wage {agreed} yuan/month is below the local minimum wage {figure.monthly_yuan} yuan/month",
            source,
        )
    return MinWageVerdict(
        "ok", agreed, figure.monthly_yuan, figure,
        f"企业最低工资 {agreed} 元/月不低于当地最低工资标准 {figure.monthly_yuan} 元/月",
        f"the enterprise minimum wage {agreed} yuan/month is at least the local minimum wage {figure.monthly_yuan} yuan/month",
        source,
    )


def _setup(where: str, zh: str, en: str) -> SetupError:
    return SetupError(f"最低工资数据 {where}：{zh}", f"minimum-wage data {where}: {en}", rule="minwage.data")


def _figures_of(notice: dict[str, Any], n: int) -> Iterable[MinWageFigure]:
    where = f"notice #{n}"
    try:
        jurisdiction = str(notice["jurisdiction"])
        title = str(notice["title"])
        effective = notice["effective"]
        tiers = notice.get("tiers", {})
        places = notice.get("place", [])
    except KeyError as exc:
        raise _setup(where, f"缺少 {exc.args[0]}", f"{exc.args[0]} is missing") from None
    if not isinstance(effective, date) or not jurisdiction.isdigit() or not isinstance(tiers, dict):
        raise _setup(where, "effective 应为日期、jurisdiction 应为数字代码、tiers 应为表",
                     "effective must be a date, jurisdiction a numeric code, tiers a table")
    for tier, yuan in tiers.items():
        if isinstance(yuan, bool) or not isinstance(yuan, (int, float)) or yuan <= 0:
            raise _setup(where, f"类别 {tier} 的金额应为正数：{yuan!r}", f"tier {tier}'s amount must be a positive number: {yuan!r}")
    for place in places:
        code, tier = str(place.get("code", "")), str(place.get("tier", ""))
        if not (code.isdigit() and len(code) == 6 and code.startswith(jurisdiction)):
            raise _setup(where, f"地区代码 {code!r} 不是本辖区的六位代码", f"place code {code!r} is not a six-digit code in {jurisdiction}")
        if tier not in tiers:
            raise _setup(where, f"{code} 的类别 {tier!r} 不在 tiers 中", f"{code}'s tier {tier!r} is not in tiers")
        yield MinWageFigure(
            jurisdiction=jurisdiction, region=code, region_name=str(place.get("name", code)), tier=tier,
            monthly_yuan=Decimal(str(tiers[tier])), effective=effective, notice=title,
            tier_source=str(place.get("tier_source", "")), tier_inferred=bool(place.get("tier_inferred", False)),
        )


def figures_from_toml_text(text: str) -> list[MinWageFigure]:
    """Parse the text of data/minimum_wage.toml into figures, one per listed place; SetupError when it is broken."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _setup("", f"不是有效的 TOML（{exc}）", f"is not valid TOML ({exc})") from None
    notices = raw.get("notice", [])
    if not isinstance(notices, list):
        raise _setup("", "notice 应为表数组 [[notice]]", "notice must be an array of tables [[notice]]")
    out: list[MinWageFigure] = []
    for n, notice in enumerate(notices, start=1):
        out.extend(_figures_of(notice, n))
    # A notice supersedes every earlier one of the same government, listed places or not.
    starts: dict[str, list[date]] = {}
    for notice in notices:
        starts.setdefault(str(notice["jurisdiction"]), []).append(notice["effective"])
    for days in starts.values():
        if len(set(days)) != len(days):
            raise _setup("", "同一辖区两份通知同日生效", "two notices of one government take effect on the same day")
    return [replace(f, until=min((d for d in starts[f.jurisdiction] if d > f.effective), default=None)) for f in out]
