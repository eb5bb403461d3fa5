"""A report as one printable HTML page (the source of its PDF): each section a table with the figures as the
table format shows them, the asides (the funnel's medians), the definitions; A4, landscape when wide, 填报单位
in the running header, 制表人 and 日期 in the footer, page x of y."""

from __future__ import annotations

from engine.outputs.export import DEFS_TITLE, TOTAL, cell, definition_lines, section_title
from engine.outputs.htmldoc import esc, page, table
from engine.outputs.page import Filing, header_footer_texts
from engine.reports.model import Report

WIDE = 8  # more figure columns than this print landscape


def report_html(report: Report, lang: str, filing: Filing | None = None) -> str:
    """The report as a self-contained HTML page with a print stylesheet."""
    filing = filing or Filing(unit=str(report.meta.get("org_name") or ""))
    head_left, foot_left, _pages, foot_right = header_footer_texts(filing, lang)
    parts = []
    for section in report.sections():
        change = section is report.change
        level = "h1" if section is report.main else "h2"
        parts.append(f"<{level}>{esc(section_title(report, section, lang))}</{level}>")
        head = [report.group_label(lang), *(c.label(lang) for c in report.columns)]
        rows = [[str(r.get("group_name") or r.get(report.group_key) or ""),
                 *(cell(c, r.get(c.key), lang, change=change) for c in report.columns)] for r in section.rows]
        if section.total is not None:
            rows.append([TOTAL[0] if lang == "zh" else TOTAL[1],
                         *(cell(c, section.total.get(c.key), lang, change=change) for c in report.columns)])
        parts.append(table(head, rows, numeric=range(1, len(head)), total_last=section.total is not None))
        if section is report.main:
            for aside in report.asides:
                parts.append(f"<h3>{esc(aside.title(lang))}</h3>")
                arows = [[str(r.get("group_name", "")), *(cell(c, r.get(c.key), lang) for c in aside.columns)] for r in aside.rows]
                parts.append(table([aside.head(lang), *(c.label(lang) for c in aside.columns)], arows,
                                   numeric=range(1, 1 + len(aside.columns))))
    parts.append(f"<h2>{esc(DEFS_TITLE[0 if lang == 'zh' else 1])}</h2>")
    parts.append('<ul class="defs">' + "".join(f"<li>{esc(line)}</li>" for line in definition_lines(report, lang)) + "</ul>")
    # A header may wrap (long Chinese column names, e.g. 已建会(50人以上)), so a wide table fits the page and its
    # group column keeps room for an organisation's name; the figures themselves never wrap.
    css = ("ul.defs { font-size: .88em; color: #444; padding-left: 1.2em; } td, th { font-size: .9em; }"
           " th.num { white-space: normal; } th:first-child, td:first-child { min-width: 6em; }")
    return page(report.title(lang), "\n".join(parts), lang, landscape=len(report.columns) > WIDE, head=head_left,
                foot_left=foot_left, foot_right=foot_right, extra_css=css)
