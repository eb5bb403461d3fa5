"""Password hashing with Argon2 (WEB.md, security promises), and the shipped list of common passwords.

Not part of the pure core: it calls a C library and reads a packaged file, so it lives with the registry's
loaders of shipped data.

The list data/common-passwords.txt is Django's common-passwords list (django/contrib/auth, from
Django 5.2, BSD licence in data/common-passwords.LICENSE), one lower-case password a line, most
common first.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from pwdlib import PasswordHash
from pwdlib.exceptions import PwdlibError
from pwdlib.hashers.argon2 import Argon2Hasher

from engine.password import common_from_text

COMMON_FILE = "common-passwords.txt"


@lru_cache(maxsize=1)
def _hasher() -> PasswordHash:
    return PasswordHash((Argon2Hasher(),))


def hash_password(password: str) -> str:
    """An Argon2id hash of the password, with a fresh random salt, in the standard encoded form."""
    return _hasher().hash(password)


def verify_password(password: str, hashed: str) -> bool:
    """Whether the password matches the hash; False for a wrong password, a hash that is not Argon2 or a damaged one
    (pwdlib 0.4 raises HashVerificationError for that, older versions UnknownHashError: both are PwdlibError)."""
    try:
        return _hasher().verify(password, hashed)
    except PwdlibError:
        return False


def needs_rehash(hashed: str) -> bool:
    """Whether a stored hash should be replaced at the next login (older parameters, or not Argon2)."""
    if not Argon2Hasher.identify(hashed):
        return True
    return bool(Argon2Hasher().check_needs_rehash(hashed))


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The shipped common passwords, case-folded, for engine.password.check_password."""
    return common_from_text(resources.files("data").joinpath(COMMON_FILE).read_text(encoding="utf-8"))
