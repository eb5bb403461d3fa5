"""The annual work summary (年度工作总结) as Markdown or as a Word document, the archive item the Dalian notice
asks each federation to keep. Takes the document engine/summary.py assembles; Chinese by default, English on request."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from engine.activity import ACTIVITIES
from engine.counselor import KIND_ZH, STATUS_ZH
from engine.outputs.files import write_atomic
from engine.registration import cn_date, term_text

FONT = "宋体"
HEADING_FONT = "黑体"

L = {
    "zh": {
        "title": "集体协商指导员年度工作总结", "year": "{y}年度",
        "s1": "一、基本情况", "s2": "二、指导的协商案件", "s3": "三、工作投入", "s4": "四、遇到的困难和解决的办法",
        "s4a": "（一）遇到的困难", "s4b": "（二）解决的办法", "s5": "五、代表职工提出的主要观点和运用的策略技巧",
        "s5a": "（一）主要观点", "s5b": "（二）策略技巧", "s6": "六、取得的效果",
        "name": "姓名", "gender": "性别", "kind": "类别", "status": "状态", "employer": "所在单位", "term": "聘用期限",
        "period": "统计期间", "period_v": "{y}年1月1日至{y}年12月31日",
        "no": "序号", "enterprise": "企业名称", "credit_code": "统一社会信用代码", "from": "年初进度", "to": "年末进度",
        "steps": "推进步骤", "entries": "记录", "hours": "工时", "activity": "工作内容", "count": "次数",
        "total": "合计", "none": "本年度无记录。", "case": "案件", "new_case": "本年立案",
        "signed": "本年签订集体合同（份）", "effective": "年末生效合同（份）", "workers": "覆盖职工（人）",
        "outcome_notes": "效果记录", "figure": "项目", "value": "数量", "content": "内容",
        "footer": "本总结根据指导员工作记录生成，工时以小时计，案件进度以{y}年12月31日为准。",
        "s7": "七、经验和体会", "experience_none": "（由指导员本人填写。）",
        "sign_counselor": "指导员（签名）：", "sign_org": "所属工会（盖章）：", "sign_date": "日期：",
        "blank_date": "　　　　年　　月　　日", "page": "第 {p} 页，共 {n} 页", "subject": "集体协商专职指导员年度工作总结",
    },
    "en": {
        "title": "Bargaining counselor's annual work summary", "year": "Year {y}",
        "s1": "1. The counselor", "s2": "2. Cases guided", "s3": "3. Time spent", "s4": "4. Difficulties met and how they were solved",
        "s4a": "4.1 Difficulties", "s4b": "4.2 Solutions", "s5": "5. Positions argued for the workers and strategies used",
        "s5a": "5.1 Positions", "s5b": "5.2 Strategies", "s6": "6. Outcomes",
        "name": "name", "gender": "gender", "kind": "kind", "status": "status", "employer": "employer", "term": "term",
        "period": "period", "period_v": "1 January to 31 December {y}",
        "no": "no.", "enterprise": "enterprise", "credit_code": "credit code", "from": "at start of year", "to": "at end of year",
        "steps": "steps this year", "entries": "entries", "hours": "hours", "activity": "activity", "count": "entries",
        "total": "total", "none": "nothing recorded this year.", "case": "case", "new_case": "opened this year",
        "signed": "contracts signed this year", "effective": "contracts in force at year end", "workers": "workers covered",
        "outcome_notes": "outcomes recorded", "figure": "item", "value": "value", "content": "detail",
        "footer": "Generated from the counselor's involvement log; hours are clock hours; case progress as of 31 December {y}.",
        "s7": "7. Experience and reflections", "experience_none": "(to be written by the counselor)",
        "sign_counselor": "Counselor (signature): ", "sign_org": "Union (seal): ", "sign_date": "Date: ",
        "blank_date": "____-__-__", "page": "Page {p} of {n}", "subject": "Bargaining counselor's annual work summary",
    },
}


def _date(iso: str | None, lang: str) -> str:
    if not iso:
        return ""
    d = date.fromisoformat(iso)
    return cn_date(d) if lang == "zh" else d.isoformat()


def _state(s: str, states: Mapping[str, tuple[str, str]], lang: str) -> str:
    names = states.get(s)
    return (names[0] if lang == "zh" else names[1]) if names else s


def _hours(h: float) -> str:
    return f"{h:g}"


def experience_paragraphs(text: str) -> list[str]:
    """Free text (`--experience FILE`) as paragraphs: split at blank lines, each paragraph's lines joined."""
    paras = []
    for block in text.replace("\r", "").split("\n\n"):
        para = ""
        for line in (x.strip() for x in block.splitlines()):
            if not line:
                continue
            # A line break inside a Chinese paragraph is no space; between Latin words it is one.
            glue = "" if not para or ord(para[-1]) >= 0x2E80 or ord(line[0]) >= 0x2E80 else " "
            para += glue + line
        if para:
            paras.append(para)
    return paras


