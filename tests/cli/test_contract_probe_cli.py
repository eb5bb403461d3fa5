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

city = pytest.fixture(name="city")(contract_city.on_cli)
ok = contract_city.ok


terms_file = contract_city.terms_file


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


def _docx(path: Path) -> Path:
    from docx import Document

    doc = Document()
    doc.add_paragraph("工资专项集体合同：职工年度平均工资增长5.5%，企业最低工资2600元/月。")
    doc.save(str(path))
    return path


def _pdf(path: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    fig = Figure()
    fig.text(0.1, 0.5, "Wage agreement: pay day 10, adjustment 5.5 percent")
    fig.savefig(str(path), format="pdf")
    return path


def test_a_word_or_pdf_file_under_another_name_is_refused_saying_what_it_is(city: tuple[Cli, dict[str, int]],
                                                                            tmp_path: Path) -> None:
    cli, ids = city
    docx, pdf = _docx(tmp_path / "a.docx"), _pdf(tmp_path / "a.pdf")
    for content, name, says, rename in ((docx, "合同.txt", "holds a Word (.docx) file", ".docx"),
                                        (pdf, "合同2.txt", "holds a PDF, not plain text", ".pdf"),
                                        (docx, "合同.pdf", "holds a Word (.docx) file or another zip archive, not a PDF", ".docx"),
                                        (pdf, "合同.docx", "holds a PDF", ".pdf")):
        wrong = tmp_path / name
        wrong.write_bytes(content.read_bytes())
        r = cli("contract", "attach", str(ids["lida"]), str(wrong))
        assert r.exit_code == 1 and r.stderr.count("\n") == 1, r.output
        assert says in r.stderr and f"rename it to {rename}" in r.stderr
    zh = cli("contract", "attach", str(ids["lida"]), str(tmp_path / "合同.txt"), lang="zh")
    assert "内容是 Word（.docx）文件或其他压缩包，不是纯文本；请把扩展名改为 .docx 后重试" in zh.stderr
    assert stored_terms(cli, ids["lida"]) is None  # nothing was kept
    for right in (docx, pdf):
        ok(cli("contract", "attach", str(ids["lida"]), str(right)))


def test_a_text_in_an_unsure_encoding_is_told_how_to_save_a_text_not_a_spreadsheet(city: tuple[Cli, dict[str, int]],
                                                                                 tmp_path: Path) -> None:
    cli, ids = city
    body = "工资专项集体合同\n第一条 职工年度平均工资增长百分之五。\n第二条 企业最低工资每月二千六百元。\n"
    chars = {}
    for name, data in (("utf8.txt", body.encode("utf-8")), ("bom.txt", b"\xef\xbb\xbf" + body.encode("utf-8")),
                       ("gb.txt", body.encode("gb18030")), ("u16.txt", body.encode("utf-16"))):
        (tmp_path / name).write_bytes(data)
        chars[name] = json.loads(ok(cli("contract", "attach", str(ids["lida"]), str(tmp_path / name), "--format", "json")))["chars"]
    assert set(chars.values()) == {len(body)}
    bare = tmp_path / "utf16le.txt"  # UTF-16 without its byte-order mark, nearly all Chinese: not surely anything
    bare.write_bytes(body.encode("utf-16-le"))
    r = cli("contract", "attach", str(ids["lida"]), str(bare))
    assert r.exit_code == 1 and "Excel" not in r.stderr and "save it as UTF-8 text" in r.stderr
    zh = cli("contract", "attach", str(ids["lida"]), str(bare), lang="zh")
    assert "Excel" not in zh.stderr and "另存为 UTF-8 编码的 .txt" in zh.stderr


def test_a_broken_pdf_prints_one_line_and_nothing_from_the_pdf_library(city: tuple[Cli, dict[str, int]], tmp_path: Path) -> None:
    from tests.conftest import run_bargain

    cli, ids = city
    whole = _pdf(tmp_path / "whole.pdf").read_bytes()
    half = tmp_path / "half.pdf"
    half.write_bytes(whole[: len(whole) // 2])
    r = run_bargain("--db", cli.url, "--lang", "en", "contract", "attach", str(ids["lida"]), str(half))
    assert r.returncode == 1 and r.stderr.count("\n") == 1, r.stderr
    assert r.stderr.startswith("error: half.pdf: is not a valid pdf file") and "EOF marker" not in r.stderr


@pytest.mark.parametrize("name, data, says", [
    ("utf16.json", '{"enterprise_min_wage": 2600}'.encode("utf-16"), "is not UTF-8 text"),
    ("gb.json", '{"pay_method": "银行代发"}'.encode("gb18030"), "is not UTF-8 text"),
    ("big.json", b'{"pay_method": "' + b"x" * (1 << 20) + b'"}', "is too large (at most 1024 KB)"),
    ("deep.json", b"[" * 100_000 + b"]" * 100_000, "nests too deeply"),
    ("list.json", b"[1]", "must hold one JSON object"),
    ("bell.json", '{"pay_method": "\\u0007银行代发"}'.encode(), "contract term pay_method: character 1 is the control character U+0007"),
])
def test_a_terms_file_that_is_not_one_utf8_json_object_is_refused_in_one_line(city: tuple[Cli, dict[str, int]], tmp_path: Path,
                                                                            name: str, data: bytes, says: str) -> None:
    cli, ids = city
    path = tmp_path / name
    path.write_bytes(data)
    r = cli("contract", "terms", str(ids["huarui"]), "--data", str(path))
    assert r.exit_code == 1 and r.stderr.count("\n") == 1 and says in r.stderr, r.output
    assert stored_terms(cli, ids["huarui"]) is None


def test_a_missing_terms_file_or_a_folder_is_named_in_chinese(city: tuple[Cli, dict[str, int]], tmp_path: Path) -> None:
    cli, ids = city
    missing = cli("contract", "terms", str(ids["huarui"]), "--data", str(tmp_path / "无.json"), lang="zh")
    assert missing.exit_code == 1 and "找不到文件" in missing.stderr and "Errno" not in missing.stderr
    folder = cli("contract", "terms", str(ids["huarui"]), "--data", str(tmp_path), lang="zh")
    assert folder.exit_code == 1 and "是文件夹" in folder.stderr
    table = ok(cli("contract", "terms", str(ids["huarui"]), "--data", str(terms_file(tmp_path)), lang="zh"))
    assert "《劳动合同法》第五十五条" in table and "符合：" in table
