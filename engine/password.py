"""The password policy (issue 15): long enough, not only spaces, no control character, not the login, not a
well-known password.

Pure: the list of common passwords is passed in (engine/hashing.py reads the shipped
data/common-passwords.txt). A refusal never repeats the password (WEB.md: never logged, never echoed).
"""

from __future__ import annotations

from engine.errors import DataError

MIN_LENGTH = 10


def common_from_text(text: str) -> frozenset[str]:
    """The common passwords in a one-per-line text, case-folded, blank lines skipped."""
    return frozenset(line.strip().casefold() for line in text.splitlines() if line.strip())


def check_password(password: str, login: str, common: frozenset[str]) -> None:
    """Refuse (DataError) a password shorter than MIN_LENGTH, only spaces, with a control character, equal to the
    login or its reverse, or common."""
    if len(password) < MIN_LENGTH:
        raise DataError(f"密码太短：至少需要 {MIN_LENGTH} 个字符", f"the password is too short: it needs at least {MIN_LENGTH} characters",
                        hint_zh="可以用几个词组成的短句", hint_en="a short phrase of several words is easy to remember",
                        rule="password.length", required=MIN_LENGTH, actual=len(password))
    if not password.strip():
        raise DataError("密码不能全是空格", "the password may not be only spaces",
                        hint_zh="可以用几个词组成的短句", hint_en="a short phrase of several words is easy to remember",
                        rule="password.blank", required="not only spaces", actual="only spaces")
    control = next((ch for ch in password if ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0), None)
    if control is not None:  # a NUL, tab or line break nobody can type into the web's login form
        raise DataError(f"密码含控制字符 U+{ord(control):04X}，在网页登录时无法输入", f"the password has the control character "
                        f"U+{ord(control):04X}, which cannot be typed at the web login", rule="password.control",
                        required="no control character", actual=f"U+{ord(control):04X}")
    folded = password.strip().casefold()
    name = login.strip().casefold()
    if name and folded in (name, name[::-1]):
        raise DataError("密码不能是登录名（或倒写的登录名）", "the password may not be the login (or the login reversed)",
                        rule="password.login", required="not the login", actual="the login")
    if folded in common:
        raise DataError("这个密码太常见，很容易被猜中，请换一个",
                        "this password is among the most common ones and easily guessed: choose another",
                        rule="password.common", required="not a common password", actual="a common password")
