"""Reports out to people and spreadsheets: text table, Markdown, CSV (UTF-8 with BOM) and XLSX.

Every format shows the same sections (the year, the comparison year, the change) and states the
definitions of its figures. JSON is `Report.as_json`; the chart is `engine.chart`.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

from engine.cell import append, csv_row, put
from engine.outputs.page import Filing, print_ready
from engine.reports.model import DAYS, INT, RATE, TEXT, Aside, Column, Report, Section

TOTAL = ("合计", "Total")
DEFS_TITLE = ("口径说明", "Definitions")
DEFS_HEAD = {"zh": ("键名", "指标", "口径"), "en": ("key", "figure", "definition")}
NOTE = ("说明", "note")
# What a report was made for (its JSON's top-level keys), named in the definitions sheet.
META_LABELS = {"year": ("年度", "year"), "as_of": ("统计日", "as of"), "org": ("组织代码", "organisation code"),
               "org_name": ("组织名称", "organisation"), "group_by": ("分组", "grouped by"),
               "workflow": ("工作流", "workflow"), "points": ("评分项", "scoring parts")}
CHANGE = ("变化", "change")


def _is_change(report: Report, section: Section) -> bool:
    return section is report.change


def cell(column: Column, value: Any, lang: str, *, change: bool = False) -> str:
    """A figure as people read it: 15,319; 56.0%; a change as +12 or +3.2 percentage points; — when missing."""
    if value is None:
        return "—"
    if column.kind == RATE:
        pct = value * 100
        if change:
            return f"{pct:+.1f}个百分点" if lang == "zh" else f"{pct:+.1f} pp"
        return f"{pct:.1f}%"
    if column.kind == INT:
        return f"{value:+,}" if change else f"{value:,}"
    if change and isinstance(value, (float, Decimal)):  # a change keeps its sign, without float noise: +0.5, -12.25
        return f"{round(float(value), 2):+g}"
    if isinstance(value, float):
        return f"{value:g}"
    if change and isinstance(value, int):
        return f"{value:+,}"
    return str(value)


def section_title(report: Report, section: Section, lang: str) -> str:
    """The heading of one section of a report."""
    if section is report.main:
        return report.title(lang)
    if _is_change(report, section):
        return f"{CHANGE[0]}（{section.label}）" if lang == "zh" else f"Change ({section.label})"
    if lang == "en":
        return f"{report.title(lang).split(' · ')[0]} — {section.label}"
    # the year compared with is a comparison; a section of its own (the regional contracts) is not
    return f"对比：{section.label}" if section is report.compare else f"{report.title(lang).split(' · ')[0]}：{section.label}"


def _name(report: Report, row: Any) -> str:
    return str(row.get("group_name") or row.get(report.group_key) or "")


def _body(report: Report, section: Section, lang: str) -> list[list[str]]:
    change = _is_change(report, section)
    out = [[_name(report, r), *(cell(c, r.get(c.key), lang, change=change) for c in report.columns)] for r in section.rows]
    if section.total is not None:
        out.append([TOTAL[0] if lang == "zh" else TOTAL[1],
                    *(cell(c, section.total.get(c.key), lang, change=change) for c in report.columns)])
    return out


# Defined keys that are sections of a report rather than columns of its table, or terms its definitions explain.
SECTION_LABELS = {"regional": ("区域性、行业性合同", "regional and industry contracts"), "due": ("到期日", "due day"),
                  "cohort": ("统计对象", "cohort")}


def defined_labels(report: Report, lang: str) -> dict[str, str]:
    labels = {k: v[0 if lang == "zh" else 1] for k, v in SECTION_LABELS.items()}
    labels.update({c.key: c.label(lang) for c in report.columns})
    for aside in report.asides:  # a row of an aside defined by its key (the funnel's offer_to_reply): its name
        for row in aside.rows:
            labels.update({v: str(row.get("group_name", "")) for v in row.values() if isinstance(v, str) and v in report.definitions})
    for key in report.definitions:  # a figure's target (coverage's target_coverage_50): named after the figure
        figure = labels.get(key.removeprefix("target_")) if key.startswith("target_") else None
        if figure:
            labels[key] = f"{figure}目标" if lang == "zh" else f"{figure} target"
    return labels


def definition_lines(report: Report, lang: str) -> list[str]:
    """'label (key): definition' for every defined figure, then the report's notes."""
    labels = defined_labels(report, lang)
    i = 0 if lang == "zh" else 1
    lines = []
    for key, texts in report.definitions.items():
        label = labels.get(key)
        head = f"{label}（{key}）" if label and lang == "zh" else (f"{label} ({key})" if label else key)
        lines.append(f"{head}{'：' if lang == 'zh' else ': '}{texts[i]}")
    lines.extend(note[i] for note in report.notes)
    return lines


