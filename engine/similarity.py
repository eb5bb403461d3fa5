"""Copying found, not guessed: near-identical contract texts by shingles, MinHash for candidates, exact Jaccard for the verdict.

Policy source: the Suzhou 集体合同质量年 notice asks unions to 「改变照抄照搬参考文本的现象」 (苏州市总工会
《关于以"集体合同质量年"为重点深化"要约行动"的通知》, newsletter in shared/seeds). The number 0.8 for
"near-identical" is ours, not the notice's: a named parameter, `COPY_THRESHOLD`, overridable by the caller.

Pure: no files, no clock. Besides the stdlib this core module uses three third-party libraries, allowed for
this module only: `numpy` (the shingles hashed over the text's code points, the MinHash signature, the LSH
banding, the exact Jaccard of two hash sets), `datasketch` (a signature as its LeanMinHash, for anyone who wants
datasketch's MinHashLSH on it; the tests check that the banding here proposes exactly the pairs MinHashLSH
proposes) and `rapidfuzz` (an edit-distance ratio shown beside the Jaccard as a second, human-readable measure).
MinHash only proposes; every verdict is the exact Jaccard of the two shingle sets.

Decision: the LSH buckets are built with numpy (one argsort per band) rather than by inserting every text into
datasketch's MinHashLSH: its per-key Python insert alone took 8 s for 20,000 distinct texts (cProfile, on the
shared machine), a third of the check's time, and its query per key returns the candidates one by one, where the
pairs of a band's bucket are enumerated and estimated here as arrays.

How a text becomes a fingerprint (FINGERPRINT_SCHEME, issue 17's benchmark: 100,000 contracts in a minute):
- normalised: NFKC (applied to the runs between CJK ideographs only: an ideograph of U+4E00–U+9FFF has no
  decomposition and composes with nothing, so NFKC of the whole text is NFKC of those runs), the enterprise's
  own names, dates and numbers as placeholders, then every character of the Unicode categories P, Z and C
  dropped (one lookup table over the code points, filled as characters are first seen);
- shingled: every run of SHINGLE_K code points hashed to 64 bits at once with numpy (a polynomial over the code
  points modulo 2**64, then the splitmix64 finaliser, a bijection); the sorted distinct hashes are the shingle
  set. Two distinct shingles share a hash with a probability of about 2**-64 a pair: the "exact" Jaccard is the
  Jaccard of the hash sets, equal to the Jaccard of the string sets unless such a collision occurs;
- signed: one-permutation MinHash (Li, Owen & Zhang 2012) with rotation densification (Shrivastava & Li 2014):
  the 64-bit hash range cut into NUM_PERM equal bins, each bin's smallest hash (the first of the sorted set in
  that bin), an empty bin taking the next non-empty bin's value (which lies in that bin's range, so it never
  equals a real value of the empty bin). The share of equal slots estimates the Jaccard as NUM_PERM affine
  permutations would, for one hashing pass instead of NUM_PERM.
Fingerprints are computed when a report runs and are not stored; a signature of another scheme (datasketch's
sha1 MinHash of the first version) is never compared with one of this scheme: `Fingerprint.scheme` says which.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from datasketch import LeanMinHash
from rapidfuzz.distance import Indel

from engine.errors import DataError

COPY_THRESHOLD = 0.8  # ours: exact Jaccard of 5-character shingles at or above which two texts count as copies
COPY_POLICY_SOURCE = "苏州市总工会《关于以“集体合同质量年”为重点深化“要约行动”的通知》：改变照抄照搬参考文本的现象"
SHINGLE_K = 5
NUM_PERM = 512  # MinHash slots: the first LSH_BANDS x LSH_ROWS index the LSH, the others estimate a candidate's Jaccard
# LSH bands x rows (16 x 8 = 128 slots): a pair of Jaccard s becomes a candidate with probability 1 - (1 - s**8)**16:
# 0.95 at 0.8, 0.99 at 0.85, 0.48 at 0.67, 0.04 at 0.47. Ours: steep enough that contracts sharing half their
# clauses (a federation's cluster of lightly edited copies) do not make the candidates quadratic, while a pair at
# or above COPY_THRESHOLD is proposed (recall measured by bench/bench_similarity.py against the exact measure).
LSH_BANDS = 16
LSH_ROWS = 8
SEED = 1  # fixed, so fingerprints are reproducible across runs and machines
FINGERPRINT_SCHEME = "oph64-v2"  # the version of the shingle hashing and signature above

# Placeholders from the Private Use Area: they never occur in real text and survive punctuation stripping.
NAME_MARK = "\ue000"
NUMBER_MARK = "\ue001"
DATE_MARK = "\ue002"

_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "集团", "公司", "厂")
_CN_DIGITS = "〇零一二三四五六七八九十百千万两"
# What counts as a date and as a number. The patterns below are written led by one character class, which lets
# Python's regex engine skip the positions that cannot start a match in one tight loop (about 4x faster on
# contract text); each is equivalent to the plain form beside it (tests/unit/test_similarity.py checks it):
#   date:   \d{2,4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)? | \d{1,2}\s*月\s*\d{1,2}\s*日 | \d{4}[-/.]\d{1,2}[-/.]\d{1,2}
#           | [CN]{2,4}年[CN]{1,3}月(?:[CN]{1,3}日)?        (CN: the Chinese numerals in _CN_DIGITS)
#   number: \d[\d,]*(?:\.\d+)? | 百分之[CN点]+
_DATE = re.compile(
    rf"[\d{_CN_DIGITS}](?:(?<=\d)(?:\d{{1,3}}\s*年\s*\d{{1,2}}\s*月(?:\s*\d{{1,2}}\s*日)?|\d?\s*月\s*\d{{1,2}}\s*日"
    rf"|\d{{3}}[-/.]\d{{1,2}}[-/.]\d{{1,2}})|(?<=[{_CN_DIGITS}])[{_CN_DIGITS}]{{1,3}}年[{_CN_DIGITS}]{{1,3}}月(?:[{_CN_DIGITS}]{{1,3}}日)?)"
)
_NUMBER = re.compile(rf"[\d百](?:(?<=\d)[\d,]*(?:\.\d+)?|(?<=百)分之[{_CN_DIGITS}点]+)")
_NOT_IDEOGRAPH = re.compile(r"[^\u4e00-\u9fff]+")

U64 = npt.NDArray[np.uint64]
_EMPTY: U64 = np.zeros(0, dtype=np.uint64)
_POLY = np.uint64(0x9E3779B97F4A7C15)  # odd multiplier of the polynomial hash (the golden-ratio constant)
_MIX1, _MIX2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)  # splitmix64's finaliser
_S30, _S27, _S31 = np.uint64(30), np.uint64(27), np.uint64(31)
_FULL = np.uint64(0xFFFFFFFFFFFFFFFF)  # the signature slot of an empty text


@dataclass(frozen=True, eq=False)
class Fingerprint:
    """One contract text, normalised, with its MinHash signature; `key` names it (a case_id, a file).

    The shingle set (sorted distinct 64-bit hashes) is computed again from `normalized` when asked for, not kept:
    a whole subtree's check needs it only for the candidate pairs, and 100,000 kept sets would take 3 GB."""

    key: str
    normalized: str
    signature: U64 = field(repr=False)
    k: int = SHINGLE_K
    scheme: str = FINGERPRINT_SCHEME

    def hashes(self) -> U64:
        """The shingle set as sorted distinct 64-bit hashes."""
        return shingle_hashes(self.normalized, self.k)

    @property
    def minhash(self) -> LeanMinHash:
        """The signature as a datasketch LeanMinHash (for MinHashLSH); values are 64-bit, hence "affine64"."""
        return LeanMinHash(seed=SEED, hashvalues=self.signature, scheme="affine64")

    def estimate(self, other: Fingerprint) -> float:
        """The MinHash estimate of the Jaccard: the share of equal signature slots (standard error about
        sqrt(J(1 - J) / NUM_PERM): 0.018 at 0.8 with 512 slots)."""
        _same_kind(self, other)
        return float(np.count_nonzero(self.signature == other.signature)) / self.signature.size


