"""A contract quality score (集体合同质量年) that explains itself: each point, its weight, what it earned and why.

Pure: the facts come in as a plain dataclass (the use case gathers them: the minimum-wage verdict from
`engine.minwage`, the reference match from `engine.similarity`, on-time flags from the deadline engine,
which knows local calendars); the weights and sources come from the text of `workflows/quality.toml`.
Points are scored in `Decimal` to the cent, so the parts add up to the total exactly.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from engine.contract import WCB7_ITEMS, ContractTerms
from engine.errors import SetupError
from engine.minwage import MinWageVerdict
from engine.similarity import ReferenceMatch

CENT = Decimal("0.01")
# WCB art. 7 (九) "双方认为应当协商约定的其他事项" is optional by its nature: eight items are required.
REQUIRED_ITEMS = tuple(item for item in WCB7_ITEMS if item != "other")


@dataclass(frozen=True)
class QualityPoint:
    """One scored point as the spec defines it."""

    id: str
    zh: str
    en: str
    weight: int
    source: str


@dataclass(frozen=True)
class QualitySpec:
    """The weights, sources and thresholds of the score (workflows/quality.toml)."""

    version: int
    points: tuple[QualityPoint, ...]
    copy_threshold: float
    copy_threshold_source: str
    min_rounds: int


@dataclass(frozen=True)
class QualityFacts:
    """What is known about one agreement and how it was made; None where a fact is not known."""

    terms: ContractTerms
    min_wage: MinWageVerdict | None = None
    reference_match: ReferenceMatch | None = None
    opinions_collected: bool = False
    rounds_held: int = 0
    congress_members: int = 0  # all representatives (or all staff), the base of CCR 36
    congress_present: int = 0
    filed_on_time: bool | None = None
    published_on_time: bool | None = None


@dataclass(frozen=True)
class ScorePart:
    """One point of the score: its weight, what it earned, its source, and why."""

    id: str
    zh: str
    en: str
    weight: int
    earned: Decimal
    source: str
    detail_zh: str
    detail_en: str


@dataclass(frozen=True)
class QualityScore:
    """The parts and their total out of 100."""

    parts: tuple[ScorePart, ...]
    total: Decimal

    def as_json(self) -> dict[str, Any]:
        """The stable JSON form: amounts as decimal strings."""
        return {
            "total": str(self.total),
            "out_of": sum(p.weight for p in self.parts),
            "parts": [
                {"id": p.id, "zh": p.zh, "en": p.en, "weight": p.weight, "earned": str(p.earned),
                 "source": p.source, "detail_zh": p.detail_zh, "detail_en": p.detail_en}
                for p in self.parts
            ],
        }


# Each evaluator returns (share of the weight earned, 0 to 1; detail in zh; detail in en).
Verdict = tuple[Decimal, str, str]


def _items(facts: QualityFacts, spec: QualitySpec) -> Verdict:
    missing = [item for item in REQUIRED_ITEMS if item not in facts.terms.items]
    share = Decimal(len(REQUIRED_ITEMS) - len(missing)) / len(REQUIRED_ITEMS)
    if not missing:
        return share, "第七条所列八项内容均已约定", "all eight items of WCB art. 7 are covered"
    return (share, "缺少：" + "、".join(WCB7_ITEMS[m] for m in missing),
            f"missing {len(missing)} of {len(REQUIRED_ITEMS)}: " + ", ".join(missing))


def _numbers(facts: QualityFacts, spec: QualitySpec) -> Verdict:
    t = facts.terms
    checks = {
        "wage_adjustment_pct": ("工资调整幅度", t.wage_adjustment_pct is not None),
        "enterprise_min_wage": ("企业最低工资", t.enterprise_min_wage is not None),
        "pay_day": ("发薪日", t.pay_day is not None),
        "annual_average_wage": ("年平均工资", t.annual_average_wage is not None),
    }
    absent = [key for key, (_, present) in checks.items() if not present]
    share = Decimal(len(checks) - len(absent)) / len(checks)
    if not absent:
        return share, "增长幅度、企业最低工资、发薪日、年平均工资均有具体数额", "all four numbers are stated"
    return (share, "未约定具体数额：" + "、".join(checks[a][0] for a in absent),
            "no number for " + ", ".join(absent))


def _min_wage(facts: QualityFacts, spec: QualitySpec) -> Verdict:
    verdict = facts.min_wage
    if verdict is None:
        return Decimal(0), "未核对最低工资标准", "the minimum wage was not checked"
    share = Decimal(1) if verdict.status == "ok" else Decimal(0)
    return share, f"{verdict.zh}（{verdict.source}）", f"{verdict.status}: {verdict.en}"


def _not_copied(facts: QualityFacts, spec: QualitySpec) -> Verdict:
    match = facts.reference_match
    if match is None or match.jaccard < spec.copy_threshold:
        return Decimal(1), "与参考文本不雷同", "no reference text matched"
    close = f"与参考文本 {match.reference} 的相似度 {match.jaccard:.2f}（阈值 {spec.copy_threshold}）"
    close_en = f"matches reference {match.reference} at {match.jaccard:.2f} (threshold {spec.copy_threshold})"
    # "Copied template" = near-identical to a reference AND the specific terms left out (policy: 具体性).
    if not facts.terms.has_concrete_numbers:
        return (Decimal(0), close + "，且未约定工资调整幅度或企业最低工资的具体数额：照抄照搬参考文本",
                close_en + " and states no wage adjustment or enterprise minimum wage: a copied template")
    return Decimal(1), close + "，但约定了本企业的具体数额", close_en + " but states its own numbers"


def _opinions(facts: QualityFacts, spec: QualitySpec) -> Verdict:
    if facts.opinions_collected:
        return Decimal(1), "已征求职工意见", "staff opinions were collected"
    return Decimal(0), "未记录征求职工意见", "no record of staff opinions collected"


def _rounds(facts: QualityFacts, spec: QualitySpec) -> Verdict:
    held = max(facts.rounds_held, 0)
    share = Decimal(min(held, spec.min_rounds)) / spec.min_rounds
    return share, f"召开协商会议 {held} 次（满分需 {spec.min_rounds} 次）", f"{held} meeting(s) held ({spec.min_rounds} for full marks)"


def _congress(facts: QualityFacts, spec: QualitySpec) -> Verdict:
    members, present = facts.congress_members, facts.congress_present
    if members <= 0:
        return Decimal(0), "无职代会表决记录", "no congress vote on record"
    # 三分之二以上 includes two thirds exactly (民法典 1259), counted against all members (LEGAL.md §0).
    ok = present * 3 >= members * 2
    detail = f"应到 {members} 人，实到 {present} 人"
    if ok:
        return Decimal(1), detail + "，达到三分之二", f"{present} of {members} present: at least two thirds"
    return Decimal(0), detail + "，不足三分之二", f"{present} of {members} present: under two thirds"


def _on_time(flag: bool | None, zh: str, en: str) -> Verdict:
    if flag is None:
        return Decimal(0), f"{zh}日期未知", f"{en} date unknown"
    if flag:
        return Decimal(1), f"已按期{zh}", f"{en} on time"
    return Decimal(0), f"逾期{zh}", f"{en} late"


EVALUATORS: dict[str, Callable[[QualityFacts, QualitySpec], Verdict]] = {
    "items_covered": _items,
    "concrete_numbers": _numbers,
    "min_wage_met": _min_wage,
    "not_copied": _not_copied,
    "opinions_collected": _opinions,
    "rounds_held": _rounds,
    "congress_attendance": _congress,
    "filed_on_time": lambda f, s: _on_time(f.filed_on_time, "报送审查", "filed"),
    "published_on_time": lambda f, s: _on_time(f.published_on_time, "公布", "published"),
}


def score(facts: QualityFacts, spec: QualitySpec) -> QualityScore:
    """Score one agreement: every point of the spec with its weight, earned share, source and reason."""
    parts = []
    for point in spec.points:
        share, detail_zh, detail_en = EVALUATORS[point.id](facts, spec)
        earned = (point.weight * share).quantize(CENT, rounding=ROUND_HALF_UP)
        parts.append(ScorePart(point.id, point.zh, point.en, point.weight, earned, point.source, detail_zh, detail_en))
    return QualityScore(tuple(parts), sum((p.earned for p in parts), Decimal(0)))


def _broken(zh: str, en: str) -> SetupError:
    return SetupError(f"质量评分定义 workflows/quality.toml：{zh}", f"quality spec workflows/quality.toml: {en}",
                      rule="quality.spec")


def quality_spec_from_toml_text(text: str) -> QualitySpec:
    """Parse the text of workflows/quality.toml: every known point once, a source for each, weights adding to 100."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _broken(f"不是有效的 TOML（{exc}）", f"not valid TOML ({exc})") from None
    points = []
    for n, entry in enumerate(raw.get("point", []), start=1):
        pid = entry.get("id")
        if pid not in EVALUATORS:
            raise _broken(f"第 {n} 个 point 的 id {pid!r} 未知", f"point #{n} has unknown id {pid!r}")
        weight, source = entry.get("weight"), entry.get("source")
        if isinstance(weight, bool) or not isinstance(weight, int) or weight < 0:
            raise _broken(f"{pid} 的 weight 应为非负整数", f"{pid}'s weight must be a non-negative whole number")
        if not isinstance(source, str) or not source.strip():
            raise _broken(f"{pid} 缺少 source", f"{pid} has no source")
        points.append(QualityPoint(pid, str(entry.get("zh", pid)), str(entry.get("en", pid)), weight, source))
    ids = [p.id for p in points]
    missing = sorted(set(EVALUATORS) - set(ids))
    if missing or len(set(ids)) != len(ids):
        raise _broken(f"每个评分项须恰好出现一次（缺少 {missing}）", f"each point must appear exactly once (missing {missing})")
    total = sum(p.weight for p in points)
    if total != 100:
        raise _broken(f"权重合计为 {total}，应为 100", f"weights add up to {total}, not 100")
    threshold, rounds = raw.get("copy_threshold"), raw.get("min_rounds")
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0 < threshold <= 1:
        raise _broken("copy_threshold 应在 0 与 1 之间", "copy_threshold must be in (0, 1]")
    if isinstance(rounds, bool) or not isinstance(rounds, int) or rounds < 1:
        raise _broken("min_rounds 应为正整数", "min_rounds must be a positive whole number")
    return QualitySpec(
        version=int(raw.get("version", 1)),
        points=tuple(points),
        copy_threshold=float(threshold),
        copy_threshold_source=str(raw.get("copy_threshold_source", "")),
        min_rounds=rounds,
    )
