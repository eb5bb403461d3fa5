"""Self-contained HTML pages with a print stylesheet (A4, page numbers, CJK fonts): the source of every PDF.

One page shell for timelines, reports and the annual summary, so what a browser prints and what WeasyPrint
renders to PDF are the same document. No external files, fonts or scripts.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

FONTS = '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Microsoft YaHei", "SimHei", sans-serif'
SERIF = '"Noto Serif CJK SC", "Source Han Serif SC", "SimSun", "Songti SC", serif'

BASE_CSS = """
html { color: #222; font-family: %(fonts)s; font-size: 10.5pt; line-height: 1.55; }
body { margin: 2em auto; max-width: 46em; padding: 0 1em; }
h1 { font-size: 1.45em; margin: 0 0 .3em; }
h2 { font-size: 1.15em; margin: 1.2em 0 .4em; border-bottom: 1px solid #ccc; padding-bottom: .15em; }
h3 { font-size: 1.02em; margin: .9em 0 .3em; }
p { margin: .3em 0; }
.meta { color: #555; font-size: .92em; }
table { border-collapse: collapse; width: 100%%; margin: .4em 0 .8em; }
th, td { border: 1px solid #999; padding: .25em .45em; vertical-align: top; text-align: left; }
th { background: #eef2f7; font-weight: bold; min-width: 2.2em; }  /* a count's short header stays 2 characters wide */
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.total td { font-weight: bold; border-top: 2px solid #555; }
thead { display: table-header-group; }
tr, li { break-inside: avoid; }
.foot { color: #777; font-size: .85em; margin-top: 1.5em; }
@page {
  size: A4 %(orientation)s;
  margin: 18mm 16mm 20mm 16mm;
  @top-left { content: "%(head)s"; font-family: %(fonts)s; font-size: 8.5pt; color: #666; }
  @bottom-left { content: "%(foot_left)s"; font-family: %(fonts)s; font-size: 8.5pt; color: #666; }
  @bottom-center { content: %(pages)s; font-family: %(fonts)s; font-size: 8.5pt; color: #666; }
  @bottom-right { content: "%(foot_right)s"; font-family: %(fonts)s; font-size: 8.5pt; color: #666; }
}
@media print {
  body { margin: 0; max-width: none; padding: 0; }
  a { color: inherit; text-decoration: none; }
}
"""

PAGES = {"zh": '"第 " counter(page) " 页，共 " counter(pages) " 页"', "en": '"Page " counter(page) " of " counter(pages)'}


def esc(text: Any) -> str:
    """Text escaped for HTML."""
    return html.escape("" if text is None else str(text))


def _css_string(text: str) -> str:
    # Inside <style> a "</style>" would end the sheet and let what follows run as HTML: < and > become CSS
    # escapes, and so do control characters.
    out = text.replace("\\", "\\\\").replace('"', '\\"')
    return "".join(f"\\{ord(ch):x} " if ch in "<>&" or ord(ch) < 32 or ord(ch) == 0x7F else ch for ch in out)


def page(title: str, body: str, lang: str, *, landscape: bool = False, head: str = "", foot_left: str = "",
         foot_right: str = "", extra_css: str = "") -> str:
    """A whole HTML document: the body under one print stylesheet (A4, margins, running header, page x of y)."""
    css = BASE_CSS % {
        "fonts": FONTS, "orientation": "landscape" if landscape else "portrait", "head": _css_string(head),
        "foot_left": _css_string(foot_left), "foot_right": _css_string(foot_right), "pages": PAGES[lang],
    }
    wide = "body { max-width: 68em; }" if landscape else ""
    return (f'<!doctype html>\n<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
            f"<title>{esc(title)}</title>\n<style>{css}{wide}{extra_css}</style></head><body>\n{body}\n</body></html>\n")


def table(head: Sequence[str], rows: Sequence[Sequence[Any]], *, numeric: Sequence[int] = (), total_last: bool = False,
          widths: Sequence[str] = ()) -> str:
    """A table: header repeated on every printed page, numeric columns right-aligned, an optional bold total row."""
    num = set(numeric)
    cols = "".join(f'<col style="width:{w}">' for w in widths)
    th = "".join(f'<th class="num">{esc(h)}</th>' if j in num else f"<th>{esc(h)}</th>" for j, h in enumerate(head))
    body = []
    for i, r in enumerate(rows):
        cls = ' class="total"' if total_last and i == len(rows) - 1 else ""
        tds = "".join(f'<td class="num">{esc(v)}</td>' if j in num else f"<td>{esc(v)}</td>" for j, v in enumerate(r))
        body.append(f"<tr{cls}>{tds}</tr>")
    colgroup = f"<colgroup>{cols}</colgroup>" if cols else ""
    return f"<table>{colgroup}<thead><tr>{th}</tr></thead><tbody>{''.join(body)}</tbody></table>"
