"""Every report's definitions, from the real command line in zh, cite the law in Chinese all the way
(《集体合同规定》第三十二条), never `LAW art. N` nor an article in Arabic numerals, and name every defined term."""

from __future__ import annotations

import re

import pytest

from tests.conftest import Cli
from tests.helpers import report_city

REPORTS = {
    "campaign": ("--year", "2026"), "quality": ("--year", "2026"), "wages": ("--year", "2026"),
    "coverage": ("--as-of", "2026-06-30"), "funnel": ("--year", "2026"), "overdue": ("--as-of", "2026-06-30"),
}


city = pytest.fixture(name="city")(report_city.on_cli)


@pytest.mark.parametrize("report", sorted(REPORTS))
def test_zh_definitions_cite_the_law_in_chinese(city: Cli, report: str) -> None:
    result = city("report", report, *REPORTS[report], "--org", "320500", "--format", "md", lang="zh")
    assert result.exit_code == 0, result.output
    defs = result.stdout.split("## 口径说明", 1)[1]
    assert not re.search(r"\barts?\. ?\d", defs), defs
    assert not re.search(r"第\s*\d+\s*条", defs), defs
    assert not re.search(r"(?<!《)(?:集体合同规定|工资集体协商试行办法|劳动合同法|民法典)\s*第", defs), defs
    assert not re.search(r"^- [a-z_]+：", defs, re.M), defs  # every defined term named in Chinese
    assert "期限期限" not in defs


def test_the_overdue_definitions_cite_each_period_and_the_civil_code(city: Cli) -> None:
    out = city("report", "overdue", "--as-of", "2026-06-30", "--org", "320500", "--format", "md", lang="zh").stdout
    assert "到期日（due）" in out and "（《民法典》第二百零一条至第二百零三条）" in out
    assert "答复要约期限已过仍未完成的案件数（《工资集体协商试行办法》第十七条；《集体合同规定》第三十二条）" in out
    en = city("report", "overdue", "--as-of", "2026-06-30", "--org", "320500", "--format", "md", lang="en").stdout
    assert "(Civil Code arts. 201–203)" in en
