"""Deadline columns never go stale (issue 18 item 4): a changed holiday file moves the stored due dates,
by `bargain reproject` and by itself on the next writing command. Real processes: each one compiles (or
reads from its cache) the calendar once, as a user's would."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.conftest import run_bargain, seed_city

# 2026-03-02 + 20 days = Sunday 2026-03-22 → Monday 2026-03-23 (民法典 art. 203). A local 2026 file that
# makes the 23rd a holiday moves the due day to Tuesday the 24th.
HOLIDAY_2026 = 'year = 2026\nsource = "a test notice"\nrest_days = ["2026-01-01", "2026-03-23"]\nworking_days = []\n'


def _setup(tmp_path: Path) -> tuple[str, Path, dict[str, str], int]:
    db = tmp_path / "city.db"
    url = f"sqlite:///{db}"
    codes = seed_city(url)
    holidays = tmp_path / "holidays"
    holidays.mkdir()
    env = {"BARGAIN_DB": url, "BARGAIN_HOLIDAYS": str(holidays), "XDG_CACHE_HOME": str(tmp_path / "cache"), "BARGAIN_USER": "t"}
    opened = run_bargain("case", "open", codes["union"], "--format", "json", env=env)
    assert opened.returncode == 0, opened.stderr
    case_id = json.loads(opened.stdout)["case_id"]
    sent = run_bargain("case", "advance", str(case_id), "send_offer", "--set", "level=enterprise", "--at", "2026-03-02",
                       "--format", "json", env=env)
    assert sent.returncode == 0, sent.stderr
    assert sent.stderr == ""  # the calendar did not change: nothing recomputed, nothing said
    return str(db), holidays, env, case_id


def _reply_due(db: str, case_id: int) -> str:
    con = sqlite3.connect(db)
    try:
        return str(con.execute("SELECT reply_due FROM bcase WHERE id = ?", (case_id,)).fetchone()[0])
    finally:
        con.close()


def test_changing_a_holiday_file_moves_the_stored_due_date_on_the_next_writing_command(tmp_path: Path) -> None:
    db, holidays, env, case_id = _setup(tmp_path)
    assert _reply_due(db, case_id) == "2026-03-23"

    (holidays / "2026.toml").write_text(HOLIDAY_2026, encoding="utf-8")
    logged = run_bargain("--lang", "en", "case", "log", str(case_id), "--by", "1", "--activity", "contact_management",
                         "--at", "2026-03-03", "--note", "called the employer", env=env)
    assert logged.returncode == 0, logged.stderr
    assert "holiday calendar or a jurisdiction profile changed: deadlines recomputed for 1 cases (1 moved)" in logged.stderr
    assert _reply_due(db, case_id) == "2026-03-24"

    again = run_bargain("case", "log", str(case_id), "--by", "1", "--activity", "contact_management",
                        "--at", "2026-03-04", "--note", "again", env=env)
    assert again.returncode == 0 and again.stderr == ""  # the fingerprint is current now


def test_bargain_reproject_recomputes_and_a_read_command_does_not(tmp_path: Path) -> None:
    db, holidays, env, case_id = _setup(tmp_path)
    (holidays / "2026.toml").write_text(HOLIDAY_2026, encoding="utf-8")

    shown = run_bargain("case", "show", str(case_id), "--format", "json", env=env)
    assert shown.returncode == 0 and shown.stderr == ""
    assert _reply_due(db, case_id) == "2026-03-23"  # reads never write

    done = run_bargain("reproject", "--format", "json", env=env)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert (out["cases"], out["changed"]) == (1, 1) and out["previous"] != out["fingerprint"]
    assert _reply_due(db, case_id) == "2026-03-24"

    (holidays / "2026.toml").unlink()
    back = json.loads(run_bargain("reproject", "--format", "json", env=env).stdout)
    assert back["changed"] == 1 and _reply_due(db, case_id) == "2026-03-23"
