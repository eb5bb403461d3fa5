"""The plain-text table writer alone (engine.outputs.table, issue 18 item 1): a district's deadline list as
`bargain deadlines --org` prints it, 1,000 rows × 7 cells of Chinese text, rendered at 160 cells (a pipe) and
at 100 (a terminal, long cells folded). In process, no database: the rendering only, median of RUNS, in CPU
milliseconds of this process (time.process_time).

Each run starts with the writer's width caches empty, as a new process does.
Floor, measured in the same run: joining the same strings into lines with a bar between them (the least any
writer does). Target: a few tens of milliseconds (≤ 50 ms) for the 1,000 rows.
"""

from __future__ import annotations

import os
import random
import statistics
import time

from bench.common import Figure, Results

ROWS, RUNS, TARGET_MS = 1_000, 7, 50.0
NAMES = ["苏州高新区", "精密机械", "有限公司", "电子科技", "餐饮管理", "纺织", "（中国）", "股份"]
RULES = ["《工资集体协商试行办法》第十七条；《集体合同规定》第三十二条：自收到要约之日起20日",
         "《集体合同规定》第四十二条：自双方签字之日起10日内报送", "《劳动合同法》第五十四条：自收到文本之日起15日"]
KINDS = ["答复要约", "报送审查", "审查期限", "续订要约", "协商开始"]


def _rows(seed: int = 18) -> list[list[str]]:
    rnd = random.Random(seed)
    out = []
    for i in range(ROWS):
        name = "".join(rnd.sample(NAMES, rnd.randint(2, 4)))
        out.append([str(1000 + i), name, rnd.choice(KINDS), f"2026-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}",
                    rnd.choice(["未到期", "已逾期", "已按期"]), rnd.choice(RULES),
                    rnd.choice(["", "窗口开始 2026-03-01", "暂定：2027 年节假日安排尚未公布"])])
    return out


def _median_ms(fn: object, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.process_time()  # CPU time: the machine is shared, wall time says more about the others
        fn()  # type: ignore[operator]
        times.append((time.process_time() - start) * 1000)
    return statistics.median(times)


def run(results: Results, argv: list[str]) -> None:
    from engine.outputs import table as module
    from engine.outputs.table import Table

    rows = _rows()
    head = ["案件", "企业", "期限", "截止日", "状态", "依据", "备注"]

    def render(width: int) -> str:
        module._WIDTH.clear()  # a fresh process: no width remembered yet
        module._TEXT_WIDTH.clear()
        module._FOLDED.clear()
        t = Table(title=f"法定期限（{len(rows)}）")
        for h in head:
            t.add_column(h)
        for r in rows:
            t.add_row(*r)
        return t.render(width)

    def floor() -> str:
        return "".join("│ " + " │ ".join(r) + " │\n" for r in rows)

    assert render(160).count("\n") >= ROWS + 5 and render(100).count("\n") > render(160).count("\n")
    base = _median_ms(floor)
    for width, what in ((160, "piped, 160 cells"), (100, "terminal of 100 cells, folded")):
        ms = _median_ms(lambda w=width: render(w))
        results.add(Figure(f"table: {ROWS:,} × 7 Chinese rows, {what}", ms, "ms", target=TARGET_MS, higher_is_better=False,
                           floor=base, note=f"median of {RUNS}, CPU; load {os.getloadavg()[0]:.2f}"))
