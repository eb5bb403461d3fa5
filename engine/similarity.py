"""Copying found, not guessed: near-identical contract texts by shingles, MinHash for candidates, exact Jaccard for the verdict.

Policy source: the Suzhou 集体合同质量年 notice asks unions to 「改变照抄照搬参考文本的现象」 (苏州市总工会
《关于以"集体合同质量年"为重点深化"要约行动"的通知》, newsletter in shared/seeds). The number 0.8 for
"near-identical" is ours, not the notice's: a named parameter, `COPY_THRESHOLD`, overridable by the caller.

Pure: no files, no clock. Besides the stdlib this core module uses two third-party libraries, allowed for
this module only: `datasketch` (MinHash, MinHashLSH: candidate pairs without comparing every pair) and
`rapidfuzz` (an edit-distance ratio shown beside the Jaccard as a second, human-readable measure).
MinHash only proposes; every verdict is the exact Jaccard of the two shingle sets.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from datasketch import MinHash, MinHashLSH
from rapidfuzz.distance import Indel

from engine.errors import DataError

COPY_THRESHOLD = 0.8  # ours: exact Jaccard of 5-character shingles at or above which two texts count as copies
COPY_POLICY_SOURCE = "苏州市总工会《关于以“集体合同质量年”为重点深化“要约行动”的通知》：改变照抄照搬参考文本的现象"
SHINGLE_K = 5
NUM_PERM = 128
LSH_THRESHOLD = 0.5  # lower than COPY_THRESHOLD on purpose: LSH may miss pairs near its own threshold
SEED = 1  # fixed, so fingerprints are reproducible across runs and machines

# Placeholders from the Private Use Area: they never occur in real text and survive punctuation stripping.
NAME_MARK = "\ue000"
NUMBER_MARK = "\ue001"
DATE_MARK = "\ue002"

_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "集团", "公司", "厂")
_CN_DIGITS = "〇零一二三四五六七八九十百千万两"
_DATE = re.compile(
    r"\d{2,4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"
    rf"|[{_CN_DIGITS}]{{2,4}}年[{_CN_DIGITS}]{{1,3}}月(?:[{_CN_DIGITS}]{{1,3}}日)?"
)
_NUMBER = re.compile(rf"\d[\d,]*(?:\.\d+)?|百分之[{_CN_DIGITS}点]+")


@dataclass(frozen=True, eq=False)
class Fingerprint:
    """One contract text, normalised, as a shingle set and its MinHash; `key` names it (a case_id, a file)."""

    key: str
    normalized: str
    shingles: frozenset[str]
    minhash: MinHash = field(repr=False)
    k: int = SHINGLE_K


@dataclass(frozen=True)
class SimilarPair:
    """Two texts whose exact shingle Jaccard is at or above the threshold."""

    a: str
    b: str
    jaccard: float
    edit_ratio: float


@dataclass(frozen=True)
class ReferenceMatch:
    """The reference text a contract matches best, when the match is at or above the threshold."""

    reference: str
    jaccard: float
    edit_ratio: float
    threshold: float
    source: str = COPY_POLICY_SOURCE


def name_variants(names: Iterable[str]) -> list[str]:
    """The enterprise's names and their forms without a company suffix (苏州华瑞精密机械有限公司 → 苏州华瑞精密机械), longest first."""
    out: set[str] = set()
    for name in names:
        name = unicodedata.normalize("NFKC", name).strip()
        if not name:
            continue
        out.add(name)
        for suffix in _SUFFIXES:
            if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                out.add(name[: -len(suffix)])
                break
    return sorted(out, key=lambda n: (-len(n), n))


def normalize(text: str, own_names: Iterable[str] = ()) -> str:
    """NFKC; the enterprise's own names, dates and numbers replaced by placeholders; whitespace and punctuation removed."""
    text = unicodedata.normalize("NFKC", text)
    for name in name_variants(own_names):
        text = text.replace(name, NAME_MARK)
    text = _DATE.sub(DATE_MARK, text)
    text = _NUMBER.sub(NUMBER_MARK, text)
    return "".join(ch for ch in text if unicodedata.category(ch)[0] not in "PZC" or ch in (NAME_MARK, NUMBER_MARK, DATE_MARK))


