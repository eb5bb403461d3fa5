"""--as-of written as a date that does not exist (2026-02-29, 2026-13-01) is refused in one line saying why, by
deadlines, tick and the reports alike, in Chinese and in English; exit 1 and nothing written."""

from __future__ import annotations

import pytest

from tests.conftest import Cli


@pytest.mark.parametrize("value, zh, en", [
    ("2026-02-29", "2026 年 2 月只有 28 天", "February 2026 has 28 days"),
    ("2026年4月31日", "2026 年 4 月只有 30 天", "April 2026 has 30 days"),
    ("2026-13-01", "没有 13 月", "there is no month 13"),
])
@pytest.mark.parametrize("command", [["deadlines"], ["tick"], ["report", "coverage"], ["report", "overdue"]])
def test_an_as_of_that_is_no_day_says_why(cli: Cli, command: list[str], value: str, zh: str, en: str) -> None:
    for lang, said in (("zh", f"--as-of 没有这一天：{value}（{zh}）"), ("en", f"--as-of names no such day: {value} ({en})")):
        result = cli(*command, "--as-of", value, lang=lang)
        assert result.exit_code == 1 and said in result.stderr and result.stderr.count("\n") == 1
        assert result.stdout == ""


def test_a_leap_day_is_a_day(cli: Cli) -> None:
    assert cli("deadlines", "--as-of", "2028-02-29").exit_code == 0
