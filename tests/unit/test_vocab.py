"""The vocabulary table: Chinese or English names in, the stored identifier out, anything else refused with a
suggestion (pure, no database)."""

from __future__ import annotations

import pytest

from engine.errors import DataError
from engine.spec import Field, State
from engine.vocab import activity_key, enum_label, enum_value, field_text, state_key

CHAIR = Field("chair", "enum", values=("worker", "employer"))
LEVEL = Field("level", "enum", required=True, values=("enterprise", "upper"), labels={"upper": "上级工会（两级要约）"})
STATES = {"effective": State("effective", "已生效", "in force"), "signed": State("signed", "已签订", "signed")}


@pytest.mark.parametrize("typed, stored", [
    ("employer", "employer"), ("企业方", "employer"), ("the employer side", "employer"), ("行政方", "employer"),
    ("职工方", "worker"), ("Worker", "worker"), ("企业放", None), ("management", None),
])
def test_an_enum_value_is_accepted_by_its_identifier_its_names_or_an_alias(typed: str, stored: str | None) -> None:
    assert enum_value(CHAIR, typed) == stored


def test_labels_declared_in_the_workflow_file_win_over_the_core_table() -> None:
    assert enum_label(LEVEL, "level", "upper", "zh") == "上级工会（两级要约）"
    assert enum_label(LEVEL, "level", "enterprise", "zh") == "企业工会要约"
    assert enum_value(LEVEL, "上级工会（两级要约）") == "upper"
    assert field_text(LEVEL, "zh") == "level*（层级）=enterprise 企业工会要约|upper 上级工会（两级要约）"


def test_an_activity_is_found_by_key_chinese_or_english_name() -> None:
    assert activity_key("difficulty") == activity_key("遇到的困难") == activity_key("a difficulty met") == "difficulty"
    with pytest.raises(DataError) as found:
        activity_key("遇到困难")
    assert "是否要写 difficulty（遇到的困难）" in found.value.message("zh")


def test_a_state_is_found_by_identifier_or_name_and_a_misspelt_one_is_refused() -> None:
    assert state_key("已生效", STATES) == state_key("in force", STATES) == state_key("effective", STATES) == "effective"
    with pytest.raises(DataError) as found:
        state_key("efective", STATES)
    assert found.value.rule == "state" and "did you mean 'effective'" in found.value.message("en")
    with pytest.raises(DataError) as nothing:
        state_key("zzz", STATES)
    assert "effective（已生效）" in nothing.value.message("zh")


def test_a_workflow_file_may_name_its_enum_values_and_a_label_for_no_value_is_a_setup_error() -> None:
    from engine.errors import SetupError
    from engine.spec import build, load_toml

    text = """
name = "w"
version = 1
initial = "a"
[states]
a = { zh = "甲", en = "a" }
b = { zh = "乙", en = "b" }
[[transitions]]
trigger = "go"
source = "a"
dest = "b"
data.chair = { type = "enum", values = ["worker", "employer"], labels = { employer = "用人单位方" } }
"""
    spec = build(load_toml(text, "w.toml"), "w.toml")
    assert enum_value(spec.transitions["go"].fields["chair"], "用人单位方") == "employer"
    with pytest.raises(SetupError, match="labels"):
        build(load_toml(text.replace("employer = ", "boss = "), "w.toml"), "w.toml")