def sections(doc: Mapping[str, Any], states: Mapping[str, tuple[str, str]], lang: str = "zh", *,
             experience: str = "") -> list[tuple[str, Any]]:
    """The summary as a list of blocks: ("h1"|"h2", text), ("table", (header, rows)), ("quotes", [text]), ("p", text),
    ("blank", n lines to write by hand), ("signature", [(label, value)]), ("footer", text). Section 七 holds the
    counselor's own 经验和体会: the free text given, then what was logged as `experience`."""
    t = L[lang]
    y = doc["year"]
    c = doc["counselor"]
    zh = lang == "zh"
    term = (term_text(date.fromisoformat(c["term_start"]) if c.get("term_start") else None,
                      date.fromisoformat(c["term_end"]) if c.get("term_end") else None) if zh
            else f"{c.get('term_start') or ''} – {c.get('term_end') or ''}")
    kind = (KIND_ZH.get(c["kind"], c["kind"]) + "指导员") if zh else c["kind"].replace("_", "-")
    status = STATUS_ZH.get(c.get("status", ""), c.get("status", "")) if zh else c.get("status", "")
    blocks: list[tuple[str, Any]] = [("title", t["title"]), ("subtitle", f"{c['name']}　{t['year'].format(y=y)}")]
    blocks.append(("h1", t["s1"]))
    blocks.append(("table", ([t["figure"], t["content"]], [
        [t["name"], c["name"]], [t["gender"], c.get("gender") or ""], [t["kind"], kind], [t["status"], status],
        [t["employer"], c.get("employer") or ""], [t["term"], term], [t["period"], t["period_v"].format(y=y)],
    ])))
    blocks.append(("h1", t["s2"]))
    if doc["cases"]:
        rows = [[i, r["enterprise"], r["credit_code"],
                 _state(r["from_state"], states, lang) if r["from_state"] else t["new_case"], _state(r["state"], states, lang),
                 len(r["steps"]), r["entries"], _hours(r["hours"])] for i, r in enumerate(doc["cases"], start=1)]
        rows.append([t["total"], "", "", "", "", sum(len(r["steps"]) for r in doc["cases"]),
                     sum(r["entries"] for r in doc["cases"]), _hours(doc["hours"])])
        blocks.append(("table", ([t["no"], t["enterprise"], t["credit_code"], t["from"], t["to"], t["steps"], t["entries"],
                                  t["hours"]], rows)))
    else:
        blocks.append(("p", t["none"]))
    blocks.append(("h1", t["s3"]))
    if doc["by_activity"]:
        rows = [[ACTIVITIES.get(a, (a, a))[0 if zh else 1], doc["entries_by_activity"].get(a, 0), _hours(h)]
                for a, h in doc["by_activity"].items()]
        rows.append([t["total"], sum(doc["entries_by_activity"].values()), _hours(doc["hours"])])
        blocks.append(("table", ([t["activity"], t["count"], t["hours"]], rows)))
    else:
        blocks.append(("p", t["none"]))

    def quotes(key: str) -> tuple[str, Any]:
        items = doc.get(key) or []
        if not items:
            return ("p", t["none"])
        return ("quotes", [f"{_date(q['at'], lang)}，{q['enterprise']}（{t['case']} {q['case_id']}）：{q['note']}" if zh
                           else f"{q['at']}, {q['enterprise']} ({t['case']} {q['case_id']}): {q['note']}" for q in items])

    blocks += [("h1", t["s4"]), ("h2", t["s4a"]), quotes("difficulties"), ("h2", t["s4b"]), quotes("solutions")]
    blocks += [("h1", t["s5"]), ("h2", t["s5a"]), quotes("positions"), ("h2", t["s5b"]), quotes("strategies")]
    o = doc["outcomes"]
    blocks.append(("h1", t["s6"]))
    blocks.append(("table", ([t["figure"], t["value"]], [
        [t["signed"], o["signed"]], [t["effective"], o["effective"]], [t["workers"], o["workers_covered"]],
    ])))
    if doc.get("outcome_notes"):
        blocks += [("h2", t["outcome_notes"]), quotes("outcome_notes")]
    blocks.append(("h1", t["s7"]))
    own = experience_paragraphs(experience)
    blocks += [("p", para) for para in own]
    if doc.get("experiences"):
        blocks.append(quotes("experiences"))
    if not own and not doc.get("experiences"):
        blocks += [("p", t["experience_none"]), ("blank", 6)]
    blocks.append(("signature", [(t["sign_counselor"], ""), (t["sign_org"], ""), (t["sign_date"], t["blank_date"])]))
    blocks.append(("footer", t["footer"].format(y=y)))
    return blocks


