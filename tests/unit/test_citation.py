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
