"""Argon2 password hashes (WEB.md): a round trip, a salt per hash, and rehashing of weaker or foreign hashes."""

from __future__ import annotations

from pwdlib.hashers.argon2 import Argon2Hasher

from engine.registry.passwords import hash_password, needs_rehash, verify_password

PASSWORD = "tea-on-the-grand-canal"


def test_a_hashed_password_verifies_and_a_wrong_one_does_not() -> None:
    hashed = hash_password(PASSWORD)
    assert hashed.startswith("$argon2id$")
    assert PASSWORD not in hashed
    assert verify_password(PASSWORD, hashed)
    assert not verify_password(PASSWORD + "!", hashed)


def test_chinese_passwords_round_trip() -> None:
    assert verify_password("工资集体协商要约书已送达", hash_password("工资集体协商要约书已送达"))


def test_two_hashes_of_one_password_differ_by_their_salt() -> None:
    assert hash_password(PASSWORD) != hash_password(PASSWORD)


def test_a_fresh_hash_needs_no_rehash_but_a_weaker_or_foreign_one_does() -> None:
    assert not needs_rehash(hash_password(PASSWORD))
    weak = Argon2Hasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)
    assert verify_password(PASSWORD, weak)
    assert needs_rehash(weak)
    assert needs_rehash("pbkdf2_sha256$600000$salt$digest")


def test_a_stored_value_that_is_not_an_argon2_hash_never_verifies() -> None:
    assert not verify_password(PASSWORD, PASSWORD)
    assert not verify_password(PASSWORD, "")
    assert not verify_password(PASSWORD, "$argon2id$v=19$m=65536,t=3,p=4$broken")
