"""`bargain contract …`, `case mark`, the quality key of `case show` and `report quality`, tried as a new user
would (issue 17's "done when"), on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import Cli, run_bargain
from tests.helpers import contract_city
from tests.helpers.contract_city import CONTRACTS

city = pytest.fixture(name="city")(contract_city.on_cli)
ok = contract_city.ok


terms_file = contract_city.terms_file


def with_texts(cli: Cli, ids: dict[str, int], tmp_path: Path) -> None:
    """The reference text, two copies of it (only the name changed) and one specific contract, all attached."""
    ok(cli("contract", "reference", "add", str(CONTRACTS / "reference.txt"), "--name", "苏州市参考文本", "--org", "320500"))
    for key, fixture in (("huarui", "copy_huarui"), ("hengtong", "copy_hengtong"), ("lida", "specific_lida")):
        ok(cli("contract", "attach", str(ids[key]), str(CONTRACTS / f"{fixture}.txt")))
    ok(cli("contract", "terms", str(ids["lida"]), "--data", str(terms_file(tmp_path))))


def test_terms_at_or_above_the_minimum_wage_are_recorded_with_the_notice_cited(city: tuple[Cli, dict[str, int]],
                                                                                tmp_path: Path) -> None:
    cli, ids = city
    body = json.loads(ok(cli("contract", "terms", str(ids["huarui"]), "--data", str(terms_file(tmp_path)), "--format", "json")))
    assert body["place"] == "320505" and body["min_wage"]["status"] == "ok"
    assert body["min_wage"]["statutory"] == "2490" and "苏州" in body["min_wage"]["source"]
    assert body["terms"]["wage_adjustment_pct"] == "5.5" and body["missing_items"] == ["other"]


def test_a_minimum_wage_below_the_published_figure_is_refused_with_its_source_and_nothing_is_written(
        city: tuple[Cli, dict[str, int]], tmp_path: Path) -> None:
    cli, ids = city
    result = cli("contract", "terms", str(ids["huarui"]), "--data", str(terms_file(tmp_path, enterprise_min_wage=2000)),
                 "--format", "json")
    assert result.exit_code == 1
    error = json.loads(result.stdout)["error"]
    assert error["rule"] == "min_wage" and (error["required"], error["actual"]) == ("2490", "2000")
    assert "劳动合同法 第五十五条" in error["source"] and "2490" in error["source"]
    shown = json.loads(ok(cli("case", "show", str(ids["huarui"]), "--format", "json")))
    assert "quality" not in shown


def test_a_place_not_in_the_figures_file_says_unknown_never_a_guess(city: tuple[Cli, dict[str, int]], tmp_path: Path) -> None:
    cli, ids = city
    body = json.loads(ok(cli("contract", "terms", str(ids["beijing"]), "--data", str(terms_file(tmp_path, enterprise_min_wage=100)),
                             "--format", "json")))
    assert body["min_wage"]["status"] == "unknown" and body["min_wage"]["statutory"] is None
    assert "unknown" in body["min_wage"]["message_en"]


def test_bad_terms_are_refused_with_a_suggestion(city: tuple[Cli, dict[str, int]], tmp_path: Path) -> None:
    cli, ids = city
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"wage_adjustmnt_pct": 3}), encoding="utf-8")
    result = cli("contract", "terms", str(ids["huarui"]), "--data", str(path))
    assert result.exit_code == 1 and "wage_adjustment_pct" in result.stderr


def test_two_copies_of_the_reference_are_flagged_and_grouped_and_the_specific_one_is_not(city: tuple[Cli, dict[str, int]],
                                                                                       tmp_path: Path) -> None:
    cli, ids = city
    with_texts(cli, ids, tmp_path)
    body = json.loads(ok(cli("contract", "similar", "--org", "320500", "--format", "json")))
    assert body["contracts"] == 3 and body["references"] == ["苏州市参考文本"]
    assert [[m["case_id"] for m in g["members"]] for g in body["groups"]] == [sorted([ids["huarui"], ids["hengtong"]])]
    assert sorted(x["case_id"] for x in body["copied_template"]) == sorted([ids["huarui"], ids["hengtong"]])
    assert all(x["reference"] == "苏州市参考文本" and x["jaccard"] >= 0.8 for x in body["copied_template"])
    assert "照抄照搬参考文本" in body["threshold_source"]
    table = ok(cli("contract", "similar", "--org", "320500", lang="zh"))
    assert "照抄参考文本（2）" in table and "近似相同的合同组（1）" in table


def test_a_copy_that_states_its_own_numbers_is_not_a_copied_template(city: tuple[Cli, dict[str, int]], tmp_path: Path) -> None:
    cli, ids = city
    with_texts(cli, ids, tmp_path)
    ok(cli("contract", "terms", str(ids["huarui"]), "--data", str(terms_file(tmp_path))))
    body = json.loads(ok(cli("contract", "similar", "--format", "json")))
    assert [x["case_id"] for x in body["copied_template"]] == [ids["hengtong"]]


def test_case_show_has_the_score_with_each_part_weight_and_source_only_when_there_is_a_contract(
        city: tuple[Cli, dict[str, int]], tmp_path: Path) -> None:
    cli, ids = city
    assert "quality" not in json.loads(ok(cli("case", "show", str(ids["lida"]), "--format", "json")))
    with_texts(cli, ids, tmp_path)
    quality = json.loads(ok(cli("case", "show", str(ids["lida"]), "--format", "json")))["quality"]
    parts = {p["id"]: p for p in quality["parts"]}
    assert len(parts) == 9 and sum(p["weight"] for p in parts.values()) == 100
    assert parts["min_wage_met"]["earned"] == "15.00" and parts["min_wage_met"]["source"] == "劳动合同法 第五十五条"
    assert parts["not_copied"]["earned"] == "15.00" and parts["congress_attendance"]["earned"] == "10.00"
    assert parts["filed_on_time"]["earned"] == "5.00" and parts["published_on_time"]["earned"] == "5.00"
    assert quality["copied_template"] is False
    assert Decimal(quality["total"]) == sum(Decimal(p["earned"]) for p in parts.values()) == Decimal("97.50")
    copied = json.loads(ok(cli("case", "show", str(ids["hengtong"]), "--format", "json")))["quality"]
    assert copied["copied_template"] is True and copied["reference_match"]["reference"] == "苏州市参考文本"
    assert "权重" in ok(cli("case", "show", str(ids["lida"]), lang="zh"))


def test_report_quality_prints_the_parts_with_their_sources_and_the_typical_cases(city: tuple[Cli, dict[str, int]],
                                                                                  tmp_path: Path) -> None:
    cli, ids = city
    with_texts(cli, ids, tmp_path)
    ok(cli("case", "mark", str(ids["lida"]), "--typical", "--note", "增幅与效益挂钩"))
    md = ok(cli("report", "quality", "--year", "2026", "--org", "320500", "--format", "md", lang="zh"))
    assert "《劳动合同法》第五十五条" in md and "《集体合同规定》第三十六条" in md and "满分 20 分" in md
    assert "典型案例：案件 3" in md and "增幅与效益挂钩" in md
    body = json.loads(ok(cli("report", "quality", "--year", "2026", "--org", "320500", "--by", "industry", "--format", "json")))
    assert body["total"]["contracts"] == 3 and body["total"]["copied_template"] == 2 and body["total"]["typical"] == 1
    assert [p["weight"] for p in body["points"]] == [20, 15, 15, 15, 10, 5, 10, 5, 5]
    assert {r["group"] for r in body["rows"]} == {"制造业", "纺织业"}
    assert [x["case_id"] for x in body["typical"]] == [ids["lida"]]
    out = tmp_path / "q.xlsx"
    ok(cli("report", "quality", "--year", "2026", "--out", str(out)))
    from openpyxl import load_workbook

    assert load_workbook(out).active.max_row >= 3


def test_marking_typical_needs_a_note(city: tuple[Cli, dict[str, int]]) -> None:
    cli, ids = city
    assert cli("case", "mark", str(ids["lida"]), "--typical").exit_code == 1


def test_a_docx_and_a_pdf_are_read_and_their_originals_kept_with_a_sha256(city: tuple[Cli, dict[str, int]], tmp_path: Path) -> None:
    import hashlib

    from docx import Document

    cli, ids = city
    doc = Document()
    for line in (CONTRACTS / "specific_lida.txt").read_text(encoding="utf-8").splitlines():
        doc.add_paragraph(line)
    docx = tmp_path / "立达合同.docx"
    doc.save(str(docx))
    body = json.loads(ok(cli("contract", "attach", str(ids["lida"]), str(docx), "--format", "json")))
    assert body["kind"] == "docx" and body["sha256"] == hashlib.sha256(docx.read_bytes()).hexdigest()
    assert body["chars"] > 1000

    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    fig = Figure()
    fig.text(0.1, 0.5, "Wage agreement: pay day 10, adjustment 5.5 percent")
    pdf = tmp_path / "agreement.pdf"
    fig.savefig(str(pdf), format="pdf")
    body = json.loads(ok(cli("contract", "attach", str(ids["huarui"]), str(pdf), "--format", "json")))
    assert body["kind"] == "pdf" and body["chars"] > 20


def test_unsupported_broken_and_oversized_files_are_refused(city: tuple[Cli, dict[str, int]], tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    cli, ids = city
    old = tmp_path / "合同.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    result = cli("contract", "attach", str(ids["lida"]), str(old))
    assert result.exit_code == 1 and ".docx" in result.stderr
    fake = tmp_path / "fake.docx"
    fake.write_text("not a zip", encoding="utf-8")
    assert cli("contract", "attach", str(ids["lida"]), str(fake)).exit_code == 1
    from engine.imports import document

    monkeypatch.setattr(document, "MAX_FILE_BYTES", 100)
    result = cli("contract", "attach", str(ids["lida"]), str(CONTRACTS / "specific_lida.txt"))
    assert result.exit_code == 1 and "limit" in result.stderr


def test_a_reference_name_is_taken_once(city: tuple[Cli, dict[str, int]]) -> None:
    cli, _ = city
    ok(cli("contract", "reference", "add", str(CONTRACTS / "reference.txt"), "--name", "参考"))
    assert cli("contract", "reference", "add", str(CONTRACTS / "reference.txt"), "--name", "参考").exit_code == 1


def test_the_installed_script_refuses_a_low_minimum_wage_with_exit_1(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'b.db'}"
    ids = contract_city.build(url)
    proc = run_bargain("--db", url, "contract", "terms", str(ids["huarui"]), "--data",
                       str(terms_file(tmp_path, enterprise_min_wage=1000)))
    assert proc.returncode == 1 and "2490" in proc.stderr and proc.stdout == ""
