"""The filing bundle (报送审查材料) as a .zip of Word documents: the contract text, the explanation of the bargaining
process, the congress resolution, the representatives of both sides, the attached original and a manifest with
every file's sha256. Written whole or not at all (engine/outputs/form_sheet.write_atomic)."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from engine.citation import cite
from engine.filing import CCR36, CCR42, WCB21, FilingMaterial
from engine.outputs.files import write_atomic
from engine.outputs.summary_doc import FONT, HEADING_FONT, _cjk, _table

L = {
    "zh": {
        "contract": "01-工资专项集体合同文本", "process": "02-协商过程说明", "resolution": "03-职工代表大会决议",
        "reps": "04-双方协商代表名单",
        "process_title": "工资集体协商过程说明", "resolution_title": "关于《工资专项集体合同（草案）》的决议",
        "reps_title": "双方协商代表名单", "enterprise": "企业", "credit_code": "统一社会信用代码", "term": "合同期限",
        "date": "日期", "step": "事项", "detail": "说明", "worker": "职工方", "employer": "企业方", "name": "姓名",
        "chief": "首席代表", "external": "外聘", "yes": "是", "no": "", "recorder": "记录员",
        "congress": "职工代表大会", "assembly": "职工大会",
        "intro": "{e}与本企业工会依照《工资集体协商试行办法》进行工资集体协商，过程如下：",
        "res_body": "{d}，{e}{b}审议《工资专项集体合同（草案）》。应到 {t} 人，实到 {p} 人（{q}），赞成 {v} 票（{m}）。",
        "quorum_ok": "达到全体成员三分之二以上", "quorum_no": "不足全体成员三分之二",
        "pass_ok": "超过全体成员半数，草案通过", "pass_no": "未超过全体成员半数",
        "basis": "依据：", "original": "原件", "sha": "原件 sha256：",
    },
    "en": {
        "contract": "01-wage-agreement-text", "process": "02-bargaining-process", "resolution": "03-congress-resolution",
        "reps": "04-representatives",
        "process_title": "How the wage agreement was bargained", "resolution_title": "Resolution on the draft wage agreement",
        "reps_title": "Representatives of both sides", "enterprise": "enterprise", "credit_code": "credit code", "term": "term",
        "date": "date", "step": "step", "detail": "detail", "worker": "workers", "employer": "employer", "name": "name",
        "chief": "chief", "external": "outside expert", "yes": "yes", "no": "", "recorder": "recorder",
        "congress": "staff congress", "assembly": "all-staff assembly",
        "intro": "{e} and its union bargained the wage agreement under the WCB as follows:",
        "res_body": "On {d} the {b} of {e} voted on the draft wage agreement: {p} of {t} members present ({q}), {v} for ({m}).",
        "quorum_ok": "at least two thirds of all members", "quorum_no": "under two thirds of all members",
        "pass_ok": "more than half of all members: passed", "pass_no": "not more than half of all members",
        "basis": "Basis: ", "original": "original", "sha": "original sha256: ",
    },
}


def _doc(title: str) -> Any:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt, RGBColor

    d = Document()
    sec = d.sections[0]
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    sec.left_margin = sec.right_margin = sec.top_margin = sec.bottom_margin = Cm(2.5)
    _cjk(d.styles["Normal"], FONT)
    d.styles["Normal"].font.size = Pt(12)
    for name in ("Title", "Heading 1"):
        _cjk(d.styles[name], HEADING_FONT)
        d.styles[name].font.color.rgb = RGBColor(0, 0, 0)
    d.core_properties.title = title
    d.core_properties.author = "bargain"
    d.add_heading(title, level=0).alignment = WD_ALIGN_PARAGRAPH.CENTER
    return d


def _bytes(d: Any) -> bytes:
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _head(d: Any, m: FilingMaterial, t: Mapping[str, str]) -> None:
    d.add_paragraph(f"{t['enterprise']}：{m.enterprise}　{t['credit_code']}：{m.credit_code}")
    d.add_paragraph(f"{t['term']}：{m.term_start} — {m.term_end}")


def contract_doc(m: FilingMaterial, lang: str) -> bytes:
    """The contract text, paragraph by paragraph, with the original's sha256."""
    t = L[lang]
    d = _doc(f"{m.enterprise} {m.workflow_zh if lang == 'zh' else m.workflow_en}")
    for line in m.contract_text.splitlines():
        if line.strip():
            d.add_paragraph(line.strip())
    if m.sha256:
        d.add_paragraph(f"{t['sha']}{m.sha256}")
    return _bytes(d)


