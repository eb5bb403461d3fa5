"""Contract quality and regional cover as a hostile tester tried them: terms whose term disagrees with the
signing or runs past three years, files mislabelled as text, regional contracts in the quality report, cover
of retired enterprises and of enterprises outside an industry union's county."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli
from tests.helpers import contract_city
from tests.helpers.contract_city import GOOD_TERMS


@pytest.fixture
def city(cli: Cli) -> tuple[Cli, dict[str, int]]:
    return cli, contract_city.build(cli.url)


def ok(result: Any) -> str:
    assert result.exit_code == 0, result.output
    return str(result.stdout)


def terms_file(tmp_path: Path, **changes: Any) -> Path:
    path = tmp_path / "terms.json"
    path.write_text(json.dumps({k: v for k, v in {**GOOD_TERMS, **changes}.items() if v is not None}, ensure_ascii=False),
                    encoding="utf-8")
    return path


def stored_terms(cli: Cli, case_id: int) -> Any:
    return json.loads(ok(cli("case", "show", str(case_id), "--format", "json"))).get("quality")


def test_terms_whose_term_is_not_the_one_signed_are_refused_and_nothing_is_written(city: tuple[Cli, dict[str, int]],
                                                                                  tmp_path: Path) -> None:
    cli, ids = city  # every case of the city was signed for 2026-06-01 .. 2027-05-31
    r = cli("contract", "terms", str(ids["huarui"]), "--data", str(terms_file(tmp_path, end="2029-01-03")))
    assert r.exit_code == 1
    assert r.stderr.count("\n") == 1 and "not the term signed" in r.stderr and "2027-05-31" in r.stderr
    assert stored_terms(cli, ids["huarui"]) is None
    zh = cli("contract", "terms", str(ids["huarui"]), "--data", str(terms_file(tmp_path, start="2026-01-01")), lang="zh")
    assert zh.exit_code == 1 and "与签订时约定的期限" in zh.stderr and "bargain case amend" in zh.stderr
    # Leaving the term out takes the signed one.
    body = json.loads(ok(cli("contract", "terms", str(ids["huarui"]), "--data", str(terms_file(tmp_path, start=None, end=None)),
                             "--format", "json")))
    assert (body["terms"]["start"], body["terms"]["end"]) == ("2026-06-01", "2027-05-31")


def unsigned_case(cli: Cli) -> int:
    """A new enterprise of the city with a case only opened: a past contract typed in has no signing."""
    from engine.credit import make_credit_code

    code = make_credit_code("320505", 50)
    ok(cli("enterprise", "add", code, "苏州新开精密有限公司", "--org", "320505", "--employees", "60"))
    return int(json.loads(ok(cli("case", "open", code, "--format", "json")))["case_id"])


@pytest.mark.parametrize("start, end, ok_", [
    ("2026-01-01", "2028-12-31", True),    # three years exactly
    ("2026-01-01", "2029-01-01", False),   # three years and a day (3 × 366 days let it through)
    ("2026-01-01", "2029-01-03", False),
    ("2026-01-01", "2026-12-30", False),   # a day short of one year
    ("2028-02-29", "2031-02-28", True),    # from a leap day: the month's last day (民法典 art. 202)
    ("2028-02-29", "2031-03-01", False),
])
def test_a_term_recorded_without_a_signing_is_held_to_one_to_three_years(city: tuple[Cli, dict[str, int]], tmp_path: Path,
                                                                          start: str, end: str, ok_: bool) -> None:
    cli, _ = city
    case_id = unsigned_case(cli)
    r = cli("contract", "terms", str(case_id), "--data", str(terms_file(tmp_path, start=start, end=end)))
    if ok_:
        assert r.exit_code == 0, r.output
        return
    assert r.exit_code == 1 and r.stderr.count("\n") == 1, r.output
    assert "year" in r.stderr and "集体合同规定" in r.stderr and "Civil Code arts. 201-202" in r.stderr
    assert stored_terms(cli, case_id) is None


def test_a_regional_contract_is_in_report_quality_wages_and_similar_as_its_union(cli: Cli, tmp_path: Path) -> None:
    from tests.helpers.regional_town import CODES, WALK, seed

    seed(cli.url)
    case_id = int(json.loads(ok(cli("case", "open", "320506001", "--workflow", "regional_wage", "--at", "2026-03-01",
                                    "--format", "json")))["case_id"])
    for trigger, args in WALK:
        ok(cli("case", "advance", str(case_id), trigger, *args))
    ok(cli("case", "cover", str(case_id), "--enterprise", CODES[1], "--on", "2026-05-01"))
    ok(cli("contract", "terms", str(case_id), "--data", str(terms_file(tmp_path, start=None, end=None))))
    text = tmp_path / "区域合同.txt"
    text.write_text("甪直镇餐饮行业工资专项集体合同\n第一条 职工年度平均工资增长5.5%。\n第二条 企业最低工资2600元/月。\n",
                    encoding="utf-8")
    ok(cli("contract", "attach", str(case_id), str(text)))
    scored = json.loads(ok(cli("case", "show", str(case_id), "--format", "json")))["quality"]["total"]
    body = json.loads(ok(cli("report", "quality", "--year", "2026", "--org", "320506", "--format", "json")))
    assert body["total"]["contracts"] == 1
    [listed] = body["contracts"]
    assert (listed["case_id"], listed["org_code"], listed["enterprise"]) == (case_id, "320506001", "甪直镇总工会")
    assert listed["score"] == scored and body["total"]["score_avg"] == float(scored)
    out = tmp_path / "q.csv"
    ok(cli("report", "quality", "--year", "2026", "--org", "320506", "--format", "csv", "--out", str(out)))
    total = next(line for line in out.read_text(encoding="utf-8-sig").splitlines() if line.startswith("total,"))
    assert total.split(",")[2:4] == ["1", str(float(scored))]
    wages = json.loads(ok(cli("report", "wages", "--year", "2026", "--org", "320506", "--format", "json")))
    assert wages["total"]["contracts"] == 1 and wages["total"]["adjustment_avg"] == 5.5
    similar = json.loads(ok(cli("contract", "similar", "--org", "320506", "--year", "2026", "--format", "json")))
    assert similar["contracts"] == 1


def test_an_industry_union_covers_only_enterprises_of_its_county_and_never_a_retired_one(cli: Cli) -> None:
    from tests.helpers.regional_town import CODES, OUTSIDE, seed

    seed(cli.url)
    ok(cli("org", "add", "320506CY", "吴中区餐饮行业工会", "--kind", "industry", "--parent", "320506"))
    case_id = json.loads(ok(cli("case", "open", "320506CY", "--workflow", "regional_wage", "--format", "json")))["case_id"]
    outside = cli("case", "cover", str(case_id), "--enterprise", CODES[0], "--enterprise", OUTSIDE, "--on", "2026-05-01")
    assert outside.exit_code == 1 and outside.stderr.count("\n") == 1
    assert f"{OUTSIDE} are outside the area of 吴中区总工会" in outside.stderr and "劳动合同法 art. 53" in outside.stderr
    zh = cli("case", "cover", str(case_id), "--enterprise", OUTSIDE, lang="zh")
    assert zh.exit_code == 1 and "不在 吴中区总工会 的区域内" in zh.stderr and "《劳动合同法》第五十三条" in zh.stderr
    ok(cli("enterprise", "retire", CODES[2], "--on", "2026-04-01", "--reason", "注销"))
    retired = cli("case", "cover", str(case_id), "--enterprise", CODES[0], "--enterprise", CODES[2], "--on", "2026-05-01")
    assert retired.exit_code == 1 and f"{CODES[2]} are retired (from 2026-04-01)" in retired.stderr
    assert json.loads(ok(cli("case", "covered", str(case_id), "--format", "json"))) == []
    done = json.loads(ok(cli("case", "cover", str(case_id), "--enterprise", CODES[0], "--enterprise", CODES[2], "--on",
                             "2026-03-31", "--format", "json")))
    assert done["added"] == [CODES[0], CODES[2]]  # covered the day before it retired: the reports drop it from then
