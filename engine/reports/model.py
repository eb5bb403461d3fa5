"""What every report is made of: columns, rows, a total, definitions, and how to chart it. No I/O.

A report is built once by a query module and then rendered by any exporter (table, json, csv, xlsx,
md, png), so every format shows the same figures with the same definitions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

INT = "int"
RATE = "rate"
DAYS = "days"
TEXT = "text"


@dataclass(frozen=True)
class Column:
    """One figure of a report: its stable key, its labels, and how to show it."""

    key: str
    zh: str
    en: str
    kind: str = INT

    def label(self, lang: str) -> str:
        """The column heading in the chosen language."""
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class Section:
    """One block of figures: rows (one per group) and, where additive, their total."""

    label: str
    rows: Sequence[Mapping[str, Any]]
    total: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class Chart:
    """What the png shows: count columns as bars, rate columns as markers on a 0–100% axis, targets as lines."""

    bars: tuple[str, ...]
    rates: tuple[str, ...] = ()
    targets: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Aside:
    """A small table shown under the main one (e.g. the funnel's median days per step): figures as numbers."""

    title_zh: str
    title_en: str
    head_zh: str
    head_en: str
    columns: Sequence[Column]
    rows: Sequence[Mapping[str, Any]]

    def title(self, lang: str) -> str:
        """The aside's heading in the chosen language."""
        return self.title_zh if lang == "zh" else self.title_en

    def head(self, lang: str) -> str:
        """The heading of its first (label) column."""
        return self.head_zh if lang == "zh" else self.head_en


@dataclass(frozen=True)
class Report:
    """A finished report, ready for any output format."""

    kind: str
    title_zh: str
    title_en: str
    meta: Mapping[str, Any]
    group_key: str
    group_zh: str
    group_en: str
    columns: Sequence[Column]
    main: Section
    definitions: Mapping[str, tuple[str, str]]
    chart: Chart
    compare: Section | None = None
    change: Section | None = None
    compare_meta: Mapping[str, Any] = field(default_factory=dict)
    extra: Mapping[str, Any] = field(default_factory=dict)
    notes: Sequence[tuple[str, str]] = ()
    asides: Sequence[Aside] = ()
    more: Mapping[str, Section] = field(default_factory=dict)  # further sections with the same columns (by key)

    def title(self, lang: str) -> str:
        """The report's title in the chosen language."""
        return self.title_zh if lang == "zh" else self.title_en

    def group_label(self, lang: str) -> str:
        """The heading of the group column."""
        return self.group_zh if lang == "zh" else self.group_en

    def sections(self) -> list[Section]:
        """The main block, then the comparison year and the change, when asked for, then any further sections."""
        return [s for s in (self.main, self.compare, self.change) if s is not None] + list(self.more.values())

    def as_json(self) -> dict[str, Any]:
        """The JSON document (CLI.md shape: meta, rows, total; plus compare/change, extra and definitions)."""
        out: dict[str, Any] = dict(self.meta)
        out["rows"] = [dict(r) for r in self.main.rows]
        if self.main.total is not None:
            out["total"] = dict(self.main.total)
        if self.compare is not None:
            block: dict[str, Any] = {**self.compare_meta, "rows": [dict(r) for r in self.compare.rows]}
            if self.compare.total is not None:
                block["total"] = dict(self.compare.total)
            out["compare"] = block
        if self.change is not None:
            change: dict[str, Any] = {"rows": [dict(r) for r in self.change.rows]}
            if self.change.total is not None:
                change["total"] = dict(self.change.total)
            out["change"] = change
        for key, section in self.more.items():
            block = {"rows": [dict(r) for r in section.rows]}
            if section.total is not None:
                block["total"] = dict(section.total)
            out[key] = block
        out.update(self.extra)
        out["definitions"] = {k: {"zh": zh, "en": en} for k, (zh, en) in self.definitions.items()}
        if self.notes:
            out["notes"] = [{"zh": zh, "en": en} for zh, en in self.notes]
        return out


def rate(part: int, whole: int) -> float | None:
    """part / whole as an unrounded fraction; None when there is nothing to divide by."""
    return part / whole if whole else None


def difference(now: Any, before: Any) -> Any:
    """now − before for numbers (a rate's change is in fraction points); None when either is missing."""
    if now is None or before is None or isinstance(now, str) or isinstance(before, str):
        return None
    return now - before


def change_rows(group_key: str, columns: Sequence[Column], now: Section, before: Section, label: str) -> Section:
    """Row-by-row change between two sections, matching rows by group; a group missing on one side counts as zeros."""
    def zero(row: Mapping[str, Any]) -> dict[str, Any]:
        return {c.key: (0 if c.kind == INT else None) for c in columns} | {k: row[k] for k in row if k not in {c.key for c in columns}}

    old = {r[group_key]: r for r in before.rows}
    rows = []
    for r in now.rows:
        b = old.get(r[group_key]) or zero(r)
        rows.append(_diff(group_key, columns, r, b))
    seen = {r[group_key] for r in now.rows}
    for r in before.rows:
        if r[group_key] not in seen:
            rows.append(_diff(group_key, columns, zero(r), r))
    total = None
    if now.total is not None and before.total is not None:
        total = {c.key: difference(now.total.get(c.key), before.total.get(c.key)) for c in columns if c.kind != TEXT}
    return Section(label, rows, total)


def _diff(group_key: str, columns: Sequence[Column], now: Mapping[str, Any], before: Mapping[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = {group_key: now[group_key]}
    if "group_name" in now:
        row["group_name"] = now["group_name"]
    for c in columns:
        if c.kind != TEXT:
            row[c.key] = difference(now.get(c.key), before.get(c.key))
    return row