def _md_cell(v: Any) -> str:
    return str(v).replace("|", "\\|").replace("\n", " ")


def markdown(doc: Mapping[str, Any], states: Mapping[str, tuple[str, str]], lang: str = "zh", *, experience: str = "") -> str:
    """The summary as Markdown."""
    out: list[str] = []
    for kind, body in sections(doc, states, lang, experience=experience):
        if kind == "title":
            out.append(f"# {body}\n")
        elif kind == "subtitle":
            out.append(f"**{body}**\n")
        elif kind == "h1":
            out.append(f"## {body}\n")
        elif kind == "h2":
            out.append(f"### {body}\n")
        elif kind == "table":
            header, rows = body
            out.append("| " + " | ".join(map(_md_cell, header)) + " |")
            out.append("|" + "---|" * len(header))
            out.extend("| " + " | ".join(map(_md_cell, r)) + " |" for r in rows)
            out.append("")
        elif kind == "quotes":
            out.extend(f"{i}. > {_md_cell(q)}" for i, q in enumerate(body, start=1))
            out.append("")
        elif kind == "blank":
            out.append("\n".join(["&nbsp;"] * body) + "\n")
        elif kind == "signature":
            out.extend(f"{label}{value or '__________'}  " for label, value in body)
            out.append("")
        else:
            out.append(f"{'_' + body + '_' if kind == 'footer' else body}\n")
    return "\n".join(out)


def _cjk(style: Any, name: str) -> None:
    """Make a style's text use a CJK font for East Asian characters too (python-docx sets only Latin ones)."""
    from docx.oxml.ns import qn

    style.font.name = name
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)


# Column widths (cm) of the summary's tables, told apart by their number of columns; the text area is 16 cm.
TABLE_WIDTHS = {2: (4.0, 12.0), 3: (8.0, 3.5, 4.5), 8: (0.9, 3.7, 4.1, 1.8, 1.9, 1.1, 1.1, 1.4)}


