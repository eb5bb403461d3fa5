"""Updates change only what is given (issue 13 item 2): org add, enterprise add and counselor add on an existing
record keep every option left out, say what changed, and counselor add finds the same person as import does."""

from __future__ import annotations

import json
from typing import Any

from tests.conftest import Cli, seed_city


def enterprise(cli: Cli, code: str) -> dict[str, Any]:
    listed = json.loads(cli("enterprise", "list", "--format", "json").stdout)
    return dict(next(e for e in listed if e["credit_code"] == code))


def test_enterprise_add_with_only_the_org_keeps_industry_employees_and_the_union_flag(cli: Cli) -> None:
    codes = seed_city(cli.url)
    before = enterprise(cli, codes["no_union"])
    assert before["industry"] == "餐饮" and before["employees"] == 30 and before["has_union"] is False
    result = cli("enterprise", "add", codes["no_union"], "乙公司", "--org", "320505")
    assert result.exit_code == 0 and "unchanged" in result.stdout
    assert enterprise(cli, codes["no_union"]) == before


def test_enterprise_add_changes_the_given_option_and_says_so(cli: Cli) -> None:
    codes = seed_city(cli.url)
    result = cli("enterprise", "add", codes["no_union"], "乙公司", "--employees", "45")
    assert result.exit_code == 0, result.output
    assert "updated" in result.stdout and "employees: 30 → 45" in result.stdout
    after = enterprise(cli, codes["no_union"])
    assert after["employees"] == 45 and after["industry"] == "餐饮" and after["has_union"] is False


def test_a_new_enterprise_needs_its_organisation(cli: Cli) -> None:
    seed_city(cli.url)
    from engine.credit import make_credit_code

    result = cli("enterprise", "add", make_credit_code("320505", 9), "丙公司")
    assert result.exit_code == 1 and "--org" in result.stderr


def test_org_add_keeps_the_kind_parent_and_jurisdiction_left_out(cli: Cli) -> None:
    seed_city(cli.url)
    assert cli("org", "add", "320505", "高新区总工会", "--jurisdiction", "zhejiang").exit_code == 0
    result = cli("org", "add", "320505", "虎丘区（高新区）总工会")
    assert result.exit_code == 0 and "name: 高新区总工会 → 虎丘区（高新区）总工会" in result.stdout
    from engine.store.database import Store
    from engine.store.directory import org

    store = Store(cli.url)
    with store.read() as conn:
        row = org(conn, "320505")
    store.dispose()
    assert (row.kind, row.parent_code, row.jurisdiction, row.path) == ("district", "320500", "zhejiang", "/320500/320505/")


def test_counselor_add_updates_the_same_person_instead_of_registering_a_duplicate(cli: Cli) -> None:
    seed_city(cli.url)  # 王建国, full-time, retired, of 320505, no birth date
    result = cli("counselor", "add", "王建国", "--org", "320505", "--phone", "0512-1234", "--education", "本科")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "1" and "phone: — → 0512-1234" in result.stderr
    listed = json.loads(cli("counselor", "list", "--format", "json").stdout)
    assert len(listed) == 1
    assert listed[0]["kind"] == "full_time" and listed[0]["status"] == "retired" and listed[0]["phone"] == "0512-1234"


def test_counselor_add_with_another_birth_date_is_another_person_and_then_the_name_alone_is_ambiguous(cli: Cli) -> None:
    seed_city(cli.url)
    assert cli("counselor", "add", "王建国", "--org", "320505", "--birth-date", "1960-01-01").stdout.strip() == "2"
    again = cli("counselor", "add", "王建国", "--org", "320505", "--birth-date", "1960-01-01", "--phone", "1", "--format", "json")
    body = json.loads(again.stdout)
    assert body["id"] == 2 and body["outcome"] == "updated" and body["changes"] == [{"field": "phone", "old": "", "new": "1"}]
    result = cli("counselor", "add", "王建国", "--org", "320505", "--phone", "2")
    assert result.exit_code == 1 and "--birth-date" in result.stderr
    assert len(json.loads(cli("counselor", "list", "--format", "json").stdout)) == 2


def test_counselor_add_normalises_before_comparing_so_the_same_kind_is_no_change(cli: Cli) -> None:
    seed_city(cli.url)
    result = cli("counselor", "add", "王建国", "--org", "320505", "--kind", "专职", "--format", "json")
    assert json.loads(result.stdout)["outcome"] == "unchanged"
