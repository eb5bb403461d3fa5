"""Organisations as the imports see them: every code with its path, found by code or by unique name."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from engine.errors import did_you_mean
from engine.store.tables import org_t
from engine.values import clean


class Orgs:
    """All organisations, loaded once per import (a federation has thousands, not millions)."""

    def __init__(self, conn: Connection) -> None:
        self.path: dict[str, str] = {}
        self.name: dict[str, str] = {}
        by_name: dict[str, list[str]] = {}
        for code, name, path in conn.execute(sa.select(org_t.c.code, org_t.c.name, org_t.c.path)):
            self.path[code] = path
            self.name[code] = name
            by_name.setdefault(name, []).append(code)
        self.by_name = {n: codes[0] for n, codes in by_name.items() if len(codes) == 1}

    def resolve(self, value: str) -> str | None:
        """The code of an organisation written as its code or as its (unique) name, as stored or with
        full-width characters folded (320505 for ３２０５０５)."""
        for v in (value, clean(value)):
            if v in self.path:
                return v
            if v in self.by_name:
                return self.by_name[v]
        return None

    def unknown(self, value: str) -> tuple[str, str]:
        """The zh/en message for an organisation that does not exist, with a suggestion."""
        guess = did_you_mean(value, list(self.path) + list(self.by_name))
        hint_zh = f"，是否要写 {guess}？" if guess else "，请先用 bargain org import 导入组织"
        hint_en = f"; did you mean {guess}?" if guess else "; import organisations first with bargain org import"
        return f"没有代码（或名称）为 {value} 的工会组织{hint_zh}", f"no organisation with code (or name) {value}{hint_en}"

    def add(self, code: str, name: str, path: str) -> None:
        """Record an organisation written by this import."""
        self.path[code] = path
        self.name[code] = name

    def row(self, code: str) -> dict[str, Any]:
        """Code, name and path of a known organisation."""
        return {"code": code, "name": self.name[code], "path": self.path[code]}
