"""A local holiday file with a mistake is one clear set-up line (exit 4) naming the file and the line of the entry,
from the real command as a process (the calendar is read once per process): a mistyped date, a date in another
year, a day listed twice (alone or inside a range), a file saved in GBK, and two files giving the same year."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_bargain

HEAD = 'year = 2031\nsource = "test data, not a real notice"\n'


@pytest.mark.parametrize("body, zh, en", [
    ('rest_days = ["2031-01-01",\n  "2031-01-O2"]\n', "2031.toml 第 4 行：rest_days 中的 '2031-01-O2' 不是日期",
     "2031.toml line 4: rest_days entry '2031-01-O2' is not a date"),
    ('rest_days = ["2031-01-01",  # 元旦\n  "2030-10-01"]\n', "2031.toml 第 4 行：rest_days 中的 '2030-10-01' 不在 2031 年",
     "2031.toml line 4: rest_days entry '2030-10-01' is not in 2031"),
    ('rest_days = ["2031-01-01", "2031-01-20..2031-01-26",\n  "2031-01-01"]\n',
     "2031.toml 第 4 行：rest_days 中 2031-01-01 列了两次", "2031.toml line 4: rest_days lists 2031-01-01 twice"),
    ('rest_days = ["2031-01-20..2031-01-26",\n  "2031-01-22"]\n',
     "2031.toml 第 4 行：rest_days 中 2031-01-22 列了两次（'2031-01-20..2031-01-26' 与 '2031-01-22'）",
     "2031.toml line 4: rest_days lists 2031-01-22 twice"),
])
def test_a_mistake_in_a_holiday_file_names_the_file_and_line(db_url: str, tmp_path: Path, body: str, zh: str,
                                                              en: str) -> None:
    (tmp_path / "2031.toml").write_text(HEAD + body, encoding="utf-8")
    for lang, said in (("zh", zh), ("en", en)):
        result = run_bargain("--db", db_url, "--lang", lang, "deadlines", env={"BARGAIN_HOLIDAYS": str(tmp_path)})
        assert result.returncode == 4, result.stderr
        assert said in result.stderr and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_a_holiday_file_not_in_utf8_is_a_setup_line_not_a_traceback(db_url: str, tmp_path: Path) -> None:
    (tmp_path / "2031.toml").write_bytes((HEAD + 'rest_days = ["2031-01-01"]  # 元旦\n').encode("gbk"))
    result = run_bargain("--db", db_url, "holidays", env={"BARGAIN_HOLIDAYS": str(tmp_path)})
    assert result.returncode == 4 and "Traceback" not in result.stderr
    assert "2031.toml：不是 UTF-8 编码" in result.stderr and result.stderr.count("\n") == 1


def test_two_files_for_one_year_in_a_folder_are_refused_not_one_silently_dropped(db_url: str, tmp_path: Path) -> None:
    (tmp_path / "2031.toml").write_text(HEAD + 'rest_days = ["2031-01-01"]\n', encoding="utf-8")
    (tmp_path / "notice-2031.toml").write_text(HEAD + 'rest_days = ["2031-01-02"]\n', encoding="utf-8")
    result = run_bargain("--db", db_url, "--lang", "en", "holidays", env={"BARGAIN_HOLIDAYS": str(tmp_path)})
    assert result.returncode == 4
    assert "notice-2031.toml: gives 2031 as" in result.stderr and "2031.toml does: keep only one" in result.stderr