def table_width(report: Report, lang: str) -> int:
    """The console width the tables need to show every heading and figure on one line."""
    cells = [row for section in report.sections() for row in _body(report, section, lang)]
    heads = [report.group_label(lang), *(c.label(lang) for c in report.columns)]
    widths = [max([_width(h), *(_width(r[j]) for r in cells)]) for j, h in enumerate(heads)]
    return sum(widths) + 3 * len(widths) + 1


def text_tables(report: Report, lang: str) -> list[Any]:
    """The report as printable items (engine.outputs.table): one table per section (the total row bold,
    below a rule), then the definitions as a footer."""
    from engine.outputs.table import Styled, Table

    out: list[Any] = []
    for section in report.sections():
        table = Table(title=section_title(report, section, lang))
        table.add_column(report.group_label(lang), no_wrap=True)
        for c in report.columns:
            table.add_column(c.label(lang), justify="right")
        body = _body(report, section, lang)
        for n, row in enumerate(body):
            is_total = section.total is not None and n == len(body) - 1
            table.add_row(*row, style="bold" if is_total else None, end_section=n == len(body) - 2 and section.total is not None)
        out.append(table)
    out.append(Styled(DEFS_TITLE[0 if lang == "zh" else 1] + ("：" if lang == "zh" else ":"), "bold"))
    out.append(Styled("\n".join("  " + line for line in definition_lines(report, lang)), "dim"))
    return out


def text_table(report: Report, lang: str, width: int = 200) -> str:
    """The report as plain text (for --out FILE with the table format)."""
    from engine.outputs.table import plain

    wide = max(width, table_width(report, lang))
    return "".join(plain(item, wide) for item in text_tables(report, lang))


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown(report: Report, lang: str) -> str:
    """The report as Markdown: a table per section, then the definitions."""
    lines = []
    for n, section in enumerate(report.sections()):
        lines += [f"{'#' if n == 0 else '##'} {section_title(report, section, lang)}", ""]
        head = [report.group_label(lang), *(c.label(lang) for c in report.columns)]
        lines.append("| " + " | ".join(map(_md_escape, head)) + " |")
        lines.append("|---|" + "---:|" * len(report.columns))
        body = _body(report, section, lang)
        for i, row in enumerate(body):
            cells = [_md_escape(x) for x in row]
            if section.total is not None and i == len(body) - 1:
                cells = [f"**{x}**" for x in cells]
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    lines += [f"## {DEFS_TITLE[0 if lang == 'zh' else 1]}", ""]
    lines += [f"- {_md_escape(line)}" for line in definition_lines(report, lang)]
    return "\n".join(lines) + "\n"


def _csv_value(column: Column, value: Any) -> Any:
    if value is None:
        return ""
    return repr(value) if column.kind == RATE and isinstance(value, float) else value


