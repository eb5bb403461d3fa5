"""`bargain case filing`: the filing bundle (报送审查材料) opens as Word documents with the contract text, the process
explanation built from the events, the congress resolution with attendance and votes, and both sides' representatives."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from docx import Document

from tests.conftest import Cli
from tests.helpers import contract_city
from tests.helpers.contract_city import CONTRACTS, code


def _text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_the_filing_bundle_opens_in_word_with_every_part(cli: Cli, tmp_path: Path) -> None:
    ids = contract_city.build(cli.url)
    case = str(ids["lida"])
    assert cli("contract", "attach", case, str(CONTRACTS / "specific_lida.txt")).exit_code == 0
    out = tmp_path / "报送材料.zip"
    result = cli("case", "filing", case, "--out", str(out), "--format", "json", lang="zh")
    assert result.exit_code == 0, result.output
    names = json.loads(result.stdout)["files"]
    with zipfile.ZipFile(out) as z:
        files = {n: z.read(n) for n in z.namelist()}
    assert set(names) == set(files) and "原件/specific_lida.txt" in files
    contract = _text(files["01-工资专项集体合同文本.docx"])
    assert "昆山立达电子科技有限公司" in contract and "sha256" in contract
    process = _text(files["02-协商过程说明.docx"])
    assert "发出要约" in process and "召开协商会议" in process and "2026-06-01" in process
    assert "依据：《工资集体协商试行办法》第二十一条；《集体合同规定》第四十二条" in process  # cited as a filed paper cites
    resolution = _text(files["03-职工代表大会决议.docx"])
    assert "依据：《集体合同规定》第三十六条" in resolution
    assert "应到 60 人，实到 40 人" in resolution and "赞成 31 票" in resolution and "三分之二以上" in resolution
    reps = _text(files["04-双方协商代表名单.docx"])
    assert "职工1" in reps and "企业3" in reps and "记录员" in reps
    manifest = json.loads(files["manifest.json"])
    assert manifest["credit_code"] == code("lida") and len(manifest["files"]) == 5


def test_a_case_not_yet_signed_has_nothing_to_file_and_no_file_is_left(cli: Cli, tmp_path: Path) -> None:
    from engine.store.database import Store

    contract_city.build(cli.url)
    store = Store(cli.url)
    case = contract_city.walk(store, contract_city.code("huarui"), year=2027, until="agree_draft")
    store.dispose()
    out = tmp_path / "f.zip"
    result = cli("case", "filing", str(case), "--out", str(out))
    assert result.exit_code == 1 and "signed" in result.stderr
    assert not out.exists() and not list(tmp_path.glob("*.part"))


def test_a_signed_case_without_a_text_is_refused_with_a_hint(cli: Cli, tmp_path: Path) -> None:
    ids = contract_city.build(cli.url)
    result = cli("case", "filing", str(ids["huarui"]), "--out", str(tmp_path / "f.zip"))
    assert result.exit_code == 1 and "contract attach" in result.stderr
