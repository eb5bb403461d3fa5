"""The 统一社会信用代码 (GB 32100-2015): checked with python-stdnum, never by hand.

An import checks every row's code, and stdnum's `validate` cleans each character twice (Unicode dashes,
separators) before it weighs them: a third of an import's time. `check_credit_code` first tries the one
shape that needs no cleaning (18 characters of stdnum's own alphabet, the first 8 digits) and weighs it with
stdnum's own alphabet and weights; everything else (lower case, separators, wrong length, bad characters,
wrong check character) goes to stdnum itself, which accepts or refuses it. So the fast path only ever
accepts a code stdnum accepts unchanged; tests/unit/test_credit.py and `python -m bench credit` compare the
two on generated codes (a million in the bench), valid and invalid.
"""

from __future__ import annotations

from stdnum import exceptions as stdnum_errors
from stdnum.cn import uscc

from engine.errors import DataError
from engine.values import clean

SOURCE = "GB 32100-2015"

_ALPHABET: str = uscc._alphabet  # stdnum's own alphabet, so the two cannot drift apart
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_VALUE = {ch: i for i, ch in enumerate(_ALPHABET)}
_DIGITS = frozenset("0123456789")


def fast_valid(text: str) -> bool:
    """Whether `text` is a valid code exactly as written (what stdnum's validate would return unchanged);
    False says only "ask stdnum": a code with separators or in lower case may still be valid."""
    if len(text) != 18 or not _DIGITS.issuperset(text[:8]):
        return False
    value = _VALUE
    try:
        total = sum([value[c] * w for c, w in zip(text, _WEIGHTS)])
        last = value[text[17]]
    except KeyError:  # a character outside the alphabet
        return False
    return last == (31 - total) % 31


def check_credit_code(value: object) -> str:
    """The normalised credit code, or DataError saying what is wrong with it."""
    text = clean(value).upper().replace(" ", "").replace("-", "")
    if fast_valid(text):
        return text
    try:
        return str(uscc.validate(text))
    except stdnum_errors.InvalidChecksum:
        why_zh, why_en = "校验码错误", "wrong check character"
    except stdnum_errors.InvalidLength:
        why_zh, why_en = f"应为 18 位（现为 {len(text)} 位）", f"must have 18 characters (has {len(text)})"
    except stdnum_errors.ValidationError:
        why_zh, why_en = "含有无效字符", "has invalid characters"
    raise DataError(
        f"统一社会信用代码 {text or '（空）'} 无效：{why_zh}", f"credit code {text or '(empty)'} is invalid: {why_en}",
        rule="credit_code", source=SOURCE, actual=text,
    )


def make_credit_code(region: str, serial: int, *, authority: str = "9", kind: str = "1") -> str:
    """A valid code for sample data: authority, kind, 6-digit region, 9-character body, check character."""
    body = f"{authority}{kind}{region[:6]:0<6}{serial:09d}"
    return body + uscc.calc_check_digit(body)
