"""engine.credit's fast check answers exactly as python-stdnum does (the bench compares a million codes)."""

from __future__ import annotations

import pytest

from bench.bench_credit import differences, engine_answer, generated, stdnum_answer
from engine.credit import check_credit_code, fast_valid, make_credit_code
from engine.errors import DataError


def test_generated_codes_answer_as_stdnum() -> None:
    codes = list(generated(30_000, seed=7))
    answers = {stdnum_answer(c).split()[0] for c in codes}
    assert answers == {"ok", "checksum", "length", "characters"}  # every kind of answer is exercised
    assert sum(stdnum_answer(c).startswith("ok ") for c in codes) > 10_000
    assert differences(codes) == []


@pytest.mark.parametrize("code", ["91110000600037341L", make_credit_code("320500", 1), "91320500MA1X2Y3Q0C"[:17] + "0"])
def test_fast_path_accepts_only_what_stdnum_accepts(code: str) -> None:
    assert engine_answer(code) == stdnum_answer(code)
    if fast_valid(code):
        assert stdnum_answer(code) == "ok " + code


def test_messages_unchanged() -> None:
    with pytest.raises(DataError) as bad:
        check_credit_code("91110000600037341M")
    assert bad.value.zh == "统一社会信用代码 91110000600037341M 无效：校验码错误"
    with pytest.raises(DataError) as short:
        check_credit_code("9111")
    assert short.value.en == "credit code 9111 is invalid: must have 18 characters (has 4)"
    with pytest.raises(DataError) as chars:
        check_credit_code("9111000060003734IL")
    assert chars.value.en == "credit code 9111000060003734IL is invalid: has invalid characters"
    assert check_credit_code(" 91110000-600037341l ") == "91110000600037341L"  # stdnum's cleaning, not the fast path
    assert not fast_valid("91110000600037341l")
