"""The compiled `transitions` machines of the shipped workflow versions, built once per process.

Apart from the catalog (engine/registry/__init__.py) so that what only reads definitions (reports,
deadline policy) never loads `transitions`.
"""

from __future__ import annotations

from functools import cache

from engine import registry
from engine.machine import WorkflowMachine


@cache
def machine(key: str) -> WorkflowMachine:
    """The compiled machine of a workflow version (built once per process)."""
    return WorkflowMachine(registry.spec(key))
