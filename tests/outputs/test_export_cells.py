"""How one figure reads in a table: a change keeps its sign, for averages too (+0.5, not 0.5 or +0)."""

from __future__ import annotations

from decimal import Decimal

from engine.outputs.export import cell
from engine.reports.model import INT, Column
from engine.reports.wages import NUMBER


def test_a_change_of_an_average_keeps_its_sign_and_drops_float_noise() -> None:
    avg = Column("adjustment_avg", "平均工资调整幅度（%）", "average wage adjustment (%)", NUMBER)
    assert cell(avg, 0.5000000001, "zh", change=True) == "+0.5"
    assert cell(avg, Decimal("0.50"), "zh", change=True) == "+0.5"
    assert cell(avg, -3.25, "en", change=True) == "-3.25"
    assert cell(avg, 0.0, "zh", change=True) == "+0"
    assert cell(avg, 6.5, "zh") == "6.5"  # a figure, not a change: no sign
    assert cell(Column("contracts", "合同数", "contracts", INT), 150, "zh", change=True) == "+150"
