"""Control characters typed on the command line (a note, a reason, --set, a name, --as) are refused with one
line naming the option, the character's position and its code point; exit 1; nothing is written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Cli, run_bargain, seed_city
from tests.faults.conftest import assert_fault

PUNCTUATION = "甲，乙。丙、丁；戊：“己”‘庚’（辛）《壬》\u3000癸"


def opened(cli: Cli) -> int:
    codes = seed_city(cli.url)
    return int(json.loads(cli("case", "open", codes["union"], "--format", "json").stdout)["case_id"])


def entries(cli: Cli, case_id: int) -> list[dict[str, object]]:
    return list(json.loads(cli("case", "timeline", str(case_id), "--format", "json").stdout)["entries"])


@pytest.mark.parametrize(("args", "option", "position", "point"), [
    (["--note", "已发\x07出"], "--note", 3, "U+0007"),
    (["--set", "level=enterprise\x00"], "--set", 17, "U+0000"),
    (["--set", "level=enterprise", "--note", "\u202e要约"], "--note", 1, "U+202E"),
    (["--set", "level=enterprise", "--note", "要约\u2066"], "--note", 3, "U+2066"),
    (["--set", "level=enterprise", "--note", "C1\x85"], "--note", 3, "U+0085"),
])
def test_a_control_character_in_case_advance_is_refused_naming_the_option_and_nothing_is_written(
        cli: Cli, args: list[str], option: str, position: int, point: str) -> None:
    case_id = opened(cli)
    before = entries(cli, case_id)
    result = cli("case", "advance", str(case_id), "send_offer", *args)
    assert result.exit_code == 1
    line = result.stderr.strip()
    assert line == f"error: {option}: character {position} is the {'bidirectional ' if point in ('U+202E', 'U+2066') else ''}" \
                   f"control character {point}: remove it"
    assert entries(cli, case_id) == before


def test_in_chinese_the_refusal_is_chinese(cli: Cli) -> None:
    case_id = opened(cli)
    result = cli("case", "advance", str(case_id), "send_offer", "--set", "level=enterprise", "--note", "a\x1bb", lang="zh")
    assert result.exit_code == 1 and result.stderr.strip() == "错误: --note 第 2 个字符是控制字符 U+001B，请删去"


def test_chinese_punctuation_and_full_width_spaces_are_kept_exactly(cli: Cli) -> None:
    case_id = opened(cli)
    result = cli("case", "advance", str(case_id), "send_offer", "--set", "level=enterprise", "--note", PUNCTUATION)
    assert result.exit_code == 0, result.output
    assert [e["note"] for e in entries(cli, case_id) if e["kind"] == "transition"] == [PUNCTUATION]


def test_a_reason_a_json_data_file_and_a_log_note_are_checked_too(cli: Cli, tmp_path: Path) -> None:
    case_id = opened(cli)
    assert cli("case", "advance", str(case_id), "send_offer", "--set", "level=enterprise").exit_code == 0
    before = entries(cli, case_id)
    void = cli("case", "void", str(case_id), "--reason", "录\x08错")
    assert void.exit_code == 1 and "--reason: character 2" in void.stderr and "U+0008" in void.stderr
    data = tmp_path / "d.json"
    data.write_text(json.dumps({"reason": "拒绝\u202d理由"}), encoding="utf-8")
    refused = cli("case", "advance", str(case_id), "refuse", "--data", str(data))
    assert refused.exit_code == 1 and "refuse data 'reason': character 3" in refused.stderr and "U+202D" in refused.stderr
    logged = cli("case", "log", str(case_id), "--by", "1", "--activity", "difficulty", "--note", "困难\x7f")
    assert logged.exit_code == 1 and "--note: character 3" in logged.stderr and "U+007F" in logged.stderr
    assert entries(cli, case_id) == before


@pytest.mark.parametrize("command", [
    ["org", "add", "320599", "坏\x1b名", "--parent", "320500"],
    ["enterprise", "add", "91320505MA1XXXXXXX", "某\x01公司", "--org", "320505"],
    ["counselor", "add", "王\u202e建国", "--org", "320505"],
])
def test_names_given_on_the_command_line_are_checked_as_a_real_process(tmp_path: Path, command: list[str]) -> None:
    url = f"sqlite:///{tmp_path / 'n.db'}"
    seed_city(url)
    listed = [command[0], "list", "--format", "json"]
    before = run_bargain("--db", url, "--lang", "en", *listed).stdout
    line = assert_fault(run_bargain("--db", url, "--lang", "en", *command), 1, needle="character 2 is the")
    assert "NAME" in line
    assert run_bargain("--db", url, "--lang", "en", *listed).stdout == before


def test_an_actor_with_a_control_character_is_refused(cli: Cli) -> None:
    case_id = opened(cli)
    result = cli("--as", "bob\x1b[31m", "case", "show", str(case_id))
    assert result.exit_code == 1 and "--as: character 4" in result.stderr and "U+001B" in result.stderr
