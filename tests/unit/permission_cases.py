"""What DOMAIN §9 says each role may do, written out by hand, and the shipped roles: shared by the permission tests."""

from __future__ import annotations

from pathlib import Path

from engine.permission import ACTIONS, RoleSpec, roles_from_toml_text

ROOT = Path(__file__).resolve().parent.parent.parent
ROLES_TEXT = (ROOT / "workflows" / "roles.toml").read_text(encoding="utf-8")
ROLES: dict[str, RoleSpec] = roles_from_toml_text(ROLES_TEXT)

A, S = "assigned", "subtree"
_MANAGER = {action: S for action in ACTIONS if action not in ("user.manage", "deadline.reproject")}
# DOMAIN §9, role by role; an action missing from a role is refused.
EXPECTED: dict[str, dict[str, str]] = {
    "admin": {**_MANAGER, "user.manage": S, "deadline.reproject": S},
    "manager": _MANAGER,
    "counselor": {"case.read": A, "case.advance": A, "case.log": A, "case.correct": A, "counselor.read": A},
    "viewer": {"case.read": S, "report.read": S, "counselor.read": S},
}


def segments_cover(grant_path: str, resource_path: str | None) -> bool:
    """The subtree test said another way, by path segments (no organisation: only the root covers it)."""
    grant = [c for c in grant_path.split("/") if c]
    if resource_path is None:
        return not grant
    resource = [c for c in resource_path.split("/") if c]
    return resource[: len(grant)] == grant
