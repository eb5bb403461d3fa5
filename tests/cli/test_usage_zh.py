"""A usage error (exit 2, CLI.md) in the reader's language: in zh the usage line, the help hint and the error are
Chinese, the names and values as typed; with --lang en (before or after the command) Click's own English."""

from __future__ import annotations

from pathlib import Path

import pytest

from commands.usage import in_chinese
from tests.conftest import run_bargain

CASES = [
    (["case", "show"], "错误: 缺少参数 case_id"),
    (["report", "campaign", "--by", "foo"], "错误: --by 的值无效：「foo」不是可用的取值（可用：org、industry、size）"),
    (["case", "shw"], "错误: 没有命令 shw（是否要写 show？）"),
    (["case", "show", "abc"], "错误: case_id 的值无效：「abc」不是整数"),
    (["case", "show", "1", "--bye"], "错误: 没有选项 --bye"),
    (["case", "show", "1", "extra"], "错误: 多余的参数：extra"),
]


@pytest.mark.parametrize(("args", "said"), CASES)
def test_a_usage_error_reads_chinese_in_zh(tmp_path: Path, args: list[str], said: str) -> None:
    result = run_bargain(*args, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[-1] == said
    assert lines[0].startswith("用法：bargain ") and "运行 'bargain" in lines[1] and "查看帮助" in lines[1]
    assert not any(word in result.stderr for word in ("Usage", "Error", "Try ", "Missing", "Invalid", "No such"))
    assert list(tmp_path.iterdir()) == [], "a usage error writes nothing (no database either)"


@pytest.mark.parametrize("where", ["before", "after"])
def test_with_lang_en_a_usage_error_is_clicks_english(tmp_path: Path, where: str) -> None:
    args = ["--lang", "en", "case", "show"] if where == "before" else ["case", "show", "--lang", "en"]
    result = run_bargain(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1] == "Error: Missing argument 'case_id'."
    assert "错误" not in result.stderr


def test_a_message_of_another_shape_is_kept_as_it_is() -> None:
    assert in_chinese("年份应在 2000–2100 之间 / the year must lie in 2000-2100") == (
        "年份应在 2000–2100 之间 / the year must lie in 2000-2100")
    assert in_chinese("Invalid value for '--x': 自定义的说明") == "--x 的值无效：自定义的说明"
