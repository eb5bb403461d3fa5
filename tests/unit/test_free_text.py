"""Free text a person types (a note, a reason, a name, --set KEY=VALUE) holds no control character: the one
check (engine.values.control_character) the command line, the web forms and the imports all ask."""

from __future__ import annotations

import pytest

from engine.errors import DataError
from engine.imports.columns import control_character as cell_control_character
from engine.values import check_free_text, check_text, control_character

PUNCTUATION = "甲，乙。丙、丁；戊：“己”‘庚’（辛）《壬》\u3000癸"
REFUSED = [0x00, 0x01, 0x07, 0x0B, 0x0C, 0x0D, 0x1B, 0x1F, 0x7F, 0x80, 0x85, 0x9F,
           0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069]


def test_chinese_punctuation_and_the_full_width_space_are_text() -> None:
    assert control_character(PUNCTUATION) is None
    assert check_free_text(PUNCTUATION, "--note") == PUNCTUATION
    assert control_character("第一行\n第二行\t制表\r\n第三行") is None


@pytest.mark.parametrize("point", REFUSED, ids=[f"U+{p:04X}" for p in REFUSED])
def test_each_control_and_bidi_character_is_found_with_its_position(point: int) -> None:
    assert control_character(f"工资{chr(point)}协商") == (3, point)
    assert cell_control_character(f"工资{chr(point)}") == f"U+{point:04X}"  # the import asks the same check


def test_a_lone_carriage_return_is_refused_but_a_crlf_line_break_is_not() -> None:
    assert control_character("甲\r乙") == (2, 0x0D)
    assert control_character("甲\r\n乙") is None


def test_the_refusal_names_what_the_position_and_the_code_point_in_both_languages() -> None:
    with pytest.raises(DataError) as caught:
        check_free_text("ab\u202ecd", "--reason")
    assert caught.value.message("en") == "--reason: character 3 is the bidirectional control character U+202E: remove it"
    assert caught.value.message("zh").startswith("--reason 第 3 个字符是双向文字控制符 U+202E")
    assert caught.value.exit_code == 1 and caught.value.rule == "control_character"
    with pytest.raises(DataError, match=r"U\+0000"):
        check_text("名\x00称", "name")


def test_bidi_marks_that_do_not_reorder_are_left_alone() -> None:
    assert control_character("a\u200eb\u200fc") is None  # LRM and RLM only mark direction; the spec names the overrides
