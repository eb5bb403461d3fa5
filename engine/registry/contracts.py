"""The contract-quality definitions shipped with bargain, read once: the published minimum wages
(data/minimum_wage.toml) and the quality score's weights and sources (workflows/quality.toml).

`BARGAIN_MINIMUM_WAGE` names another figures file (a federation that keeps its own, newer list); a broken
file is a set-up problem (exit 4), never a silent guess.
"""

from __future__ import annotations

import os
from functools import cache
from importlib import resources
from pathlib import Path

from engine.errors import SetupError
from engine.minwage import MinWageFigure, figures_from_toml_text
from engine.quality import QualitySpec, quality_spec_from_toml_text

MINIMUM_WAGE_FILE = "minimum_wage.toml"
ENV_FILE = "BARGAIN_MINIMUM_WAGE"


@cache
def minimum_wage_figures() -> tuple[MinWageFigure, ...]:
    """Every published minimum-wage figure on file, each with its notice and effective date."""
    other = os.environ.get(ENV_FILE)
    if other:
        try:
            text = Path(other).read_text(encoding="utf-8")
        except OSError as exc:
            raise SetupError(f"无法读取最低工资数据 {other}：{exc}", f"cannot read the minimum-wage file {other}: {exc}",
                             rule="minwage.data") from None
    else:
        text = resources.files("data").joinpath(MINIMUM_WAGE_FILE).read_text(encoding="utf-8")
    return tuple(figures_from_toml_text(text))


@cache
def quality_spec() -> QualitySpec:
    """The quality score's points, weights, sources and thresholds."""
    return quality_spec_from_toml_text(resources.files("workflows").joinpath("quality.toml").read_text(encoding="utf-8"))