@dataclass(frozen=True)
class SimilarPair:
    """Two texts whose exact shingle Jaccard is at or above the threshold; `edit_ratio` None where not computed
    (a subtree's check lists the Jaccard only: the edit ratio of two 3,000-character texts costs a millisecond)."""

    a: str
    b: str
    jaccard: float
    edit_ratio: float | None = None


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


# Which code points normalising drops (Unicode categories P, Z, C, the placeholders excepted), learnt as they are
# first seen: a pure cache of unicodedata.category, 2 x 1.1 MB of zeros the system maps lazily.
_SEEN = np.zeros(0x110000, dtype=np.bool_)
_DROP = np.zeros(0x110000, dtype=np.bool_)
_MARKS = frozenset((NAME_MARK, NUMBER_MARK, DATE_MARK))


def _code_points(text: str) -> npt.NDArray[np.uint32]:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def _learn(points: npt.NDArray[np.uint32]) -> None:
    new = np.unique(points[~_SEEN[points]])
    for cp in new.tolist():
        ch = chr(cp)
        _DROP[cp] = unicodedata.category(ch)[0] in "PZC" and ch not in _MARKS
    _SEEN[new] = True


def _nfkc_run(match: re.Match[str]) -> str:
    return unicodedata.normalize("NFKC", match.group())


