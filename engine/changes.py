"""Updates that change only what is given: the given values laid over the stored ones, and what changed. Pure.

`org add`, `enterprise add` and `counselor add` on an existing record behave like import (an empty cell
keeps what is stored): an option left out is not a value, so nothing the user did not type is reset.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Change:
    """One field that changed: its key, what was stored, what is stored now."""

    field: str
    old: Any
    new: Any

    def as_json(self) -> dict[str, Any]:
        """{"field", "old", "new"}, dates as ISO strings."""
        def iso(v: Any) -> Any:
            return v.isoformat() if isinstance(v, date) else v
        return {"field": self.field, "old": iso(self.old), "new": iso(self.new)}


def lay_over(current: Mapping[str, Any], given: Mapping[str, Any]) -> tuple[dict[str, Any], list[Change]]:
    """The stored values with the given ones (those not None) laid over them, and the fields that changed."""
    values = dict(current)
    changes: list[Change] = []
    for key, value in given.items():
        if value is None:
            continue
        if current.get(key) != value:
            changes.append(Change(key, current.get(key), value))
        values[key] = value
    return values, changes


def describe(changes: list[Change]) -> str:
    """`industry: 制造业 → 餐饮; employees: 0 → 120` (empty when nothing changed)."""
    def shown(v: Any) -> str:
        return "—" if v is None or v == "" else str(v)
    return "; ".join(f"{c.field}: {shown(c.old)} → {shown(c.new)}" for c in changes)


@dataclass(frozen=True)
class Updated:
    """What an add-or-update did: 'inserted', 'updated' or 'unchanged', with the changes, and the record's key."""

    outcome: str
    key: str
    changes: list[Change]

    def as_json(self) -> dict[str, Any]:
        """{"outcome", "key", "changes": [...]}."""
        return {"outcome": self.outcome, "key": self.key, "changes": [c.as_json() for c in self.changes]}
