"""The dashboard and an organisation's page show the CLI's own figures: campaign, coverage against its targets and
the funnel, each as a table and an SVG chart whose rows and bars link down; another year to compare with."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from typing import Any

import pytest
from fastapi.testclient import TestClient

from engine.store.database import Store
from tests.conftest import Cli
from tests.web.conftest import World, log_in

TODAY = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)  # 12:00 in Suzhou


class _Tables(HTMLParser):
    """The text of every cell of the tables with an id, row by row, and each row's first link."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.links: dict[str, list[str]] = {}
        self._table: str | None = None
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._in_body = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table" and a.get("id"):
            self._table = str(a["id"])
            self.tables[self._table], self.links[self._table] = [], []
        elif self._table and tag == "tbody":
            self._in_body = True
        elif self._table and self._in_body and tag == "tr":
            self._row = []
        elif self._row is not None and tag in ("th", "td"):
            self._cell = []
        elif self._row is not None and tag == "a" and not self._row and self._cell is not None:
            self.links[self._table or ""].append(str(a.get("href")))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None and self._table:
            self.tables[self._table].append(self._row)
            self._row = None
        elif tag == "tbody":
            self._in_body = False
        elif tag == "table":
            self._table = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def tables_of(html: str) -> _Tables:
    found = _Tables()
    found.feed(html)
    return found


def shown(value: Any, kind: str) -> str:
    """A figure as the page writes it."""
    if value is None:
        return "—"
    if kind == "rate":
        return f"{value * 100:.1f}%"
    return str(value)


@pytest.fixture
def clocked(store: Store) -> Any:
    """The real app with its clock on 23 November 2026."""
    from web.app import create_app

    return create_app(store, clock=lambda: TODAY)


def _cli_json(world: World, *args: str, login: str = "admin") -> dict[str, Any]:
    r = Cli(world.url)("--as", login, *args, "--format", "json", lang="zh")
    assert r.exit_code == 0, r.output
    data: dict[str, Any] = json.loads(r.output)
    return data


def _kinds(report: str) -> dict[str, str]:
    from engine.reports import campaign, coverage, funnel

    module = {"campaign": campaign, "coverage": coverage, "funnel": funnel}[report]
    return {c.key: c.kind for c in module.COLUMNS}


def _state_zh(state: str) -> str:
    from web.pages import state_label

    return state_label("enterprise_wage", state, "zh")


def _head(html: str, table: str) -> list[str]:
    part = html[html.index(f'id="{table}"'):]
    part = part[part.index("<thead>"):part.index("</thead>")]
    return [re.sub(r"<[^>]+>", "", x).strip() for x in re.findall(r"<th[^>]*>(.*?)</th>", part)][1:]


@pytest.mark.parametrize(("login", "path", "org"), [("huqiu", "/?year=2026", "320505"), ("admin", "/orgs/320505?year=2026", "320505"),
                                                    ("admin", "/?year=2026", "320500")])
def test_the_pages_figures_are_the_clis_json_for_the_same_org_and_year(clocked: object, world: World, login: str, path: str,
                                                                        org: str) -> None:
    client = log_in(clocked, login)
    html = client.get(path).text
    found = tables_of(html)
    from engine.reports import campaign, coverage, funnel

    labels = {**{c.zh: c.key for c in campaign.COLUMNS}}
    cov_labels = {c.zh: c.key for c in coverage.COLUMNS}
    fun_labels = {c.zh: c.key for c in funnel.COLUMNS}
    for table, report, args, names in (
        ("campaign-table", "campaign", ("report", "campaign", "--year", "2026", "--org", org), labels),
        ("coverage-table", "coverage", ("report", "coverage", "--as-of", "2026-11-23", "--org", org), cov_labels),
        ("funnel-table", "funnel", ("report", "funnel", "--year", "2026", "--org", org), fun_labels),
    ):
        cli = _cli_json(world, *args, login=login)
        keys = [names[h] for h in _head(html, table)]
        kinds = _kinds(report)
        # the JSON names a funnel's states in English whatever --lang; the zh page names them in Chinese
        expected = [[_state_zh(r["state"]) if "state" in r else r["group_name"], *(shown(r[k], kinds[k]) for k in keys)]
                    for r in cli["rows"]]
        assert found.tables[table] == expected, table
        assert expected, f"{table}: the CLI has rows, so the comparison means something"
    cov = _cli_json(world, "report", "coverage", "--as-of", "2026-11-23", "--org", org, login=login)
    assert f"{cov['total']['coverage'] * 100:.1f}%" in html
    # the overdue figure (counted from the deadline columns) is the overdue report's total (the deadline engine)
    late = _cli_json(world, "report", "overdue", "--as-of", "2026-11-23", "--org", org, login=login)
    figure = re.search(r'class="figure late-figure"[^>]*><span class="n">(\d+)</span>', html)
    assert figure is not None and int(figure.group(1)) == late["total"]["cases"]
    assert late["total"]["cases"] > 0 or org != "320500"  # the city has overdue cases: the comparison means something
    for key, met in cov["meets"].items():
        assert f'class="{"met" if met else "unmet"}"><strong>{coverage.COLUMNS[[c.key for c in coverage.COLUMNS].index(key)].zh}' \
            in html