def _normalized_points(text: str, own_names: Iterable[str]) -> npt.NDArray[np.uint32]:
    if not unicodedata.is_normalized("NFKC", text):
        # Fullwidth ASCII (U+FF01–FF5E) and the ideographic space are most of what NFKC changes in Chinese text:
        # replaced by their NFKC forms at once (a character replaced by its own NFKC form leaves the NFKC of the
        # whole text unchanged); whatever is left goes through NFKC run by run.
        points = _code_points(text).copy()
        points[(points >= 0xFF01) & (points <= 0xFF5E)] -= 0xFEE0
        points[points == 0x3000] = 0x20
        text = points.tobytes().decode("utf-32-le", "surrogatepass")
        if not unicodedata.is_normalized("NFKC", text):
            text = _NOT_IDEOGRAPH.sub(_nfkc_run, text)
    for name in name_variants(own_names):
        text = text.replace(name, NAME_MARK)
    text = _DATE.sub(DATE_MARK, text)
    text = _NUMBER.sub(NUMBER_MARK, text)
    points = _code_points(text)
    if not _SEEN[points].all():
        _learn(points)
    return points[~_DROP[points]]


def normalize(text: str, own_names: Iterable[str] = ()) -> str:
    """NFKC; the enterprise's own names, dates and numbers replaced by placeholders; whitespace and punctuation removed."""
    return _normalized_points(text, own_names).tobytes().decode("utf-32-le", "surrogatepass")


def shingles(normalized: str, k: int = SHINGLE_K) -> frozenset[str]:
    """The set of k-character substrings; a text shorter than k is its own single shingle."""
    _check_k(k)
    if len(normalized) <= k:
        return frozenset([normalized]) if normalized else frozenset()
    return frozenset(normalized[i : i + k] for i in range(len(normalized) - k + 1))


def _check_k(k: int) -> None:
    if k < 1:
        raise DataError(f"shingle 长度应至少为 1：{k}", f"shingle length must be at least 1: {k}", rule="similarity.k")


def _hash_points(points: npt.NDArray[np.uint32], k: int) -> U64:
    """The sorted distinct 64-bit hashes of every run of k code points (the whole text when shorter than k)."""
    _check_k(k)
    if points.size == 0:
        return _EMPTY
    a = points.astype(np.uint64)
    width = min(k, a.size)
    windows = a.size - width + 1
    h = a[:windows].copy()
    for j in range(1, width):
        h *= _POLY
        h += a[j : j + windows]
    h ^= h >> _S30
    h *= _MIX1
    h ^= h >> _S27
    h *= _MIX2
    h ^= h >> _S31
    h.sort()
    if h.size > 1:
        h = h[np.concatenate(([True], h[1:] != h[:-1]))]
    return h


def shingle_hashes(normalized: str, k: int = SHINGLE_K) -> U64:
    """The shingle set of a normalised text as sorted distinct 64-bit hashes (see the module's docstring)."""
    return _hash_points(_code_points(normalized), k)


_BOUNDS: dict[int, U64] = {}