def csv_text(report: Report) -> str:
    """The report as CSV (CLI.md: CSV column keys are the English identifiers, whatever --lang; shares and rates
    unrounded fractions), starting with a BOM so Excel reads the names in it. People who want Chinese headers and
    percentages open the XLSX (`--format xlsx`), which is made for them."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    # More than one block (a comparison year, the campaign's regional section): a first column `series` says which
    # block a row belongs to, in English whatever --lang: the year, "change", or the block's JSON key ("regional").
    multi = report.compare is not None or bool(report.more)
    keys = [report.group_key, "group_name", *(c.key for c in report.columns)]
    w.writerow(csv_row((["series"] if multi else []) + keys))
    further = {id(s): key for key, s in report.more.items()}
    for section in report.sections():
        label = further.get(id(section)) or ("change" if _is_change(report, section) else section.label)
        series = [label] if multi else []
        for r in section.rows:
            w.writerow(csv_row([*series, r.get(report.group_key, ""), _name(report, r), *_csv_values(report, r)]))
        if section.total is not None:
            w.writerow(csv_row([*series, "total", TOTAL[1], *_csv_values(report, section.total)]))
    return "\ufeff" + buf.getvalue()


def _csv_values(report: Report, row: Any) -> list[Any]:
    return [_csv_value(c, row.get(c.key)) for c in report.columns]


def _sheet_title(text: str, taken: set[str]) -> str:
    clean = "".join("_" if ch in '[]:*?/\\' else ch for ch in text)[:31] or "sheet"
    title, n = clean, 2
    while title in taken:
        title = f"{clean[:28]}_{n}"
        n += 1
    taken.add(title)
    return title


def xlsx_bytes(report: Report, lang: str, filing: Filing | None = None) -> bytes:
    """The report as an Excel workbook ready to print and file: a sheet per section (title, styled header,
    frozen pane, % cells, asides such as the funnel's medians as numbers) and a definitions sheet; each A4,
    landscape when wide, one page wide, title rows repeated, 填报单位 in the header, 制表人 / 日期 / pages below."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    filing = filing or Filing(unit=str(report.meta.get("org_name") or ""))
    wb = Workbook()
    wb.properties.title = report.title(lang)
    wb.properties.creator = filing.preparer or "bargain"
    taken: set[str] = set()
    header_fill = PatternFill("solid", fgColor="1F4E79")
    header_font = Font(bold=True, color="FFFFFF")
    thin = Side(style="thin", color="999999")
    first = True
    for section in report.sections():
        ws = wb.active if first else wb.create_sheet()
        assert ws is not None
        first = False
        change = _is_change(report, section)
        ws.title = _sheet_title(("变化 " if lang == "zh" else "change ") + section.label if change else section.label, taken)
        put(ws, 1, 1, section_title(report, section, lang))
        ws["A1"].font = Font(bold=True, size=14)
        head = [report.group_label(lang), *(c.label(lang) for c in report.columns)]
        for j, h in enumerate(head, start=1):
            c = put(ws, 2, j, h)
            c.fill, c.font = header_fill, header_font
            c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        rows: list[tuple[str, Any]] = [(_name(report, r), r) for r in section.rows]
        if section.total is not None:
            rows.append((TOTAL[0] if lang == "zh" else TOTAL[1], section.total))
        for i, (name, r) in enumerate(rows, start=3):
            put(ws, i, 1, name)
            for j, col in enumerate(report.columns, start=2):
                cell_ = put(ws, i, j, r.get(col.key))
                cell_.number_format = _number_format(col, change)
            if section.total is not None and i == len(rows) + 2:
                for j in range(1, len(head) + 1):
                    ws.cell(row=i, column=j).font = Font(bold=True)
                    ws.cell(row=i, column=j).border = Border(top=thin)
        last_row = len(rows) + 2
        if section is report.main:
            for aside in report.asides:
                last_row = _aside(ws, aside, lang, last_row + 2, header_fill, header_font)
        ws.freeze_panes = "B3"
        names = [n for n, _ in rows] + [str(r.get("group_name", "")) for a in report.asides for r in a.rows]
        widths = [max(14, min(40, 2 + max((_width(n) for n in names), default=10)))]
        widths += [max(10, min(24, _width(h) + 2)) for h in head[1:]]
        for j, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(j)].width = w
        room = widths[0] - 2  # a name wider than its column (capped at 40) wraps onto more lines, never cut off
        for i, (name, _r) in enumerate(rows, start=3):
            if _width(name) > room:
                ws.cell(row=i, column=1).alignment = Alignment(wrap_text=True, vertical="top")
                ws.row_dimensions[i].height = 15 * -(-_width(name) // room)
        ws.row_dimensions[2].height = 32
        # The title stays inside the printed width: merged over the table's columns, wrapped when longer.
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(head))
        ws["A1"].alignment = Alignment(wrap_text=True, vertical="center")
        lines = 1 + (_width(str(ws["A1"].value)) * 1.4) // max(sum(widths), 1)  # 14 pt: about 1.4 column units a char
        ws.row_dimensions[1].height = 22 * lines
        print_ready(ws, width=sum(widths), title_rows="1:2", filing=filing, lang=lang,
                    last_col=get_column_letter(len(head)), last_row=last_row)
    defs = wb.create_sheet(_sheet_title(DEFS_TITLE[0 if lang == "zh" else 1], taken))
    defs["A1"] = f"{report.title(lang)} — {DEFS_TITLE[0 if lang == 'zh' else 1]}"
    defs["A1"].font = Font(bold=True, size=12)
    for j, h in enumerate(DEFS_HEAD["zh" if lang == "zh" else "en"], start=1):
        c = put(defs, 2, j, h)
        c.fill, c.font = header_fill, header_font
    labels = defined_labels(report, lang)
    i = 0 if lang == "zh" else 1
    for key, texts in report.definitions.items():
        append(defs, [key, labels.get(key, ""), texts[i]])
    for note in report.notes:
        append(defs, ["", NOTE[i], note[i]])
    for key, value in report.meta.items():
        label = META_LABELS.get(key)
        append(defs, [key, label[i] if label else "", meta_text(report, key, value, lang)])
    defs.freeze_panes = "A3"
    defs.column_dimensions["A"].width = 22
    defs.column_dimensions["B"].width = 22
    defs.column_dimensions["C"].width = 80
    for r in defs.iter_rows(min_row=3):
        r[2].alignment = Alignment(wrap_text=True, vertical="top")
    print_ready(defs, width=124, title_rows="1:2", filing=filing, lang=lang, last_col="C", last_row=defs.max_row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def meta_text(report: Report, key: str, value: Any, lang: str) -> str:
    """One of what a report was made for as a person reads it: the grouping by its name (下级组织), the scoring
    parts by their names and weights; anything else as it is."""
    if value is None:
        return ""
    if key == "group_by":
        return report.group_label(lang)
    if key == "points" and isinstance(value, list):
        zh = lang == "zh"
        return ("；" if zh else "; ").join(f"{p['zh']}（{p['weight']} 分）" if zh else f"{p['en']} ({p['weight']} points)"
                                          for p in value)
    return str(value)


def _aside(ws: Any, aside: Aside, lang: str, top: int, fill: Any, font: Any) -> int:
    """Write an aside table from row `top` (its title, a header, then rows of numbers); returns its last row."""
    from openpyxl.styles import Font

    ws.cell(row=top, column=1, value=aside.title(lang)).font = Font(bold=True, size=12)
    for j, h in enumerate([aside.head(lang), *(c.label(lang) for c in aside.columns)], start=1):
        c = ws.cell(row=top + 1, column=j, value=h)
        c.fill, c.font = fill, font
    r = top + 1
    for r, row in enumerate(aside.rows, start=top + 2):
        ws.cell(row=r, column=1, value=str(row.get("group_name", "")))
        for j, col in enumerate(aside.columns, start=2):
            cell_ = ws.cell(row=r, column=j, value=row.get(col.key))
            cell_.number_format = _number_format(col, False)
    return r


def _number_format(col: Column, change: bool) -> str:
    if col.kind == RATE:
        return "+0.0%;-0.0%;0.0%" if change else "0.0%"
    if col.kind == INT:
        return "+#,##0;-#,##0;0" if change else "#,##0"
    return "General" if col.kind in (TEXT, DAYS) else "0.0"


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def write_bytes(path: Path, data: bytes) -> None:
    """Write a file in full or not at all (a partial file never replaces a good one): engine.outputs.files."""
    from engine.outputs.files import write_bytes as write

    write(path, data)