def shingles(normalized: str, k: int = SHINGLE_K) -> frozenset[str]:
    """The set of k-character substrings; a text shorter than k is its own single shingle."""
    if k < 1:
        raise DataError(f"shingle 长度应至少为 1：{k}", f"shingle length must be at least 1: {k}", rule="similarity.k")
    if len(normalized) <= k:
        return frozenset([normalized]) if normalized else frozenset()
    return frozenset(normalized[i : i + k] for i in range(len(normalized) - k + 1))


def fingerprint(text: str, own_names: Iterable[str] = (), *, key: str = "", k: int = SHINGLE_K,
                num_perm: int = NUM_PERM) -> Fingerprint:
    """Normalise a contract text, shingle it (k characters) and MinHash the shingles (num_perm permutations)."""
    normalized = normalize(text, own_names)
    grams = shingles(normalized, k)
    minhash = MinHash(num_perm=num_perm, seed=SEED)
    minhash.update_batch([g.encode("utf-8") for g in sorted(grams)])
    return Fingerprint(key=key, normalized=normalized, shingles=grams, minhash=minhash, k=k)


def exact_similarity(a: Fingerprint, b: Fingerprint) -> float:
    """Jaccard of the two shingle sets, exactly (1.0 for two empty texts)."""
    if a.k != b.k:
        raise DataError("两份指纹的 shingle 长度不同", f"the fingerprints use different shingle lengths ({a.k}, {b.k})",
                        rule="similarity.k")
    if not a.shingles and not b.shingles:
        return 1.0
    return len(a.shingles & b.shingles) / len(a.shingles | b.shingles)


def edit_ratio(a: Fingerprint, b: Fingerprint) -> float:
    """Normalised Indel similarity of the two normalised texts (0 to 1), by rapidfuzz."""
    return float(Indel.normalized_similarity(a.normalized, b.normalized))


def candidates(fps: Sequence[Fingerprint], *, lsh_threshold: float = LSH_THRESHOLD) -> list[tuple[str, str]]:
    """Pairs of keys MinHashLSH puts in a common bucket: to be checked with `exact_similarity`, never a verdict."""
    keys = [fp.key for fp in fps]
    if len(set(keys)) != len(keys):
        dup = next(k for k in keys if keys.count(k) > 1)
        raise DataError(f"指纹编号重复：{dup!r}", f"duplicate fingerprint key: {dup!r}", rule="similarity.key")
    if not fps:
        return []
    lsh = MinHashLSH(threshold=lsh_threshold, num_perm=fps[0].minhash.hashvalues.size)
    for fp in fps:
        lsh.insert(fp.key, fp.minhash)
    pairs: set[tuple[str, str]] = set()
    for fp in fps:
        for other in lsh.query(fp.minhash):
            if other != fp.key:
                a, b = sorted((fp.key, str(other)))
                pairs.add((a, b))
    return sorted(pairs)


def similar_pairs(fps: Sequence[Fingerprint], *, threshold: float = COPY_THRESHOLD,
                  lsh_threshold: float = LSH_THRESHOLD) -> list[SimilarPair]:
    """Candidate pairs whose exact Jaccard is at or above `threshold`, highest first."""
    by_key = {fp.key: fp for fp in fps}
    out = []
    for a, b in candidates(fps, lsh_threshold=lsh_threshold):
        score = exact_similarity(by_key[a], by_key[b])
        if score >= threshold:
            out.append(SimilarPair(a, b, score, edit_ratio(by_key[a], by_key[b])))
    return sorted(out, key=lambda p: (-p.jaccard, p.a, p.b))


def groups(pairs: Iterable[SimilarPair | tuple[str, str]]) -> list[list[str]]:
    """Union-find over the pairs: each group of near-identical contracts sorted, groups largest first."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for pair in pairs:
        a, b = (pair.a, pair.b) if isinstance(pair, SimilarPair) else pair
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    members: dict[str, list[str]] = {}
    for x in parent:
        members.setdefault(find(x), []).append(x)
    return sorted((sorted(m) for m in members.values()), key=lambda g: (-len(g), g))


def copied_from_reference(contract: Fingerprint, references: Sequence[Fingerprint], *,
                          threshold: float = COPY_THRESHOLD) -> ReferenceMatch | None:
    """The reference text the contract matches best at or above `threshold` (exact Jaccard), or None."""
    best: ReferenceMatch | None = None
    for ref in references:
        score = exact_similarity(contract, ref)
        if score >= threshold and (best is None or score > best.jaccard):
            best = ReferenceMatch(ref.key, score, edit_ratio(contract, ref), threshold)
    return best
