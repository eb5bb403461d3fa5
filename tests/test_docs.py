"""Like sqlite-utils' test_docs: every command has help text with an example and is in the README."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import typer

from cli import app

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _commands(group: Any, prefix: str = "") -> list[tuple[str, Any]]:
    out = []
    for name, cmd in getattr(group, "commands", {}).items():
        path = f"{prefix} {name}".strip()
        if getattr(cmd, "commands", None):
            out.extend(_commands(cmd, path))
        else:
            out.append((path, cmd))
    return out


COMMANDS = _commands(typer.main.get_command(app))


def test_there_are_commands_to_check() -> None:
    assert len(COMMANDS) >= 10


@pytest.mark.parametrize("path, cmd", COMMANDS, ids=[p for p, _ in COMMANDS])
def test_each_command_has_help_with_an_example(path: str, cmd: Any) -> None:
    assert cmd.help and cmd.help.strip(), f"bargain {path} has no help"
    assert "Example:" in cmd.help, f"bargain {path} has no Example: line"


@pytest.mark.parametrize("path, cmd", COMMANDS, ids=[p for p, _ in COMMANDS])
def test_each_command_is_in_the_readme_reference(path: str, cmd: Any) -> None:
    assert re.search(rf"`bargain {re.escape(path)}(\s|`)", README), f"bargain {path} is missing from README.md"
