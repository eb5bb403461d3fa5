"""engine.similarity: contracts copied from one reference text are found and grouped; a specific one is not."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from engine.similarity import (
    COPY_THRESHOLD,
    candidates,
    copied_from_reference,
    exact_similarity,
    fingerprint,
    groups,
    normalize,
    shingles,
    similar_pairs,
)

CONTRACTS = Path(__file__).resolve().parents[1] / "fixtures" / "contracts"
OWN_NAMES = {
    "reference": [],
    "copy_huarui": ["苏州华瑞精密机械有限公司"],
    "copy_hengtong": ["苏州恒通纺织有限公司"],
    "specific_lida": ["昆山立达电子科技有限公司"],
}


def _fingerprints() -> dict[str, object]:
    return {key: fingerprint((CONTRACTS / f"{key}.txt").read_text(encoding="utf-8"), names, key=key)
            for key, names in OWN_NAMES.items()}


FPS = _fingerprints()


def test_the_fixture_contracts_are_realistic_length() -> None:
    for key in OWN_NAMES:
        assert len((CONTRACTS / f"{key}.txt").read_text(encoding="utf-8")) >= 1400


def test_two_contracts_copying_one_reference_with_only_the_name_changed_are_identical_after_normalising() -> None:
    assert exact_similarity(FPS["copy_huarui"], FPS["copy_hengtong"]) == 1.0  # type: ignore[arg-type]


def test_copies_are_flagged_against_the_reference_and_the_specific_contract_is_not() -> None:
    reference = [FPS["reference"]]
    for key in ("copy_huarui", "copy_hengtong"):
        match = copied_from_reference(FPS[key], reference)  # type: ignore[arg-type]
        assert match is not None and match.reference == "reference" and match.jaccard >= COPY_THRESHOLD
        assert "照抄照搬参考文本" in match.source
    assert copied_from_reference(FPS["specific_lida"], reference) is None  # type: ignore[arg-type]


def test_near_identical_contracts_form_one_group_without_the_specific_one() -> None:
    pairs = similar_pairs(list(FPS.values()))  # type: ignore[arg-type]
    found = groups(pairs)
    assert found == [["copy_hengtong", "copy_huarui", "reference"]]
    assert all("specific_lida" not in (p.a, p.b) for p in pairs)


def test_candidates_are_only_proposals_checked_by_the_exact_measure() -> None:
    pairs = candidates(list(FPS.values()))  # type: ignore[arg-type]
    assert ("copy_hengtong", "copy_huarui") in pairs
    assert all(a < b for a, b in pairs)


def test_groups_join_chains_by_union_find() -> None:
    assert groups([("a", "b"), ("c", "d"), ("b", "c"), ("x", "y")]) == [["a", "b", "c", "d"], ["x", "y"]]


def test_normalising_hides_the_name_dates_amounts_and_punctuation() -> None:
    a = normalize("甲方：苏州华瑞精密机械有限公司，自2025年3月1日起月工资不低于2,600元，增长5.5%。", ["苏州华瑞精密机械有限公司"])
    b = normalize("甲方 苏州恒通纺织有限公司 自 2026年4月1日 起月工资不低于 2800 元，增长 百分之六。", ["苏州恒通纺织有限公司"])
    assert a == b


def test_the_shingle_length_is_a_named_parameter() -> None:
    assert shingles("abcdef", k=3) == frozenset({"abc", "bcd", "cde", "def"})
    assert fingerprint("工资集体协商", k=2).k == 2


@given(st.text(min_size=0, max_size=300), st.text(min_size=0, max_size=300), st.integers(min_value=1, max_value=8))
def test_exact_similarity_is_symmetric_and_in_the_unit_interval(a: str, b: str, k: int) -> None:
    fa, fb = fingerprint(a, k=k), fingerprint(b, k=k)
    assert exact_similarity(fa, fb) == exact_similarity(fb, fa)
    assert 0.0 <= exact_similarity(fa, fb) <= 1.0


@given(st.text(max_size=300), st.text(alphabet="，。；：、 \n（）", max_size=20))
def test_exact_similarity_is_one_on_identical_normalised_text(text: str, noise: str) -> None:
    assert exact_similarity(fingerprint(text), fingerprint(text + noise)) == 1.0
