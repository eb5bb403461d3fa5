"""Records people can trust, people scoped to a subtree: what a hostile acceptance test found, through the real
command. A refusal outside one's grants says nothing of the other subtree; logins cannot pass for one another."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import Result

from tests.access.city import City, seed
from tests.conftest import Cli


@pytest.fixture
def city(db_url: str) -> City:
    return seed(db_url)


def one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    return lines[0]


@pytest.mark.parametrize("args", [
    ("case", "show", "{case}"), ("case", "timeline", "{case}"), ("case", "advance", "{case}", "send_offer"),
    ("case", "void", "{case}", "--reason", "x"), ("case", "amend", "{case}", "1", "--at", "2026-03-02", "--reason", "x"),
    ("case", "open", "{free}"), ("counselor", "summary", "{counselor}", "--year", "2026"),
])
def test_a_refusal_outside_every_grant_names_neither_the_place_nor_the_counselor(city: City, cli: Cli,
                                                                                  args: tuple[str, ...]) -> None:
    outside = city.outside
    filled = [a.format(case=outside.case, free=outside.free, counselor=outside.counselor) for a in args]
    for lang in ("en", "zh"):
        result = cli("--as", city.login("manager"), *filled, lang=lang)
        assert result.exit_code == 1, result.output
        line = one_line(result.stderr)
        assert "320506" not in line and "吴中" not in line, line  # the other district's code and name
        assert "manager" in line and "/320500/320505/" in line  # the rule: what they hold


def test_the_json_refusal_of_a_hidden_case_keeps_the_rule_and_drops_where_the_case_is(city: City, cli: Cli) -> None:
    result = cli("--as", city.login("manager"), "case", "show", str(city.outside.case), "--format", "json")
    assert result.exit_code == 1
    error = json.loads(result.stdout)["error"]
    assert error["rule"] == "permission.case.read" and error["required"]["action"] == "case.read"
    assert "org_path" not in error["required"] and "assigned_counselor" not in error["required"]
    assert "320506" not in result.stdout


@pytest.mark.parametrize("command", ["show", "timeline"])
def test_a_case_that_does_not_exist_reads_to_a_scoped_user_as_one_outside_the_grants(city: City, cli: Cli,
                                                                                     command: str) -> None:
    # otherwise "no case N" for a missing id and a refusal for a hidden one would let ids be probed, counting the
    # other subtree's cases
    def said(case: int, lang: str) -> tuple[int, str, str]:
        result = cli("--as", city.login("manager"), "case", command, str(case), lang=lang)
        def hide(text: str) -> str:
            return re.sub(rf"\b{case}\b", "N", text)

        return result.exit_code, hide(one_line(result.stderr)), hide(result.stdout)

    for lang in ("en", "zh"):
        assert said(city.outside.case, lang) == said(987654, lang)
    assert "the case does not exist or is outside their grants" in said(987654, "en")[1]
    assert "该案件不存在或不在 manager5 的授权范围内" in said(987654, "zh")[1]


def test_an_organisation_outside_the_grants_is_named_only_by_the_code_asked_for(city: City, cli: Cli) -> None:
    result = cli("--as", city.login("manager"), "report", "campaign", "--year", "2026", "--org", "320506")
    assert result.exit_code == 1
    line = one_line(result.stderr)
    assert "organisation 320506 is outside their grants" in line and "/320500/320506/" not in line


def add(cli: Cli, login: str, password: str = "another long passphrase") -> Result:
    from cli import app

    return cli.runner.invoke(app, ["--db", cli.url, "--lang", "en", "--as", "root", "user", "add", login, "--name", "某人",
                                   "--role", "viewer", "--org", "320505", "--password-stdin"], input=f"{password}\n",
                             catch_exceptions=False)


@pytest.mark.parametrize(("login", "says"), [
    ("ROOT", "differs from the existing user root only in case"),
    ("Manager5", "differs from the existing user manager5 only in case"),
    ("ｒｏｏｔ", "full-width or compatibility characters and reads as root"),
    ("rооt", "mixes Latin letters with look-alike Cyrillic ones"),  # two Cyrillic о
])
def test_a_login_that_would_read_as_another_is_refused_in_one_line(city: City, cli: Cli, login: str, says: str) -> None:
    before = cli("--as", "root", "user", "list", "--format", "json").stdout
    result = add(cli, login)
    assert result.exit_code == 1, result.output
    assert says in one_line(result.stderr)
    assert cli("--as", "root", "user", "list", "--format", "json").stdout == before


def test_a_chinese_or_cyrillic_login_of_its_own_is_a_login(city: City, cli: Cli) -> None:
    for login in ("张三", "иван"):
        assert add(cli, login).exit_code == 0
        shown = cli("--as", login, "case", "list", "--format", "json")
        assert shown.exit_code == 0, shown.output


@pytest.mark.parametrize(("password", "says"), [
    (" " * 12, "only spaces"), ("long enough\x00password", "U+0000"), ("long enough\tpassword", "U+0009"),
])
def test_a_blank_password_or_one_with_a_control_character_is_refused_without_echoing_it(
        city: City, cli: Cli, password: str, says: str) -> None:
    result = add(cli, "newcomer", password)
    assert result.exit_code == 1
    line = one_line(result.stderr)
    assert says in line and "enough" not in line  # never the password itself


def test_a_disabled_user_is_told_they_are_disabled(city: City, cli: Cli) -> None:
    assert cli("--as", "root", "user", "disable", "viewer5").exit_code == 0
    result = cli("--as", "viewer5", "case", "list")
    assert result.exit_code == 1
    assert "user viewer5 is disabled" in one_line(result.stderr)


def test_audit_since_year_one_is_refused_like_every_date_option_not_a_database_error(city: City, cli: Cli) -> None:
    result = cli("--as", "root", "audit", "--since", "0001-01-01")
    assert result.exit_code == 1, result.output
    assert "--since must be between 1900-01-01 and 2999-12-31" in one_line(result.stderr)
    empty = cli("--as", "root", "audit", "--since", "")
    assert empty.exit_code == 1 and "--since is not a date" in one_line(empty.stderr)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_on_a_read_only_database_a_refusal_still_says_why_and_that_it_is_not_audited(city: City, db_url: str) -> None:
    read_only = Cli(f"sqlite:///file:{db_url.removeprefix('sqlite:///')}?mode=ro&uri=true")
    outside = read_only("--as", city.login("manager"), "case", "show", str(city.outside.case))
    assert outside.exit_code == 1, outside.output
    line = one_line(outside.stderr)
    assert "may not read cases (case.read)" in line and "this refusal is not in the audit trail" in line
    nobody = read_only("--as", "nobody", "case", "list")
    assert nobody.exit_code == 1
    assert "nobody is not an active user" in one_line(nobody.stderr)
    assert read_only("--as", "root", "case", "show", str(city.outside.case)).exit_code == 0


def test_an_amendment_that_breaks_the_order_quotes_every_time_in_local_time(cli: Cli) -> None:
    from tests.conftest import seed_city
    from tests.helpers.cli_walk import STEPS, open_case, walk

    case_id = open_case(cli, seed_city(cli.url)["union"])
    walk(cli, case_id, STEPS[:3])
    accept = next(e["seq"] for e in json.loads(cli("case", "timeline", str(case_id), "--format", "json").stdout)["entries"]
                  if e.get("trigger") == "accept")
    result = cli("case", "amend", str(case_id), str(accept), "--at", "2026-03-21", "--reason", "日期录错")
    assert result.exit_code == 1
    line = one_line(result.stderr)
    assert "2026-03-20T09:00:00+08:00 is earlier than the case's previous event (2026-03-21T09:00:00+08:00)" in line, line
    assert "+00:00" not in line


def test_the_demo_records_each_counselor_s_steps_under_their_name(tmp_path: Path) -> None:
    from tests.conftest import run_bargain

    assert run_bargain("demo", "--out", str(tmp_path / "demo"), "--enterprises", "20").returncode == 0
    db = f"sqlite:///{tmp_path / 'demo' / 'demo.db'}"
    shown = run_bargain("--db", db, "--as", "admin", "case", "timeline", "1", "--format", "json")
    entries = json.loads(shown.stdout)["entries"]
    steps = [e for e in entries if e["kind"] in ("transition", "involvement")]
    assert steps and {e["actor"] for e in steps} == {"王建国"}, {e["actor"] for e in steps}  # counselor 1