def _table(d: Any, header: list[str], rows: list[list[Any]]) -> None:
    """A bordered table in 10 pt with a bold header row repeated on every page."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    table = d.add_table(rows=1 + len(rows), cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = TABLE_WIDTHS.get(len(header), tuple(16.0 / len(header) for _ in header))
    for column, width in zip(table.columns, widths):  # the grid (read by LibreOffice) and each cell (read by Word)
        column.width = Cm(width)
    for i, (row, values) in enumerate(zip(table.rows, [header, *rows])):
        for cell, value, width in zip(row.cells, values, widths):
            cell.width = Cm(width)
            cell.text = str(value)
            for run in cell.paragraphs[0].runs:
                run.font.size = Pt(10)
                run.bold = i == 0
    marker = OxmlElement("w:tblHeader")  # repeat the header row when the table runs over a page
    marker.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(marker)


def _field(paragraph: Any, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) in a paragraph, one run per part as Word writes it: begin, instruction,
    separate, a placeholder number, end. Word and LibreOffice fill in the number when they lay out the pages."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def run_with(el: Any) -> None:
        paragraph.add_run()._r.append(el)

    def char(kind: str) -> Any:
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        return el

    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run_with(char("begin"))
    run_with(instr)
    run_with(char("separate"))
    paragraph.add_run("1")
    run_with(char("end"))


def _page_footer(section: Any, lang: str) -> None:
    """The footer: 第 PAGE 页，共 NUMPAGES 页, centred."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    before, rest = L[lang]["page"].split("{p}")
    middle, after = rest.split("{n}")
    p.add_run(before)
    _field(p, "PAGE")
    p.add_run(middle)
    _field(p, "NUMPAGES")
    p.add_run(after)