def signature(hashes: U64, num_perm: int = NUM_PERM) -> U64:
    """One-permutation MinHash with rotation densification of a sorted distinct hash set: num_perm slots."""
    if num_perm < 1:
        raise DataError(f"MinHash 槽数应至少为 1：{num_perm}", f"num_perm must be at least 1: {num_perm}",
                        rule="similarity.num_perm")
    if hashes.size == 0:
        return np.full(num_perm, _FULL, dtype=np.uint64)
    bounds = _BOUNDS.get(num_perm)
    if bounds is None:
        bounds = _BOUNDS.setdefault(num_perm, np.array([(i << 64) // num_perm for i in range(num_perm)], dtype=np.uint64))
    start = np.searchsorted(hashes, bounds)
    filled = start < np.append(start[1:], hashes.size)
    values: U64 = hashes[np.minimum(start, hashes.size - 1)]
    if filled.all():
        return values
    nonempty = np.flatnonzero(filled)
    return values[nonempty[np.searchsorted(nonempty, np.arange(num_perm)) % nonempty.size]]


def fingerprint(text: str, own_names: Iterable[str] = (), *, key: str = "", k: int = SHINGLE_K,
                num_perm: int = NUM_PERM) -> Fingerprint:
    """Normalise a contract text, hash its k-character shingles and sign them (num_perm MinHash slots)."""
    points = _normalized_points(text, own_names)
    normalized = points.tobytes().decode("utf-32-le", "surrogatepass")
    return Fingerprint(key=key, normalized=normalized, signature=signature(_hash_points(points, k), num_perm), k=k)


def _same_kind(a: Fingerprint, b: Fingerprint) -> None:
    if a.k != b.k:
        raise DataError("两份指纹的 shingle 长度不同", f"the fingerprints use different shingle lengths ({a.k}, {b.k})",
                        rule="similarity.k")
    if a.scheme != b.scheme or a.signature.size != b.signature.size:
        raise DataError("两份指纹的算法或槽数不同，不能比较",
                        f"the fingerprints use different schemes or sizes ({a.scheme}/{a.signature.size}, "
                        f"{b.scheme}/{b.signature.size}): never compared", rule="similarity.scheme")


def hash_jaccard(a: U64, b: U64) -> float:
    """Jaccard of two sorted distinct hash sets (1.0 for two empty sets)."""
    if a.size == 0 and b.size == 0:
        return 1.0
    if a.size > b.size:
        a, b = b, a
    if a.size == 0:
        return 0.0
    at = np.searchsorted(b, a)
    inter = int(np.count_nonzero(b[np.minimum(at, b.size - 1)] == a))
    return inter / (a.size + b.size - inter)


def exact_similarity(a: Fingerprint, b: Fingerprint) -> float:
    """Jaccard of the two shingle sets, exactly (1.0 for two empty texts)."""
    _same_kind(a, b)
    if a.normalized == b.normalized:
        return 1.0
    return hash_jaccard(a.hashes(), b.hashes())


def edit_ratio(a: Fingerprint, b: Fingerprint) -> float:
    """Normalised Indel similarity of the two normalised texts (0 to 1), by rapidfuzz."""
    return float(Indel.normalized_similarity(a.normalized, b.normalized))


_CHUNK = 1 << 20  # candidate pairs whose estimate is computed at once (2 x 8 MB of indices, 512 MB of slots read)


_BAND_MULT = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93,
                       0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53, 0x2545F4914F6CDD1D, 0x94D049BB133111EB], dtype=np.uint64)


def _band_pairs(band: U64) -> Iterator[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]]:
    """Every pair (i < j) of rows of a band (n x rows slots) that agree on every slot, in slices of positions.

    The LSH's bucket: datasketch's MinHashLSH keys a band by its bytes; here the band's slots are folded into one
    64-bit key (a sum of odd multiples, mixed), so two different bands share a key with a probability of about
    2**-64 (a false candidate, dropped by the estimate) and equal bands always do."""
    key = np.zeros(band.shape[0], dtype=np.uint64)
    for t in range(band.shape[1]):
        key += band[:, t] * _BAND_MULT[t % _BAND_MULT.size] + np.uint64(t)
        key ^= key >> _S31
    order = np.argsort(key, kind="stable")
    ranked = key[order]
    edge = np.flatnonzero(np.concatenate(([True], ranked[1:] != ranked[:-1], [True])))
    start, length = edge[:-1], np.diff(edge)
    two = start[length == 2]
    if two.size:
        a, b = order[two], order[two + 1]
        yield np.minimum(a, b), np.maximum(a, b)
    for s, m in zip(start[length > 2].tolist(), length[length > 2].tolist()):
        yield from _bucket_pairs(np.sort(order[s : s + m]))


