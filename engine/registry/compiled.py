"""The compiled definitions (workflows, profiles, holiday calendar, roles) cached on disk between processes.

Compiling every workflow file and rebuilding the holiday calendar took most of a one-case command's own
time, in every process. The compiled bundle is pickled under the user's cache folder
($XDG_CACHE_HOME/bargain, else ~/.cache/bargain), in a file named by a hash of everything it was built
from: the text of every workflow, profile and local holiday file (BARGAIN_HOLIDAYS included), the
chinese-calendar package's data, the source of the modules that build the bundle, the Python version
and this cache's format. Any change gives another name, so a stale bundle is never read; a file that
cannot be read or unpickled is ignored and rebuilt. Two processes racing both build and each writes a
temporary file then renames it over the name (os.replace is atomic), so a reader sees a whole file or
none. An unwritable folder means no cache, never an error. BARGAIN_CACHE=off turns it off.

The bundle also carries the projection fingerprint: a hash of what the stored deadline columns depend
on (the holiday data in force, the profiles, the workflow files). The store keeps the one it projected
with and reprojects when it differs (engine/store/projected.py).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from dataclasses import dataclass
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import engine.registry.definitions as definitions
import engine.registry.holidaydata as holidaydata
from engine.calendar import Calendar, Holidays
from engine.permission import RoleSpec
from engine.spec import WorkflowSpec

FORMAT = 2  # bump when the pickled classes change shape in a way the source hash would not show
ENV_OFF = "BARGAIN_CACHE"


@dataclass(frozen=True)
class Bundle:
    """Everything compiled from the definition files, and the fingerprints it was built under."""

    key: str
    specs: dict[str, WorkflowSpec]
    profiles: dict[str, definitions.Profile]
    calendar: Calendar
    projection: str  # fingerprint of what the deadline columns depend on
    roles: dict[str, RoleSpec]  # workflows/roles.toml: a database with users asks them on every command


def cache_dir() -> Path:
    """The user's cache folder for bargain."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "bargain"


def _code_digest() -> bytes:
    """The source of the modules whose code shapes the bundle (a change of code is a change of key)."""
    from engine import calendar, lawful, permission, spec

    h = hashlib.sha256()
    for module in (spec, calendar, lawful, permission, definitions, holidaydata, sys.modules[__name__]):
        path = getattr(module, "__file__", None)
        if path:
            h.update(Path(path).read_bytes())
    return h.digest()


def _package_digest() -> bytes:
    """The installed chinese-calendar package's files, read without importing it."""
    h = hashlib.sha256()
    found = find_spec("chinese_calendar")
    for folder in (found.submodule_search_locations or []) if found else []:
        for f in sorted(Path(folder).glob("*.py")):
            h.update(f.name.encode())
            h.update(f.read_bytes())
    return h.digest()


def sources() -> dict[str, Any]:
    """The texts the bundle is compiled from."""
    return {"workflows": definitions.workflow_files(), "profiles": definitions.profile_files(),
            "holidays": holidaydata.local_files(), "roles": definitions.roles_file()}


def _key(src: dict[str, Any]) -> str:
    h = hashlib.sha256()
    h.update(f"{FORMAT}|{sys.version}|".encode())
    h.update(_code_digest())
    h.update(_package_digest())
    h.update(repr(sorted(src["workflows"].items())).encode())
    h.update(repr(src["profiles"]).encode())
    h.update(repr(src["holidays"]).encode())
    h.update(src["roles"].encode())
    return h.hexdigest()


def projection_fingerprint(holidays_: Holidays, src: dict[str, Any]) -> str:
    """A hash of the holiday data in force, the profiles and the workflow files."""
    h = hashlib.sha256(b"projection 1|")
    h.update(repr(sorted(holidays_.years)).encode())
    h.update(repr(sorted(holidays_.rest)).encode())
    h.update(repr(sorted(holidays_.work)).encode())
    h.update(repr([t for _, t in src["profiles"]]).encode())
    h.update(repr(sorted(src["workflows"].values())).encode())
    return h.hexdigest()[:32]


def _compile(key: str, src: dict[str, Any]) -> Bundle:
    specs = definitions.build_specs(src["workflows"])
    profiles = definitions.build_profiles(src["profiles"])
    days = holidaydata.build(holidaydata.package_years(), src["holidays"])
    from engine.permission import roles_from_toml_text

    return Bundle(key, specs, profiles, Calendar(days), projection_fingerprint(days, src), roles_from_toml_text(src["roles"]))


def _read(path: Path, key: str) -> Bundle | None:
    try:
        with open(path, "rb") as f:
            found = pickle.load(f)
    except Exception:  # missing, truncated, corrupt, or pickled by other code: rebuild
        return None
    if not isinstance(found, Bundle) or found.key != key:
        return None
    return found


def _write(folder: Path, path: Path, bundle: Bundle) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".registry-", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "wb") as f:
                pickle.dump(bundle, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
        for old in folder.glob("registry-*.pickle"):  # bundles of other file contents: never read again
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:  # read-only home, full disk: run without a cache
        pass


@cache
def bundle() -> Bundle:
    """The compiled definitions: from the cache file when its key matches, else compiled (and cached)."""
    src = sources()
    key = _key(src)
    if os.environ.get(ENV_OFF, "").lower() in ("off", "0", "no"):
        return _compile(key, src)
    folder = cache_dir()
    path = folder / f"registry-{key[:32]}.pickle"
    found = _read(path, key)
    if found is not None:
        return found
    built = _compile(key, src)
    _write(folder, path, built)
    return built