def document(doc: Mapping[str, Any], states: Mapping[str, tuple[str, str]], lang: str = "zh", *, experience: str = "",
             created: datetime | None = None, author: str = "") -> Any:
    """The summary as a python-docx Document (A4, CJK fonts, bordered tables, page numbers in the footer, a signature
    and date block) with its own metadata: title, author (the counselor unless given), created and modified at
    `created` (the caller's clock; the document has none), no template leftovers."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt, RGBColor

    d = Document()
    sec = d.sections[0]
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(sec, side, Cm(2.5))
    sec.top_margin = sec.bottom_margin = Cm(2.5)  # 21 - 2 x 2.5: a 16 cm text area
    _cjk(d.styles["Normal"], FONT)
    d.styles["Normal"].font.size = Pt(12)
    for name, size in (("Title", 20), ("Heading 1", 15), ("Heading 2", 13)):
        _cjk(d.styles[name], HEADING_FONT)
        d.styles[name].font.size = Pt(size)
        d.styles[name].font.color.rgb = RGBColor(0, 0, 0)
        d.styles[name].font.bold = name != "Title"
    c = doc["counselor"]
    props = d.core_properties
    props.title = f"{c['name']} {doc['year']} {L[lang]['title']}"
    props.author = author or c["name"]
    props.last_modified_by = author or c["name"]
    props.subject = L[lang]["subject"]
    props.keywords = f"{doc['year']}; {c['name']}"
    props.comments = ""
    props.category = ""
    props.language = "zh-CN" if lang == "zh" else "en"
    props.revision = 1
    if created is not None:
        stamp = created.astimezone(UTC).replace(tzinfo=None, microsecond=0)  # docx stores W3CDTF in UTC
        props.created = props.modified = stamp
        for old in props._element.findall(qn("cp:lastPrinted")):  # the template's 2013 print date
            props._element.remove(old)
    _page_footer(sec, lang)
    for kind, body in sections(doc, states, lang, experience=experience):
        if kind == "title":
            d.add_heading(body, level=0).alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif kind == "subtitle":
            p = d.add_paragraph(body)
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif kind in ("h1", "h2"):
            d.add_heading(body, level=1 if kind == "h1" else 2)
        elif kind == "table":
            _table(d, *body)
            d.add_paragraph()
        elif kind == "quotes":
            for i, q in enumerate(body, start=1):
                p = d.add_paragraph(f"{i}. {q}")
                p.paragraph_format.left_indent = Cm(0.75)
        elif kind == "blank":
            for _ in range(body):  # ruled lines to write on by hand
                _ruled(d.add_paragraph("\u3000"))
        elif kind == "signature":
            d.add_paragraph()
            for label, value in body:
                p = d.add_paragraph()
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                p.paragraph_format.space_before = Pt(12)
                p.add_run(label)
                p.add_run(value or "_" * 20)  # a line to sign on (underlined spaces do not print everywhere)
        elif kind == "footer":
            p = d.add_paragraph(body)
            p.runs[0].italic = True
        else:
            p = d.add_paragraph(body)
            p.paragraph_format.first_line_indent = Pt(24) if lang == "zh" else None  # two characters, as Chinese prose
    return d


def _ruled(paragraph: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    ppr = paragraph._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "4"), ("w:space", "1"), ("w:color", "999999")):
        bottom.set(qn(k), v)
    border.append(bottom)
    ppr.append(border)


def write_docx(doc: Mapping[str, Any], states: Mapping[str, tuple[str, str]], path: Path, lang: str = "zh", *,
               experience: str = "", created: datetime | None = None, author: str = "") -> None:
    """Write the summary as a .docx, whole or not at all."""
    document_ = document(doc, states, lang, experience=experience, created=created, author=author)
    write_atomic(path, lambda tmp: document_.save(str(tmp)))


SUMMARY_CSS = """
h1.title { text-align: center; font-family: %s; font-size: 1.6em; margin-top: .4em; }
p.subtitle { text-align: center; margin-bottom: 1em; }
p.para { text-indent: 2em; }
ol.quotes { margin: .2em 0 .6em 1.4em; padding: 0; }
p.blank { border-bottom: 1px solid #999; height: 1.6em; margin: 0; }
div.signature { margin-top: 2.5em; text-align: right; line-height: 2.6; break-inside: avoid; }
div.signature span.line { display: inline-block; min-width: 10em; border-bottom: 1px solid #333; }
p.foot { font-style: italic; }
"""


def summary_html(doc: Mapping[str, Any], states: Mapping[str, tuple[str, str]], lang: str = "zh", *,
                 experience: str = "") -> str:
    """The summary as one printable HTML page (the PDF's source): the same blocks as the docx."""
    from engine.outputs.htmldoc import SERIF, esc, page, table

    parts: list[str] = []
    title = ""
    for kind, body in sections(doc, states, lang, experience=experience):
        if kind == "title":
            title = body
            parts.append(f'<h1 class="title">{esc(body)}</h1>')
        elif kind == "subtitle":
            parts.append(f'<p class="subtitle">{esc(body)}</p>')
        elif kind in ("h1", "h2"):
            parts.append(f"<{'h2' if kind == 'h1' else 'h3'}>{esc(body)}</{'h2' if kind == 'h1' else 'h3'}>")
        elif kind == "table":
            header, rows = body
            numeric = [j for j in range(len(header)) if j > 0 and all(_numeric(r[j]) for r in rows)]
            total = bool(rows) and str(rows[-1][0]) == L[lang]["total"]
            widths = [f"{w / 16 * 100:.1f}%" for w in TABLE_WIDTHS.get(len(header), ())]
            parts.append(table(header, rows, numeric=numeric, total_last=total, widths=widths))
        elif kind == "quotes":
            parts.append('<ol class="quotes">' + "".join(f"<li>{esc(q)}</li>" for q in body) + "</ol>")
        elif kind == "blank":
            parts.append('<p class="blank"></p>' * body)
        elif kind == "signature":
            lines = [f"{esc(label)}<span class=\"line\">{esc(value)}</span>" if not value else f"{esc(label)}{esc(value)}"
                     for label, value in body]
            parts.append('<div class="signature">' + "<br>".join(lines) + "</div>")
        elif kind == "footer":
            parts.append(f'<p class="foot">{esc(body)}</p>')
        else:
            parts.append(f'<p class="para">{esc(body)}</p>')
    c = doc["counselor"]
    head = f"{c['name']} · {L[lang]['year'].format(y=doc['year'])}"
    return page(title, "\n".join(parts), lang, head=head, extra_css=SUMMARY_CSS % SERIF)


def _numeric(value: Any) -> bool:
    if isinstance(value, (int, float)):
        return True
    try:
        float(str(value))
    except ValueError:
        return str(value) == ""
    return True
