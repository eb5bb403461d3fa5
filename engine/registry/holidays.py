"""The holiday calendar in force: the chinese-calendar package plus local year files
(engine/registry/holidaydata.py reads and checks them; engine/registry/compiled.py caches the result).
"""

from __future__ import annotations

from engine.calendar import Calendar
from engine.registry.holidaydata import ENV_DIR, YearData, build, local_files, package_years, parse_year_file

__all__ = ["ENV_DIR", "YearData", "build", "calendar", "known_years", "local_files", "package_years", "parse_year_file"]


def calendar() -> Calendar:
    """The calendar in force: built once per process (BARGAIN_HOLIDAYS is read then), cached on disk."""
    from engine.registry import compiled

    return compiled.bundle().calendar


def known_years() -> list[int]:
    """Every year whose holidays are known, ascending."""
    return sorted(calendar().holidays.years)
