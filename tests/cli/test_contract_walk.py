"""What a new user met walking issue 17 on the demo: a zip bomb or a broken docx refused in one Chinese line with
nothing written, the Chinese tables Chinese all the way (verdicts, missing terms, citations 第N条, what ended a
deadline), averages to the hundredth."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.helpers import contract_city
from tests.helpers.contract_city import CONTRACTS, GOOD_TERMS

city = pytest.fixture(name="city")(contract_city.on_cli)
ok = contract_city.ok


def _docx(path: Path, padding: int = 0) -> Path:
    import docx

    plain = path.with_name("plain.docx")
    d = docx.Document()
    d.add_paragraph("第一条 工资集体协商合同。" * 30)
    d.save(str(plain))
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml" and padding:
                data = data.replace(b"<w:body>", b"<w:body><!--" + b" " * padding + b"-->")
            out.writestr(info.filename, data)
    return path


def test_a_docx_zip_bomb_is_refused_before_it_is_unpacked_and_nothing_is_written(city: tuple[Cli, dict[str, int]],
                                                                                 tmp_path: Path) -> None:
    cli, ids = city
    bomb = _docx(tmp_path / "合同.docx", padding=80 * 1024 * 1024)
    assert bomb.stat().st_size < 1024 * 1024
    result = cli("contract", "attach", str(ids["lida"]), str(bomb), lang="zh")
    assert result.exit_code == 1 and "压缩炸弹" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    shown = json.loads(ok(cli("case", "show", str(ids["lida"]), "--format", "json")))
    assert not (shown.get("contract") or {}).get("file_sha256")
    assert ok(cli("contract", "attach", str(ids["lida"]), str(_docx(tmp_path / "ok.docx"))))


def test_a_broken_docx_is_refused_in_chinese_without_the_exception_s_name(city: tuple[Cli, dict[str, int]],
                                                                         tmp_path: Path) -> None:
    cli, ids = city
    fake = tmp_path / "fake.docx"
    fake.write_bytes(b"PK\x03\x04 not really a zip")
    result = cli("contract", "attach", str(ids["lida"]), str(fake), lang="zh")
    assert result.exit_code == 1 and "不是有效的 docx 文件" in result.stderr
    assert "Error" not in result.stderr and "BadZip" not in result.stderr


def test_the_chinese_tables_name_the_verdicts_and_missing_terms_in_chinese(city: tuple[Cli, dict[str, int]],
                                                                         tmp_path: Path) -> None:
    cli, ids = city
    ok(cli("contract", "reference", "add", str(CONTRACTS / "reference.txt"), "--name", "参考"))
    for key, fixture in (("huarui", "copy_huarui"), ("hengtong", "copy_hengtong")):
        ok(cli("contract", "attach", str(ids[key]), str(CONTRACTS / f"{fixture}.txt")))
    table = ok(cli("contract", "similar", lang="zh"))
    assert "未登记合同条款" in table and "terms" not in table
    terms = tmp_path / "terms.json"
    terms.write_text(json.dumps(GOOD_TERMS, ensure_ascii=False), encoding="utf-8")
    table = ok(cli("contract", "terms", str(ids["lida"]), "--data", str(terms), lang="zh"))
    assert "符合：" in table.replace(": ", "：") and " ok:" not in table
    assert "ok: " in ok(cli("contract", "terms", str(ids["lida"]), "--data", str(terms), lang="en"))


def test_case_show_cites_articles_in_chinese_and_names_what_ended_each_deadline(city: tuple[Cli, dict[str, int]]) -> None:
    cli, ids = city
    table = ok(cli("case", "show", str(ids["huarui"]), lang="zh"))
    assert "第十七条" in table and "art." not in table
    assert "应约 " in table and "accept " not in table
    english = ok(cli("case", "show", str(ids["huarui"]), lang="en"))
    assert "art. 17" in english and "accept" in english.lower()


def test_report_quality_averages_to_the_hundredth(city: tuple[Cli, dict[str, int]], tmp_path: Path) -> None:
    cli, ids = city
    terms = tmp_path / "terms.json"
    terms.write_text(json.dumps(GOOD_TERMS, ensure_ascii=False), encoding="utf-8")
    ok(cli("contract", "terms", str(ids["lida"]), "--data", str(terms)))
    ok(cli("contract", "attach", str(ids["huarui"]), str(CONTRACTS / "copy_huarui.txt")))
    ok(cli("contract", "attach", str(ids["hengtong"]), str(CONTRACTS / "copy_hengtong.txt")))
    body = json.loads(ok(cli("report", "quality", "--year", "2026", "--format", "json")))
    values = [v for row in [*body.get("rows", []), body.get("total", {})] if isinstance(row, dict)
              for k, v in row.items() if k.startswith(("avg_", "score_avg")) and isinstance(v, float)]
    assert values and all(round(v, 2) == v for v in values)