def test_each_coverage_row_and_bar_links_down_to_its_organisation_and_each_funnel_state_to_its_cases(
        clocked: object, world: World) -> None:
    client = log_in(clocked, "huqiu")
    html = client.get("/?year=2026").text
    found = tables_of(html)
    assert found.links["coverage-table"] == ["/orgs/320505001?year=2026", "/orgs/320505002?year=2026"]
    svg = html[html.index('<svg class="chart" id="chart-coverage"'):]
    svg = svg[:svg.index("</svg>")]
    assert re.findall(r'<a href="([^"]+)"', svg) == found.links["coverage-table"]
    assert svg.count('class="target"') == 3 * 2 + 1  # each bar's target, and the legend's
    assert "/cases?state=offer_sent&year=2026&org=320505" in found.links["funnel-table"]
    funnel_svg = html[html.index('id="chart-funnel"'):]
    funnel_svg = funnel_svg[:funnel_svg.index("</svg>")]
    assert 'href="/cases?state=effective&amp;year=2026&amp;org=320505"' in funnel_svg
    # The link leads to exactly the cases there now, as many as the funnel says.
    cli = _cli_json(world, "report", "funnel", "--year", "2026", "--org", "320505")
    now = next(r["now"] for r in cli["rows"] if r["state"] == "effective")
    listed = client.get("/cases?state=effective&year=2026&org=320505").text
    assert f"<h1>案件（{now}）</h1>" in listed


def test_an_organisation_page_drills_on_with_the_compare_year_kept(clocked: object, world: World, store: Store) -> None:
    client = log_in(clocked, "admin")
    r = client.get("/orgs/320505?year=2026&compare=2025")
    assert r.status_code == 200
    found = tables_of(r.text)
    assert found.links["campaign-table"] == ["/orgs/320505001?year=2026&compare=2025", "/orgs/320505002?year=2026&compare=2025"]
    assert "对比 2025" in r.text and "变化" in r.text
    cli = _cli_json(world, "report", "campaign", "--year", "2026", "--org", "320505", "--compare", "2025")
    foot = r.text[r.text.index('id="campaign-table"'):]
    foot = foot[foot.index("<tfoot>"):foot.index("</tfoot>")]
    assert f'<td class="num">{cli["compare"]["total"]["offers"]}</td>' in foot
    assert f'<td class="num">{cli["change"]["total"]["offers"]:+d}</td>' in foot
    cov = _cli_json(world, "report", "coverage", "--as-of", "2026-11-23", "--org", "320505", "--compare", "2025")
    assert f"对比 {cov['compare']['as_of']}" in r.text  # coverage compared on the same day a year before


def test_a_past_years_coverage_is_counted_on_its_last_day(clocked: object) -> None:
    from web.pages import coverage_day

    assert coverage_day(2025, date(2026, 11, 23)) == date(2025, 12, 31)
    assert coverage_day(2026, date(2026, 11, 23)) == date(2026, 11, 23)
    assert coverage_day(2027, date(2026, 11, 23)) == date(2027, 1, 1)
    html = log_in(clocked, "huqiu").get("/?year=2025").text
    assert "统计日 2025-12-31" in html


def test_a_compare_year_that_is_not_a_year_is_refused_in_one_line(clocked: object) -> None:
    r = log_in(clocked, "huqiu").get("/?year=2026&compare=20x5")
    assert r.status_code == 422 and "对比年度应为四位数年份" in r.text


def test_the_dashboard_speaks_english_with_lang_en(clocked: object) -> None:
    client: TestClient = log_in(clocked, "huqiu")
    html = client.get("/?year=2026&lang=en").text
    assert "Coverage against its targets" in html and "Case funnel 2026" in html and "建制率" not in html
