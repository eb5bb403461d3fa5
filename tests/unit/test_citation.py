"""Citations in archive language and the Chinese numerals of article numbers (pure, no database)."""

from __future__ import annotations

import pytest

from engine.citation import chinese_number, cite, cite_zh


@pytest.mark.parametrize("n, text", [
    (1, "一"), (10, "十"), (11, "十一"), (17, "十七"), (20, "二十"), (36, "三十六"), (100, "一百"), (101, "一百零一"),
    (110, "一百一十"), (203, "二百零三"), (1000, "一千"), (1005, "一千零五"), (1010, "一千零一十"), (1259, "一千二百五十九"),
])
def test_article_numbers_are_written_as_statutes_write_them(n: int, text: str) -> None:
    assert chinese_number(n) == text


@pytest.mark.parametrize("source, zh", [
    ("集体合同规定 art. 36", "《集体合同规定》第三十六条"),
    ("工资集体协商试行办法 art. 17; 集体合同规定 art. 32", "《工资集体协商试行办法》第十七条；《集体合同规定》第三十二条"),
    ("集体合同规定 art. 32：自收到要约之日起20日", "《集体合同规定》第三十二条：自收到要约之日起20日"),
    ("民法典 arts. 201–203", "《民法典》第二百零一条至第二百零三条"),
    ("山东省企业工资集体协商条例 arts. 21, 38", "《山东省企业工资集体协商条例》第二十一条、第三十八条"),
    ("劳动合同法 第五十五条", "《劳动合同法》第五十五条"),
    ("集体合同规定 第四条（主要采取协商会议的形式）、第三十四条", "《集体合同规定》第四条（主要采取协商会议的形式）、第三十四条"),
    ("集体合同规定 art. 35; the profile's suspension_max_days", "《集体合同规定》第三十五条；the profile's suspension_max_days"),
    ("DOMAIN §9", "DOMAIN §9"),
    ("", ""),
])
def test_a_source_is_cited_with_book_title_marks_and_chinese_article_numbers(source: str, zh: str) -> None:
    assert cite_zh(source) == zh


def test_english_keeps_the_source_as_written() -> None:
    assert cite("集体合同规定 art. 36", "en") == "集体合同规定 art. 36"
    assert cite("集体合同规定 art. 36", "zh") == "《集体合同规定》第三十六条"


def test_an_abbreviated_source_is_cited_by_the_laws_own_title_in_chinese() -> None:
    from engine.citation import cite_zh

    assert cite_zh("WCB art. 20") == "《工资集体协商试行办法》第二十条"
    assert cite_zh("CCR arts. 32, 33; LCL art. 55") == "《集体合同规定》第三十二条、第三十三条；《劳动合同法》第五十五条"
    assert cite("WCB art. 20", "en") == "WCB art. 20"


def test_citations_inside_a_chinese_sentence_become_chinese_and_the_words_around_them_stay() -> None:
    from engine.citation import cite_in_text

    assert cite_in_text("未满足集体合同规定 art. 36 的要求") == "未满足《集体合同规定》第三十六条 的要求"
    assert cite_in_text("依据 WCB art. 20，企业应答复") == "依据 《工资集体协商试行办法》第二十条，企业应答复"
    assert cite_in_text("（山东省企业工资集体协商条例 art. 7）") == "（《山东省企业工资集体协商条例》第七条）"
    assert cite_in_text("没有引用的句子") == "没有引用的句子"


def test_a_refusal_in_chinese_cites_in_chinese_and_its_json_source_stays_as_written() -> None:
    from engine.errors import RuleError

    err = RuleError("出席 39 人不足三分之二", "39 present is under two thirds", rule="quorum_met", source="集体合同规定 art. 36",
                    hint_zh="见 WCB art. 20", hint_en="see WCB art. 20")
    assert err.message("zh") == "出席 39 人不足三分之二（《集体合同规定》第三十六条）；见 《工资集体协商试行办法》第二十条"
    assert err.message("en") == "39 present is under two thirds (集体合同规定 art. 36); see WCB art. 20"
    zh, en = err.as_json("zh")["error"], err.as_json("en")["error"]
    assert zh["source"] == en["source"] == "集体合同规定 art. 36"  # CLI.md: the rule's source, stable for scripts
    assert zh["citation"] == "《集体合同规定》第三十六条" and en["citation"] == "集体合同规定 art. 36"
