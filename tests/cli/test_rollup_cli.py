"""bargain rollup check|rebuild (issue 18): the kept report counts against the bare SQL, and their repair."""

from __future__ import annotations

import json

import sqlalchemy as sa
from typer.testing import CliRunner

from engine.store.database import Store
from engine.store.tables import case_t, report_rollup_t
from tests.conftest import Cli, seed_city
from tests.helpers.cli_walk import open_case, walk

PASSWORD = "a long enough passphrase 2026"


def _walked(cli: Cli) -> None:
    codes = seed_city(cli.url)
    walk(cli, open_case(cli, codes["union"]))


def _sql(url: str, *statements: str) -> None:
    store = Store(url)
    with store.unit_of_work() as uow:
        for s in statements:
            uow.conn.execute(sa.text(s))
        uow.commit()
    store.dispose()


def _rows(url: str) -> dict[tuple[str, ...], int]:
    store = Store(url)
    with store.read() as conn:
        r = report_rollup_t.c
        found = {(a, str(b), c, d, e): int(n) for a, b, c, d, e, n in
                 conn.execute(sa.select(r.path, r.year, r.band, r.workflow, r.measure, r.n))}
    store.dispose()
    return found


def test_check_agrees_after_real_writes_and_the_reports_read_the_kept_counts(cli: Cli) -> None:
    _walked(cli)
    kept = _rows(cli.url)
    assert kept[("/320500/320505/", "2026", "100+", "", "offers")] == 1
    assert kept[("/320500/320505/", "2026", "", "enterprise_wage", "reached:effective")] == 1
    # the subtree totals: at the district itself and at the city above it
    assert kept[("/320500/", "2026", "100+", "", "*offers")] == kept[("/320500/320505/", "2026", "100+", "", "*offers")] == 1
    done = cli("rollup", "check")
    assert done.exit_code == 0, done.output
    assert done.stdout.strip() == "the kept report counts equal the bare SQL (all years)"
    zh = cli("rollup", "check", "--year", "2026", lang="zh")
    assert zh.exit_code == 0 and zh.stdout.strip() == "报表计数与明细一致（2026 年）"
    assert json.loads(cli("rollup", "check", "--format", "json").stdout) == {"equal": True, "year": None, "differences": [],
                                                                                   "coverage_differences": []}


def test_a_corrupted_row_is_found_by_check_and_repaired_by_rebuild_and_the_report_follows(cli: Cli) -> None:
    _walked(cli)
    before = json.loads(cli("report", "campaign", "--year", "2026", "--format", "json").stdout)
    _sql(cli.url,
         # a wrong count: the district's subtree total, which the city's report reads
         "UPDATE report_rollup SET n = n + 5 WHERE measure = '*offers' AND path = '/320500/320505/'",
         "DELETE FROM report_rollup WHERE measure = 'signed'",  # a lost one
         "INSERT INTO report_rollup (path, year, band, workflow, measure, n) "
         "VALUES ('/320500/320505/', 2024, '<50', '', 'accepted', 3)")  # one that should not be there
    wrong = json.loads(cli("report", "campaign", "--year", "2026", "--format", "json").stdout)
    assert wrong != before  # the report reads the kept counts
    found = cli("rollup", "check", "--format", "json")
    assert found.exit_code == 1
    body = json.loads(found.stdout)
    assert body["equal"] is False
    assert {(d["year"], d["measure"], d["kept"], d["bare"]) for d in body["differences"]} == {
        (2026, "*offers", 6, 1), (2026, "signed", 0, 1), (2024, "accepted", 3, 0)}
    text = cli("rollup", "check", "--year", "2026")
    assert text.exit_code == 1
    assert text.stderr.strip().splitlines() == [
        "error: 2 kept report counts differ from the bare SQL (2026); repair with bargain rollup rebuild"]
    assert "/320500/320505/ 2026 band 100+ all workflows *offers: kept 6, bare 1" in text.stdout
    zh = cli("rollup", "check", lang="zh")
    assert zh.exit_code == 1 and "报表计数有 3 处与明细不一致（全部年度）" in zh.stderr
    fixed = cli("rollup", "rebuild", "--format", "json")
    assert fixed.exit_code == 0, fixed.output
    assert json.loads(fixed.stdout)["repaired"] == 3
    assert cli("rollup", "check").exit_code == 0
    assert json.loads(cli("report", "campaign", "--year", "2026", "--format", "json").stdout) == before
    assert cli("rollup", "rebuild", lang="zh").stdout.startswith("已重建报表计数（全部年度）：修正 0 处")


