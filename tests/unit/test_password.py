"""The password policy: at least ten characters, not the login (nor reversed), not a common password."""

from __future__ import annotations

import pytest

from engine.errors import DataError
from engine.password import MIN_LENGTH, check_password, common_from_text
from engine.registry.passwords import common_passwords

COMMON = frozenset({"1234567890", "qwertyuiop", "password123"})


def _refusal(password: str, login: str = "zhangsan", common: frozenset[str] = COMMON) -> DataError:
    with pytest.raises(DataError) as caught:
        check_password(password, login, common)
    return caught.value


def test_a_long_uncommon_password_is_accepted() -> None:
    check_password("tea-on-the-grand-canal", "zhangsan", COMMON)


def test_nine_characters_are_refused_and_ten_are_enough() -> None:
    error = _refusal("x7#kq2!mz")
    assert error.rule == "password.length" and error.required == MIN_LENGTH == 10 and error.actual == 9
    check_password("x7#kq2!mzp", "zhangsan", COMMON)


def test_length_counts_characters_not_bytes() -> None:
    assert _refusal("协商工资集体合同").rule == "password.length"
    check_password("工资集体协商要约书已送达", "zhangsan", COMMON)


def test_the_login_is_refused_in_any_case_and_reversed() -> None:
    assert _refusal("WangXiaoMing", login="wangxiaoming").rule == "password.login"
    assert _refusal("gnimoaixgnaw", login="WangXiaoMing").rule == "password.login"


def test_a_common_password_is_refused_in_any_case() -> None:
    assert _refusal("QwertyUiop").rule == "password.common"
    assert _refusal(" password123 ").rule == "password.common"


def test_a_refusal_never_repeats_the_password() -> None:
    for password, login in (("s3cr", "li"), ("zhangsan00", "zhangsan00"), ("1234567890", "li")):
        error = _refusal(password, login)
        for text in (error.zh, error.en, error.message("zh"), error.message("en"), str(error.as_json())):
            assert password not in text


def test_the_shipped_list_holds_thousands_of_common_passwords_folded_to_lower_case() -> None:
    shipped = common_passwords()
    assert len(shipped) > 10_000
    assert {"password", "123456", "1234567890", "qwertyuiop", "iloveyou"} <= shipped
    assert all(p == p.casefold() and p == p.strip() and p for p in shipped)
    assert _refusal("1q2w3e4r5t", common=shipped).rule == "password.common"


def test_the_list_text_is_read_one_password_a_line_skipping_blank_lines() -> None:
    assert common_from_text("Dragon\n\n  monkey  \n#hash\n") == frozenset({"dragon", "monkey", "#hash"})
