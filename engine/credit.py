"""The 统一社会信用代码 (GB 32100-2015): checked with python-stdnum, never by hand."""

from __future__ import annotations

from stdnum import exceptions as stdnum_errors
from stdnum.cn import uscc

from engine.errors import DataError
from engine.values import clean

SOURCE = "GB 32100-2015"


def check_credit_code(value: object) -> str:
    """The normalised credit code, or DataError saying what is wrong with it."""
    text = clean(value).upper().replace(" ", "").replace("-", "")
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