def _in_force_day(url: str) -> str:
    """A day on which the walked case's contract is in force (its first)."""
    store = Store(url)
    with store.read() as conn:
        day = conn.execute(sa.select(case_t.c.effective_on).where(case_t.c.effective_on.is_not(None))).scalar_one()
    store.dispose()
    return str(day)


def test_a_damaged_coverage_row_is_found_by_check_and_repaired_by_rebuild_and_the_report_follows(cli: Cli) -> None:
    _walked(cli)
    day = _in_force_day(cli.url)
    report = ("report", "coverage", "--as-of", day, "--format", "json")
    before = json.loads(cli(*report).stdout)
    assert before["total"]["covered"] == 1, before["total"]  # the walked case's contract, from the kept counts
    kept = json.loads(cli(*report, "--by", "size").stdout)
    assert kept["total"] == before["total"]
    # the district's subtree row of the day the contract takes effect: the city's report reads it
    _sql(cli.url, f"UPDATE coverage_rollup SET covered = covered + 2, workers = workers + 7 "
                  f"WHERE tier = '*' AND path = '/320500/320505/' AND day = '{day}' AND covered = 1")
    wrong = json.loads(cli(*report).stdout)
    assert (wrong["total"]["covered"], wrong["total"]["workers_covered"]) == (3, before["total"]["workers_covered"] + 7)
    found = cli("rollup", "check", "--format", "json")
    assert found.exit_code == 1
    body = json.loads(found.stdout)
    assert body["equal"] is False and body["differences"] == []
    on_day = {(d["path"], d["tier"], d["figure"], d["kept"], d["bare"]) for d in body["coverage_differences"] if d["day"] == day}
    assert ("/320500/320505/", "*", "enterprises_covered", 3, 1) in on_day
    assert ("/320500/320505/", "*", "workers_covered", before["total"]["workers_covered"] + 7,
            before["total"]["workers_covered"]) in on_day
    assert {d["path"] for d in body["coverage_differences"]} == {"/320500/320505/"}  # own rows and the city's untouched
    text = cli("rollup", "check", "--year", day[:4])
    assert text.exit_code == 1 and f"/320500/320505/ subtree {day} coverage covered: kept 3, bare 1" in text.stdout
    fixed = cli("rollup", "rebuild", "--format", "json")
    assert fixed.exit_code == 0, fixed.output
    assert json.loads(fixed.stdout)["repaired"] == 1  # one coverage row
    assert cli("rollup", "check").exit_code == 0
    assert json.loads(cli(*report).stdout) == before


def test_rebuild_of_one_year_leaves_the_others(cli: Cli) -> None:
    _walked(cli)
    _sql(cli.url, "INSERT INTO report_rollup (path, year, band, workflow, measure, n) "
                  "VALUES ('/320500/320505/', 2024, '<50', '', 'accepted', 3)")
    assert json.loads(cli("rollup", "rebuild", "--year", "2026", "--format", "json").stdout)["repaired"] == 0
    assert cli("rollup", "check").exit_code == 1
    assert cli("rollup", "rebuild", "--year", "2024").exit_code == 0
    assert cli("rollup", "check").exit_code == 0


def test_with_users_only_an_admin_over_everything_may_check_or_rebuild(db_url: str) -> None:
    seed_city(db_url)
    from cli import app

    runner = CliRunner()
    base = ["--db", db_url, "--lang", "en"]
    for login, role, org in (("boss", "admin", "320500"), ("district", "admin", "320505")):
        added = runner.invoke(app, [*base, *(["--as", "boss"] if login != "boss" else []), "user", "add", login,
                                    "--name", login, "--role", role, "--org", org, "--password-stdin"], input=f"{PASSWORD}\n")
        assert added.exit_code == 0, added.output
    ok = runner.invoke(app, [*base, "--as", "boss", "rollup", "check"])
    assert ok.exit_code == 0, ok.output
    refused = runner.invoke(app, [*base, "--as", "district", "rollup", "rebuild"])
    assert refused.exit_code == 1
    assert len(refused.stderr.strip().splitlines()) == 1 and "user.manage" in refused.stderr
