"""Every value checked at the edge (issue 14, item 5): ids, counts, hours, years, event dates, names of
states and organisations, --out paths and global options, each refused in one line with nothing written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import run_bargain
from tests.faults.conftest import assert_fault, content

HUGE = str(2**63)


def _run(db: Path, *args: str) -> object:
    return run_bargain("--db", f"sqlite:///{db}", "--lang", "en", *args)


@pytest.mark.parametrize("args", [
    ["case", "timeline", HUGE], ["case", "show", "0"], ["case", "assign", "1", HUGE],
    ["case", "log", HUGE, "--by", "1", "--activity", "attend_round", "--note", "x"],
    ["case", "log", "1", "--by", "-1", "--activity", "attend_round", "--note", "x"],
    ["case", "cover", HUGE, "--enterprise", "913205050000000015"], ["case", "covered", HUGE],
    ["counselor", "summary", HUGE], ["case", "advance", "1", "accept", "--by", HUGE],
    ["case", "open", "913205050000000015", "--counselor", HUGE],
])
def test_an_id_outside_1_to_2_31_is_refused_in_one_line(args: list[str], seeded: Path) -> None:
    before = content(seeded)
    assert_fault(_run(seeded, *args), 1, needle="between 1 and 2147483647")
    assert content(seeded) == before


@pytest.mark.parametrize("employees", ["-1", "10000001", HUGE])
def test_employees_outside_0_to_ten_million_are_refused_and_nothing_is_half_written(employees: str, seeded: Path) -> None:
    before = content(seeded)
    assert_fault(_run(seeded, "enterprise", "add", "91320505000000005H", "丙公司", "--org", "320505", "--employees", employees), 1,
                 needle="--employees must be between 0 and 10,000,000")
    assert content(seeded) == before


def test_an_imported_head_count_past_ten_million_is_refused_with_its_row(seeded: Path, tmp_path: Path) -> None:
    before = content(seeded)
    f = tmp_path / "e.csv"
    f.write_text("credit_code,name,org_code,employees,has_union\n91320505000000005H,丙公司,320505,99999999999,是\n", encoding="utf-8")
    result = _run(seeded, "enterprise", "import", str(f))
    assert result.returncode == 1 and "row 2" in result.stderr and "too large" in result.stderr
    assert content(seeded) == before


@pytest.mark.parametrize("hours", ["25", "-1", "nan", "inf"])
def test_hours_outside_0_to_24_are_refused(hours: str, seeded: Path) -> None:
    before = content(seeded)
    assert_fault(_run(seeded, "case", "log", "1", "--by", "1", "--activity", "attend_round", "--note", "x", "--hours", hours), 1,
                 needle="--hours must be between 0 and 24")
    assert content(seeded) == before


@pytest.mark.parametrize("args", [
    ["campaign", "launch", "--year", "1999"], ["campaign", "launch", "--year", "99999"], ["report", "funnel", "--year", "1"],
    ["report", "campaign", "--year", "2026", "--compare", "3000"], ["counselor", "summary", "1", "--year", "1989"],
])
def test_a_year_outside_2000_to_2100_is_refused(args: list[str], seeded: Path) -> None:
    before = content(seeded)
    assert_fault(_run(seeded, *args), 1, needle="between 2000 and 2100")
    assert content(seeded) == before


@pytest.mark.parametrize("at, needle", [
    ("2099-03-02", "is after now"), ("9999-12-31", "is after now"), ("0001-01-01", "before 2000"), ("1999-12-31", "before 2000"),
    ("2026-03-02T09:00+25:00", "not a usable time"), ("9999-12-31T23:59-23:00", "not a usable time"),
])
def test_an_event_dated_in_the_future_or_before_2000_is_refused_so_the_case_is_never_locked(at: str, needle: str,
                                                                                             seeded: Path) -> None:
    before = content(seeded)
    assert_fault(_run(seeded, "case", "advance", "1", "send_offer", "--set", "level=enterprise", "--at", at), 1, needle=needle)
    assert content(seeded) == before
    ok = _run(seeded, "case", "advance", "1", "send_offer", "--set", "level=enterprise", "--at", "2026-03-03")
    assert ok.returncode == 0, ok.stderr


def test_an_event_a_few_minutes_ahead_of_the_clock_is_accepted(seeded: Path) -> None:
    from datetime import UTC, datetime, timedelta

    soon = (datetime.now(UTC) + timedelta(minutes=5)).isoformat(timespec="minutes")
    result = _run(seeded, "case", "advance", "1", "send_offer", "--set", "level=enterprise", "--at", soon)
    assert result.returncode == 0, result.stderr


def test_a_ledger_row_dated_2099_is_refused_with_its_row(seeded: Path, tmp_path: Path) -> None:
    before = content(seeded)
    f = tmp_path / "l.csv"
    f.write_text("credit_code,year,level,offer_date,response,response_date\n913205050000000028,2099,upper,2099-03-02,none,\n",
                 encoding="utf-8")
    result = _run(seeded, "ledger", "import", str(f))
    assert result.returncode == 1 and "row 2" in result.stderr and "Traceback" not in result.stderr
    assert content(seeded) == before


def test_a_misspelt_state_is_refused_with_a_suggestion_never_an_empty_list(seeded: Path) -> None:
    assert_fault(_run(seeded, "case", "list", "--state", "efective"), 1, needle="did you mean 'effective'?")


@pytest.mark.parametrize("args, needle", [
    (["case", "list", "--org", "32050"], "no organisation with code 32050"),
    (["enterprise", "list", "--org", "nowhere"], "no organisation"),
    (["report", "funnel", "--year", "2026", "--workflow", "enterprse_wage"], "did you mean 'enterprise_wage'?"),
    (["org", "add", "320599", "x", "--kind", "distrct"], "did you mean 'district'?"),
    (["case", "log", "1", "--by", "1", "--activity", "atend_round", "--note", "x"], "did you mean"),
])
def test_a_misspelt_name_is_refused_in_one_line(args: list[str], needle: str, seeded: Path) -> None:
    assert_fault(_run(seeded, *args), 1, needle=needle)


@pytest.fixture
def targets(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "folder"
    folder.mkdir()
    real = tmp_path / "real.csv"
    real.write_text("keep me", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    return {"a folder": folder, "a device": Path("/dev/null"), "a symbolic link": link,
            "a missing folder": tmp_path / "missing" / "r.csv"}


@pytest.mark.parametrize("what", ["a folder", "a device", "a symbolic link", "a missing folder"])
@pytest.mark.parametrize("command", [
    ["report", "campaign", "--year", "2026", "--format", "csv"], ["report", "coverage", "--format", "xlsx"],
    ["case", "timeline", "1", "--format", "html"], ["case", "timeline", "1"], ["counselor", "form", "--org", "320505"],
    ["counselor", "summary", "1", "--year", "2026", "--format", "docx"],
])
def test_an_out_path_that_cannot_be_a_file_is_refused_before_any_work_and_leaves_nothing(
        what: str, command: list[str], targets: dict[str, Path], seeded: Path, tmp_path: Path) -> None:
    target = targets[what]
    before = sorted(p.name for p in tmp_path.rglob("*"))
    result = _run(seeded, *command, "--out", str(target))
    assert_fault(result, 1, needle=f"cannot write {target}")
    assert sorted(p.name for p in tmp_path.rglob("*")) == before
    assert (tmp_path / "real.csv").read_text(encoding="utf-8") == "keep me"
    assert Path("/dev/null").is_char_device()


def test_a_demo_into_a_place_that_cannot_be_written_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    assert_fault(run_bargain("--lang", "en", "demo", "--out", str(blocker / "sub")), 1, needle="cannot write")
    assert_fault(run_bargain("--lang", "en", "demo", "--out", str(blocker)), 1, needle="not a folder")


def test_a_failed_write_leaves_no_temporary_file(tmp_path: Path) -> None:
    from engine.errors import DataError
    from engine.outputs.files import write_atomic

    def broken(tmp: Path) -> None:
        tmp.write_text("half", encoding="utf-8")
        raise OSError(28, "No space left on device")

    with pytest.raises(DataError, match="No space left"):
        write_atomic(tmp_path / "r.csv", broken)
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("args", [["case", "list", "--db"], ["--db", "--lang", "en", "case", "list"], ["--as"],
                                  ["case", "list", "--lang"]])
def test_a_global_option_without_its_value_is_a_one_line_usage_error(args: list[str], tmp_path: Path) -> None:
    assert_fault(run_bargain(*args, cwd=tmp_path), 2, needle="needs a value" if "en" in args else "缺少取值")
    assert not (tmp_path / "bargain.db").exists()


def test_a_data_file_that_is_not_utf8_or_nests_deeply_is_one_line(seeded: Path, tmp_path: Path) -> None:
    gbk = tmp_path / "d.json"
    gbk.write_bytes('{"level": "上级"}'.encode("gb18030"))
    assert_fault(_run(seeded, "case", "advance", "1", "send_offer", "--data", str(gbk)), 1, needle="d.json")
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    assert_fault(_run(seeded, "case", "advance", "1", "send_offer", "--data", str(deep)), 1, needle="deep.json")


@pytest.mark.parametrize("args", [
    ["counselor", "workload", "--as-of", "9999-12-31"], ["deadlines", "--as-of", "0001-01-01"],
    ["report", "coverage", "--as-of", "9999-12-31"], ["counselor", "add", "x", "--org", "320505", "--birth-date", "0001-01-01"],
])
def test_a_date_option_near_year_1_or_9999_is_refused(args: list[str], seeded: Path) -> None:
    before = content(seeded)
    assert_fault(_run(seeded, *args), 1, needle="must be between 1900-01-01 and 2999-12-31")
    assert content(seeded) == before


def test_a_demo_of_minus_one_enterprises_is_refused(tmp_path: Path) -> None:
    assert_fault(run_bargain("--lang", "en", "demo", "--enterprises", "-1", "--out", str(tmp_path / "d")), 1, needle="--enterprises")
    assert not (tmp_path / "d").exists()


def test_an_amendment_moving_a_step_years_ahead_is_refused(seeded: Path) -> None:
    assert _run(seeded, "case", "advance", "1", "send_offer", "--set", "level=enterprise", "--at", "2026-03-03").returncode == 0
    before = content(seeded)
    assert_fault(_run(seeded, "case", "amend", "1", "2", "--at", "2099-03-03", "--reason", "typo"), 1, needle="is after now")
    assert content(seeded) == before
