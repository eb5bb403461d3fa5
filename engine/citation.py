"""Legal citations in archive language: "集体合同规定 art. 36" → 《集体合同规定》第三十六条. Pure.

Workflow files cite sources as `LAW art. N` (readable in diffs and in English); a document filed in Chinese writes
the law's title in book-title marks and the article in Chinese numerals, as the laws themselves do.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

DIGITS = "零一二三四五六七八九"


# Compiled on first use: a character class of CJK characters costs the regex compiler tens of milliseconds,
# which every command importing this module (any table or JSON output) paid at start-up.
@cache
def _arts() -> re.Pattern[str]:
    return re.compile(r"^(?P<law>.+?)\s+arts?\.\s*(?P<nums>\d+(?:\s*(?:,|，|–|—|-|and)\s*\d+)*)(?P<rest>.*)$", re.S)


@cache
def _chinese_art() -> re.Pattern[str]:
    return re.compile(r"^(?P<law>[^《\s；;]+?)\s*(?P<rest>第[零〇一二三四五六七八九十百千]+条.*)$", re.S)


def _has_cjk(text: str) -> bool:
    """Whether the text holds a CJK unified ideograph (U+4E00..U+9FFF)."""
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


# The abbreviations sources use (LEGAL.md): a Chinese reader gets the law's own title.
ABBREVIATIONS = {"WCB": "工资集体协商试行办法", "CCR": "集体合同规定", "LCL": "劳动合同法", "Civil Code": "民法典",
                 "Trade Union Law": "工会法", "EDM": "企业民主管理规定"}
_NUMS = r"\d+(?:\s*(?:,|，|–|—|-|and)\s*\d+)*"


@cache
def _in_text() -> re.Pattern[str]:
    """A citation inside a sentence: an abbreviation, or a Chinese title (in book-title marks, or a run of hanzi
    ending in 法/规定/办法/条例, so that 未满足集体合同规定 art. 36 cites 集体合同规定, not the whole run). Compiled
    on first use, as the patterns above."""
    return re.compile(
        r"(?P<law>\b(?:" + "|".join(map(re.escape, sorted(ABBREVIATIONS, key=len, reverse=True))) + r")\b"
        r"|《[^《》]+》"
        r"|(?:[\u4e00-\u9fff]{0,12}?(?:省|市|自治区))?(?:企业)?(?:工资集体协商|集体合同|劳动合同|企业民主管理|职工代表大会|工会|民)"
        r"[\u4e00-\u9fff]{0,6}?(?:试行办法|办法|规定|条例|法典|法))"
        r"\s*arts?\.\s*(?P<nums>" + _NUMS + r")")


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 36 → 三十六, 101 → 一百零一, 110 → 一百一十, 1259 → 一千二百五十九 (as statutes number articles)."""
    if n < 0:
        raise ValueError("a negative article number")
    if n == 0:
        return DIGITS[0]
    if n < 10:
        return DIGITS[n]
    if n < 20:
        return "十" + (DIGITS[n % 10] if n % 10 else "")
    out = ""
    zero = False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // value % 10
        if d:
            if zero and out:
                out += DIGITS[0]
            out += DIGITS[d] + unit
            zero = False
        elif out:
            zero = True
    return out


def _article(n: int) -> str:
    return f"第{chinese_number(n)}条"


def _articles(nums: str) -> str:
    """'36' → 第三十六条; '201–203' → 第二百零一条至第二百零三条; '21, 38' → 第二十一条、第三十八条."""
    parts = re.split(r"\s*(?:,|，|and)\s*", nums.strip())
    out = []
    for part in parts:
        ends = re.split(r"\s*[–—-]\s*", part)
        if len(ends) == 2:
            out.append(f"{_article(int(ends[0]))}至{_article(int(ends[1]))}")
        else:
            out.append(_article(int(ends[0])))
    return "、".join(out)


def _title(law: str) -> str:
    law = law.strip()
    if law.startswith("《") or not _has_cjk(law) or " " in law:
        return law
    return f"《{law}》"


def _one(part: str) -> str:
    m = _arts().match(part)
    if m and m["law"].strip() in ABBREVIATIONS:
        return f"《{ABBREVIATIONS[m['law'].strip()]}》{_articles(m['nums'])}{m['rest']}"
    if m and _has_cjk(m["law"]):
        return f"{_title(m['law'])}{_articles(m['nums'])}{m['rest']}"
    m = _chinese_art().match(part)
    if m and _has_cjk(m["law"]):
        return f"{_title(m['law'])}{m['rest']}"
    return part


def sides(source: str) -> tuple[str, str]:
    """A source written in both languages, 'zh / en' (事件按发生时间顺序记录 / events are kept in time order), as its
    Chinese and its English side: a reader is shown the one of their language. Any other source is both sides."""
    zh, sep, en = source.partition(" / ")
    if sep and _has_cjk(zh) and en.strip() and not _has_cjk(en):
        return zh.strip(), en.strip()
    return source, source


@lru_cache(maxsize=4096)  # a deadline list cites the same few rules on every row: each source is turned into Chinese once
def cite_zh(source: str) -> str:
    """A source as a Chinese document cites it (the Chinese side of a 'zh / en' one); each part of 'A art. 17; B art. 32'
    in turn, anything else as it is."""
    if not source:
        return source
    source = sides(source)[0]
    parts = re.split(r"\s*[;；]\s*", source.strip())
    return "；".join(_one(p) for p in parts if p)


def _law(law: str) -> str:
    law = law.strip()
    return f"《{ABBREVIATIONS[law]}》" if law in ABBREVIATIONS else _title(law)


def cite_in_text(text: str) -> str:
    """Every `LAW art. N` inside a Chinese sentence as a Chinese document cites it: 《工资集体协商试行办法》第二十条."""
    if "art" not in text:
        return text
    return _in_text().sub(lambda m: f"{_law(m['law'])}{_articles(m['nums'])}", text)


def cite(source: str, lang: str) -> str:
    """The source in the chosen language: archive Chinese for zh, as written for en (the English side of a 'zh / en' one)."""
    return cite_zh(source) if lang == "zh" else sides(source)[1]