def _bucket_pairs(members: npt.NDArray[np.int64]) -> Iterator[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]]:
    """Every pair (i < j) of a bucket's sorted members, in slices of at most about _CHUNK pairs (a bucket may be large)."""
    m = members.size
    if m * (m - 1) // 2 <= _CHUNK:
        a, b = np.triu_indices(m, 1)
        yield members[a], members[b]
        return
    step = max(1, _CHUNK // m)
    for r0 in range(0, m - 1, step):
        rr, cc = np.meshgrid(np.arange(r0, min(r0 + step, m - 1)), np.arange(r0 + 1, m), indexing="ij")
        upper = cc > rr
        yield members[rr[upper]], members[cc[upper]]


def candidate_pairs(fps: Sequence[Fingerprint], *, bands: int = LSH_BANDS, rows: int = LSH_ROWS,
                    min_estimate: float = 0.0) -> list[tuple[int, int, float]]:
    """(i, j, estimate) for the pairs of positions (i < j) that MinHashLSH puts in a common bucket and whose MinHash
    estimate is at least `min_estimate`: proposals for `exact_similarity`, never a verdict.

    datasketch's MinHashLSH holds the buckets, indexed on the first bands x rows slots; the pairs of each bucket are
    enumerated and estimated with numpy on the other slots (a pair chosen because a band agreed would look more
    alike on the band's own slots than it is), comparing the low 32 bits of each slot (two unequal slots agree there
    with a probability of 2**-32), so a cluster of thousands of moderately similar contracts costs array work, not
    a Python loop per pair. With fewer than 64 slots left over, every slot estimates."""
    keys = [fp.key for fp in fps]
    if len(set(keys)) != len(keys):
        seen: set[str] = set()
        dup = next(k for k in keys if k in seen or seen.add(k))  # type: ignore[func-returns-value]
        raise DataError(f"指纹编号重复：{dup!r}", f"duplicate fingerprint key: {dup!r}", rule="similarity.key")
    if len(fps) < 2:
        return []
    for fp in fps[1:]:
        _same_kind(fps[0], fp)
    num_perm = fps[0].signature.size
    if bands < 2 or rows < 1 or bands * rows > num_perm:
        raise DataError(f"LSH 分带不成立：{bands} × {rows} 不在 2 带与 {num_perm} 个槽之内",
                        f"LSH bands x rows ({bands} x {rows}) must be at least 2 bands within {num_perm} slots",
                        rule="similarity.lsh")
    indexed = bands * rows
    sig = np.stack([fp.signature for fp in fps])
    rest = slice(indexed, None) if num_perm - indexed >= 64 else slice(None)
    low = np.ascontiguousarray(sig[:, rest].astype(np.uint16))
    slots = low.shape[1]
    # First a coarse estimate on one bit of each slot (b-bit minwise hashing, Li & König 2010): two slots agree
    # on their lowest bit with probability P = (1 + J) / 2, so J ~ 2P - 1, read with one XOR and a popcount per
    # 64 slots; pairs more than 3 standard errors below min_estimate are dropped, then the survivors are estimated
    # on the 16 low bits of every slot (agreeing by chance with probability 2**-16) and kept at min_estimate.
    bits = np.packbits((low & 1).astype(np.uint8), axis=1)
    bits = np.ascontiguousarray(np.pad(bits, ((0, 0), (0, (-bits.shape[1]) % 8)))).view(np.uint64)
    p_at = (1 + min(max(min_estimate, 0.0), 1.0)) / 2
    coarse_cut = min_estimate - 3 * 2 * (p_at * (1 - p_at) / slots) ** 0.5
    n = len(fps)
    found: list[npt.NDArray[np.int64]] = []
    scores: list[npt.NDArray[np.float64]] = []
    pending: list[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]] = []
    size = 0

    def flush() -> None:
        nonlocal size
        if not pending:
            return
        left = np.concatenate([a for a, _ in pending])
        right = np.concatenate([b for _, b in pending])
        pending.clear()
        size = 0
        differ = np.bitwise_count(bits[left] ^ bits[right]).sum(axis=1, dtype=np.int64)
        keep = 2 * (1 - differ / slots) - 1 >= coarse_cut
        left, right = left[keep], right[keep]
        estimate = np.count_nonzero(low[left] == low[right], axis=1) / slots
        keep = estimate >= min_estimate
        found.append(left[keep] * n + right[keep])
        scores.append(estimate[keep])

    for band in range(bands):
        for a, b in _band_pairs(sig[:, band * rows : (band + 1) * rows]):
            pending.append((a, b))
            size += a.size
            if size >= _CHUNK:
                flush()
    flush()
    if not found:
        return []
    codes, first = np.unique(np.concatenate(found), return_index=True)
    estimates = np.concatenate(scores)[first]
    return [(int(c) // n, int(c) % n, float(e)) for c, e in zip(codes.tolist(), estimates.tolist())]


def candidates(fps: Sequence[Fingerprint], *, bands: int = LSH_BANDS, rows: int = LSH_ROWS) -> list[tuple[str, str]]:
    """Pairs of keys MinHashLSH puts in a common bucket: to be checked with `exact_similarity`, never a verdict."""
    if len(fps) < 2:
        candidate_pairs(fps, bands=bands, rows=rows)  # the same checks
        return []
    out = set()
    for i, j, _ in candidate_pairs(fps, bands=bands, rows=rows):
        a, b = fps[i].key, fps[j].key
        out.add((a, b) if a < b else (b, a))
    return sorted(out)


def similar_pairs(fps: Sequence[Fingerprint], *, threshold: float = COPY_THRESHOLD) -> list[SimilarPair]:
    """Candidate pairs whose exact Jaccard is at or above `threshold`, highest first."""
    by_key = {fp.key: fp for fp in fps}
    out = []
    for a, b in candidates(fps):
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
