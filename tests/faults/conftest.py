"""What every fault test asserts: the exit code, exactly one line on stderr, no traceback, nothing written."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import seed_city


def one_line(stderr: str) -> list[str]:
    """The non-empty lines of stderr."""
    return [line for line in stderr.splitlines() if line.strip()]


def assert_fault(result: Any, code: int, *, needle: str = "") -> str:
    """A run ended with `code`, one line on stderr (containing `needle`), and no traceback or rich box."""
    rc = getattr(result, "returncode", getattr(result, "exit_code", None))
    stderr = result.stderr
    assert rc == code, f"exit {rc}, expected {code}; stderr: {stderr!r}; stdout: {result.stdout[-2000:]!r}"
    assert "Traceback" not in stderr and "╭" not in stderr, stderr
    assert "Traceback" not in result.stdout, result.stdout
    lines = one_line(stderr)
    assert len(lines) == 1, lines
    assert needle in lines[0], lines[0]
    assert getattr(result, "exception", None) is None or isinstance(result.exception, SystemExit), result.exception
    return lines[0]


def digest(path: Path) -> str:
    """The bytes of a file, hashed (a database left unchanged hashes the same)."""
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "absent"


def content(path: Path) -> list[str]:
    """Every row of a SQLite database as SQL (WAL included): equal before and after when nothing was written."""
    con = sqlite3.connect(path)
    try:
        return [line for line in con.iterdump() if line.startswith("INSERT")]
    finally:
        con.close()


@pytest.fixture
def seeded(tmp_path: Path) -> Path:
    """A bargain database with a small city, a counselor and one case."""
    from engine.store.database import Store
    from engine.times import parse_at
    from engine.usecases import acts

    path = tmp_path / "ok.db"
    codes = seed_city(f"sqlite:///{path}")
    s = Store(f"sqlite:///{path}")
    acts.open_case(s, codes["union"], at=parse_at("2026-03-02"), recorded_at=parse_at("2026-03-02"), actor="t")
    s.dispose()
    return path
