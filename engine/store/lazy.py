"""Store modules bound at import, loaded on first use (importlib's LazyLoader): a use-case module names
`access`, `directory`… as before, and a one-case command that only runs engine/store/hot.py's functions never
executes them (they import SQLAlchemy)."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType


def module(name: str) -> ModuleType:
    """The module `name`, executed when one of its attributes is first read (at once if already imported)."""
    found = sys.modules.get(name)
    if found is not None:
        return found
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ImportError(name)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    loader.exec_module(mod)
    return mod