def process_doc(m: FilingMaterial, lang: str) -> bytes:
    """The explanation of the bargaining process, one row per step, from the case's events."""
    t = L[lang]
    d = _doc(t["process_title"])
    _head(d, m, t)
    d.add_paragraph(t["intro"].format(e=m.enterprise))
    rows = [[s.on.isoformat(), s.zh if lang == "zh" else s.en, s.detail_zh if lang == "zh" else s.detail_en] for s in m.steps]
    _table(d, [t["date"], t["step"], t["detail"]], rows)
    d.add_paragraph(t["basis"] + ("；" if lang == "zh" else "; ").join(cite(s, lang) for s in (WCB21, CCR42)))
    return _bytes(d)


def resolution_doc(m: FilingMaterial, lang: str) -> bytes:
    """The congress resolution: attendance against all members, votes for against all members."""
    t, r = L[lang], m.resolution
    d = _doc(t["resolution_title"])
    d.add_paragraph(t["res_body"].format(d=r.on.isoformat(), e=m.enterprise, b=t.get(r.body, r.body), t=r.total, p=r.present,
                                         q=t["quorum_ok"] if r.quorum else t["quorum_no"], v=r.votes_for,
                                         m=t["pass_ok"] if r.passed else t["pass_no"]))
    d.add_paragraph(f"{t['basis']}{cite(CCR36, lang)}")
    return _bytes(d)


def _rep_rows(side: str, reps: Sequence[Mapping[str, Any]], t: Mapping[str, str]) -> list[list[str]]:
    return [[side, str(r.get("name", "")), t["yes"] if r.get("chief") else t["no"], t["yes"] if r.get("external") else t["no"]]
            for r in reps]


def reps_doc(m: FilingMaterial, lang: str) -> bytes:
    """Both sides' representatives, chiefs and outside experts marked, and the recorder."""
    t = L[lang]
    d = _doc(t["reps_title"])
    _head(d, m, t)
    rows = _rep_rows(t["worker"], m.worker_reps, t) + _rep_rows(t["employer"], m.employer_reps, t)
    _table(d, ["", t["name"], t["chief"], t["external"]], rows)
    if m.recorder:
        d.add_paragraph(f"{t['recorder']}：{m.recorder}")
    return _bytes(d)


def bundle_files(m: FilingMaterial, lang: str = "zh") -> dict[str, bytes]:
    """Every file of the bundle by its name in the zip, the manifest last."""
    t = L[lang]
    files = {
        f"{t['contract']}.docx": contract_doc(m, lang),
        f"{t['process']}.docx": process_doc(m, lang),
        f"{t['resolution']}.docx": resolution_doc(m, lang),
        f"{t['reps']}.docx": reps_doc(m, lang),
    }
    if m.original is not None:
        files[f"{t['original']}/{m.original[0]}"] = m.original[1]
    manifest = {"case_id": m.case_id, "enterprise": m.enterprise, "credit_code": m.credit_code, "signed_on": m.signed_on.isoformat(),
                "term_start": m.term_start, "term_end": m.term_end, "sources": [WCB21, CCR42, CCR36],
                "files": [{"name": n, "size": len(b), "sha256": hashlib.sha256(b).hexdigest()} for n, b in files.items()]}
    files["manifest.json"] = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
    return files


def write_bundle(m: FilingMaterial, path: Path, lang: str = "zh") -> list[str]:
    """Write the bundle as a .zip, whole or not at all; the names of the files in it."""
    files = bundle_files(m, lang)

    def write(tmp: Path) -> None:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as z:
            for name, data in files.items():
                z.writestr(name, data)

    write_atomic(path, write)
    return list(files)
