"""engine.similarity's fast path (issue 17's benchmark) keeps the plain definitions: the numpy shingle hashes give the
set Jaccard, the one-permutation MinHash estimates it, the led regexes and the run-wise NFKC normalise as the plain
forms do, and the numpy banding proposes exactly the pairs datasketch's MinHashLSH proposes."""

from __future__ import annotations

import re
import unicodedata

import pytest
from datasketch import LeanMinHash, MinHashLSH
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.errors import DataError
from engine.similarity import (
    _CN_DIGITS,
    _DATE,
    _NUMBER,
    DATE_MARK,
    LSH_BANDS,
    LSH_ROWS,
    NAME_MARK,
    NUM_PERM,
    NUMBER_MARK,
    SEED,
    Fingerprint,
    candidate_pairs,
    exact_similarity,
    fingerprint,
    hash_jaccard,
    name_variants,
    normalize,
    shingle_hashes,
    shingles,
)

# The plain forms, as they were before the fast path.
PLAIN_DATE = re.compile(
    r"\d{2,4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"
    rf"|[{_CN_DIGITS}]{{2,4}}年[{_CN_DIGITS}]{{1,3}}月(?:[{_CN_DIGITS}]{{1,3}}日)?"
)
PLAIN_NUMBER = re.compile(rf"\d[\d,]*(?:\.\d+)?|百分之[{_CN_DIGITS}点]+")


def plain_normalize(text: str, own_names: list[str]) -> str:
    text = unicodedata.normalize("NFKC", text)
    for name in name_variants(own_names):
        text = text.replace(name, NAME_MARK)
    text = PLAIN_DATE.sub(DATE_MARK, text)
    text = PLAIN_NUMBER.sub(NUMBER_MARK, text)
    return "".join(ch for ch in text if unicodedata.category(ch)[0] not in "PZC" or ch in (NAME_MARK, NUMBER_MARK, DATE_MARK))


DATEISH = st.text(alphabet="0123456789 年月日-/.,百分之点〇零一二三四五六七八九十千万两工资元%٣", max_size=40)
CONTRACTISH = st.text(alphabet=st.sampled_from(list("工资集体协商合同甲乙方第条月年日元百分之一二十 ，。：；（）１２３ＡＢ　…"
                                                    "0123456789%ｅé\u0301\u3000\ufb01ﾊﾟ")), max_size=200)


@given(DATEISH)
@settings(max_examples=400)
def test_the_led_date_and_number_patterns_match_as_the_plain_ones(text: str) -> None:
    assert _DATE.sub("D", text) == PLAIN_DATE.sub("D", text)
    assert _NUMBER.sub("N", text) == PLAIN_NUMBER.sub("N", text)


@given(st.one_of(CONTRACTISH, st.text(max_size=200)), st.sampled_from([[], ["苏州华瑞精密机械有限公司"], ["ＡＢ公司"]]))
@settings(max_examples=300)
def test_normalising_by_runs_and_by_table_gives_the_plain_normal_form(text: str, names: list[str]) -> None:
    assert normalize(text, names) == plain_normalize(text, names)


@given(st.text(max_size=120), st.text(max_size=120), st.integers(min_value=1, max_value=6))
def test_the_jaccard_of_the_hash_sets_is_the_jaccard_of_the_shingle_sets(a: str, b: str, k: int) -> None:
    sa, sb = shingles(a, k), shingles(b, k)
    expected = 1.0 if not sa and not sb else len(sa & sb) / len(sa | sb)
    assert hash_jaccard(shingle_hashes(a, k), shingle_hashes(b, k)) == pytest.approx(expected, abs=1e-12)
    assert shingle_hashes(a, k).size == len(sa)


@given(st.lists(st.text(alphabet="甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥", min_size=20, max_size=40), min_size=30, max_size=30),
       st.integers(min_value=0, max_value=30), st.randoms(use_true_random=False))
@settings(max_examples=60, deadline=None)
def test_the_minhash_estimate_is_within_tolerance_of_the_exact_jaccard(clauses: list[str], shared: int, rnd: object) -> None:
    import random

    assert isinstance(rnd, random.Random)
    other = clauses[:shared] + ["".join(rnd.choices("日月星辰山川河海风云雷电", k=30)) for _ in range(30 - shared)]
    a, b = fingerprint("".join(clauses)), fingerprint("".join(other))
    exact = exact_similarity(a, b)
    tolerance = 5 * (exact * (1 - exact) / NUM_PERM) ** 0.5 + 0.03
    assert abs(a.estimate(b) - exact) <= tolerance


def test_banding_proposes_exactly_what_datasketch_minhash_lsh_proposes() -> None:
    import random

    rng = random.Random(5)
    base = "".join(rng.choices("工资集体协商合同甲乙方第条月年日元调整增长加班津贴奖金支付", k=1500))
    texts = []
    for i in range(120):
        cut = rng.randint(0, 1500)
        keep = rng.random()
        texts.append(base[: int(cut * keep)] + "".join(rng.choices("山川河海风云雷电", k=1500 - int(cut * keep))) if i % 3
                     else base[:1400] + str(i))
    prints = [fingerprint(t, key=f"k{i:03}") for i, t in enumerate(texts)]
    lsh = MinHashLSH(num_perm=LSH_BANDS * LSH_ROWS, params=(LSH_BANDS, LSH_ROWS))
    for fp in prints:
        lsh.insert(fp.key, LeanMinHash(seed=SEED, hashvalues=fp.signature[: LSH_BANDS * LSH_ROWS], scheme="affine64"))
    theirs = set()
    for fp in prints:
        for other in lsh.query(LeanMinHash(seed=SEED, hashvalues=fp.signature[: LSH_BANDS * LSH_ROWS], scheme="affine64")):
            if other != fp.key:
                theirs.add(tuple(sorted((fp.key, str(other)))))
    ours = {tuple(sorted((prints[i].key, prints[j].key))) for i, j, _ in candidate_pairs(prints)}
    assert theirs and ours == theirs


def test_the_estimate_keeps_the_pairs_near_the_threshold_and_drops_the_far_ones() -> None:
    text = "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(3000))
    near = text[:2800] + "".join(chr(0x7000 + i) for i in range(200))
    far = text[:900] + "".join(chr(0x6000 + i) for i in range(2100))
    prints = [fingerprint(text, key="a"), fingerprint(near, key="b"), fingerprint(far, key="c")]
    kept = {(prints[i].key, prints[j].key) for i, j, _ in candidate_pairs(prints, min_estimate=0.75)}
    assert ("a", "b") in kept and ("a", "c") not in kept


def test_fingerprints_of_another_scheme_or_size_are_never_compared() -> None:
    a = fingerprint("工资集体协商合同" * 20)
    b = Fingerprint(key="old", normalized=a.normalized, signature=a.signature, scheme="datasketch-sha1-v1")
    with pytest.raises(DataError):
        exact_similarity(a, b)
    with pytest.raises(DataError):
        a.estimate(fingerprint("工资集体协商合同" * 20, num_perm=256))
    with pytest.raises(DataError):
        candidate_pairs([a, fingerprint("x", key="y", num_perm=64)])
