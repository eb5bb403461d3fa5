"""Copying across a subtree (issue 17 item 3): groups of near-identical contracts across enterprises, and contracts
flagged "copied template" (a reference text matched at or above the threshold AND the specific terms missing).

Every text is normalised with its enterprise's own name, dates and numbers as placeholders (engine.similarity), so
two enterprises that only changed the name on a reference text come out identical. The contracts and the
reference texts go into one MinHash LSH index: it proposes candidate pairs and the exact shingle Jaccard
decides, so the whole subtree costs one pass, not one comparison per pair.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Connection

from engine.contract import ContractTerms
from engine.registry.contracts import quality_spec
from engine.reports import scope as sc
from engine.reports.contract_facts import stored_terms
from engine.similarity import (
    COPY_POLICY_SOURCE,
    U64,
    Fingerprint,
    SimilarPair,
    candidate_pairs,
    fingerprint,
    groups,
    hash_jaccard,
)
from engine.store import contracts as store

REF = "ref:"  # key prefix of a reference text in the shared index (case ids are digits)
PARALLEL_MIN = 4000  # ours: from this many texts the fingerprints are computed in two processes (a subtree's check)

_WORK: Sequence[tuple[str, str, Sequence[str]]] = ()  # the texts a forked worker reads (inherited, never sent)


def _fingerprint_slice(bounds: tuple[int, int]) -> tuple[list[str], list[str], Any]:
    import numpy as np

    prints = [fingerprint(text, names, key=key) for key, text, names in _WORK[bounds[0]:bounds[1]]]
    return [fp.key for fp in prints], [fp.normalized for fp in prints], np.stack([fp.signature for fp in prints])


def fingerprints(items: Sequence[tuple[str, str, Sequence[str]]], *, workers: int | None = None) -> list[Fingerprint]:
    """(key, text, the enterprise's own names) -> fingerprints, in order. From PARALLEL_MIN texts on, in `workers`
    forked processes (default: two, or one where the system has one CPU or no fork): the worker reads the texts
    it inherited and sends back only the normalised texts and one block of signatures."""
    import multiprocessing
    import os

    global _WORK
    count = workers if workers is not None else min(2, os.cpu_count() or 1)
    if count < 2 or len(items) < PARALLEL_MIN or "fork" not in multiprocessing.get_all_start_methods():
        return [fingerprint(text, names, key=key) for key, text, names in items]
    step = 2000
    _WORK = items
    try:
        with multiprocessing.get_context("fork").Pool(count) as pool:
            out: list[Fingerprint] = []
            for keys, normalized, block in pool.imap(_fingerprint_slice, [(i, i + step) for i in range(0, len(items), step)]):
                out += [Fingerprint(key=k, normalized=t, signature=s) for k, t, s in zip(keys, normalized, block)]
            return out
    finally:
        _WORK = ()


@dataclass(frozen=True)
class Analysis:
    """Pairs at or above the threshold, split into contract groups and each contract's best reference match."""

    pairs: list[SimilarPair]
    groups: list[list[str]]
    best_reference: dict[str, tuple[str, float]]
    classes: dict[str, str] = field(default_factory=dict)  # every key -> the representative of its normalised text
    verified: frozenset[tuple[str, str]] = frozenset()  # representative pairs found at or above the threshold
    proposed: int = 0  # candidate pairs of representatives kept after the MinHash estimate
    measured: int = 0  # of which measured exactly (the others joined two texts already in one group)
    _group_of: dict[str, int] | None = field(default=None, repr=False)

    def found(self, a: str, b: str) -> bool:
        """Whether the check related these two texts: the same normalised text, the same group of near-identical
        contracts, or their representatives measured exactly at or above the threshold."""
        x, y = self.classes.get(a, a), self.classes.get(b, b)
        if x == y or (min(x, y), max(x, y)) in self.verified:
            return True
        group = {k: n for n, g in enumerate(self.groups) for k in g} if self._group_of is None else self._group_of
        object.__setattr__(self, "_group_of", group)
        return a in group and group.get(a) == group.get(b)


ESTIMATE_MARGIN = 0.05  # ~2.5 standard errors of the 384-slot estimate near 0.8 (sqrt(0.8 x 0.2 / 384) = 0.02): a
# pair estimated below threshold - margin is dropped without the exact measure (the verdict stays exact for every
# pair kept); what this loses is measured as the recall in bench/bench_similarity.py


def _collapse(prints: Sequence[Fingerprint]) -> tuple[list[Fingerprint], dict[str, list[str]]]:
    """One representative per normalised text: copies that differ only in name, dates and numbers are identical
    after normalising, and a reference copied a thousand times must not cost a million pairs."""
    reps: dict[str, Fingerprint] = {}
    members: dict[str, list[str]] = {}
    for fp in prints:
        rep = reps.setdefault(fp.normalized, fp)
        members.setdefault(rep.key, []).append(fp.key)
    return list(reps.values()), members


def _pair(a: str, b: str, jaccard: float, ratio: float | None) -> SimilarPair:
    x, y = sorted((a, b))
    return SimilarPair(x, y, jaccard, ratio)


def analyse(contracts: Sequence[Fingerprint], references: Sequence[Fingerprint], *, threshold: float) -> Analysis:
    """One LSH pass over contracts and references (reference keys prefixed 'ref:'); exact Jaccard for every verdict.

    Identical normalised texts are collapsed first (their Jaccard is 1.0); candidate pairs whose MinHash estimate
    falls below `threshold - ESTIMATE_MARGIN` are dropped before the exact measure."""
    reps, members = _collapse([*references, *contracts])
    kept: dict[int, U64] = {}  # shingle sets of the representatives in a candidate pair, computed once each

    def hashes(i: int) -> U64:
        if i not in kept:
            kept[i] = reps[i].hashes()
        return kept[i]

    parent = list(range(len(reps)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    is_ref = [fp.key.startswith(REF) for fp in reps]
    pairs: list[SimilarPair] = []
    measured = 0
    found = candidate_pairs(reps, min_estimate=threshold - ESTIMATE_MARGIN)
    found.sort(key=lambda c: -c[2])
    for i, j, _ in found:
        with_ref = is_ref[i] or is_ref[j]
        if not with_ref:
            ri, rj = find(i), find(j)
            if ri == rj:
                continue  # already in one group through pairs measured exactly: this one changes no group
        measured += 1
        score = hash_jaccard(hashes(i), hashes(j))
        if score >= threshold:
            pairs.append(_pair(reps[i].key, reps[j].key, score, None))
            if not with_ref:
                parent[max(ri, rj)] = min(ri, rj)
    # Expand: every member of a class stands where its representative stands, and the class is a group itself.
    expanded: list[SimilarPair] = []
    for rep, keys in members.items():
        expanded += [_pair(rep, k, 1.0, 1.0) for k in keys if k != rep]
    for p in pairs:
        expanded += [_pair(i, j, p.jaccard, p.edit_ratio) for i in members[p.a] for j in members[p.b]
                     if i.startswith(REF) or j.startswith(REF)]
        expanded.append(p)
    between = [p for p in expanded if not p.a.startswith(REF) and not p.b.startswith(REF)]
    best: dict[str, tuple[str, float]] = {}
    for p in expanded:
        if p.a.startswith(REF) == p.b.startswith(REF):
            continue
        ref, other = (p.a, p.b) if p.a.startswith(REF) else (p.b, p.a)
        if other not in best or p.jaccard > best[other][1]:
            best[other] = (ref[len(REF):], p.jaccard)
    classes = {k: rep for rep, keys in members.items() for k in keys}
    verified = frozenset((min(p.a, p.b), max(p.a, p.b)) for p in pairs)
    return Analysis(sorted(expanded, key=lambda p: (-p.jaccard, p.a, p.b)), groups(between), best, classes, verified,
                    len(found), measured)


@dataclass
class Similarity:
    """What `bargain contract similar` prints."""

    org: str | None
    org_name: str
    year: int | None
    threshold: float
    threshold_source: str
    contracts: int
    references: list[str]
    group_rows: list[list[dict[str, Any]]] = field(default_factory=list)
    copied: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The stable JSON form."""
        return {"org": self.org, "org_name": self.org_name, "year": self.year, "threshold": self.threshold,
                "threshold_source": self.threshold_source, "policy_source": COPY_POLICY_SOURCE,
                "contracts": self.contracts, "references": self.references,
                "groups": [{"size": len(g), "members": g} for g in self.group_rows], "copied_template": self.copied}


def _missing(terms: ContractTerms | None) -> list[str]:
    """The specific terms a copied template leaves out (the two numbers the quality score asks for)."""
    if terms is None:
        return ["terms"]
    return [k for k, v in (("wage_adjustment_pct", terms.wage_adjustment_pct), ("enterprise_min_wage", terms.enterprise_min_wage))
            if v is None]


def similar(conn: Connection, *, org: str | None = None, year: int | None = None) -> Similarity:
    """Near-identical contracts and copied templates among the contracts with a text in an organisation's subtree."""
    scope = sc.resolve(conn, org)
    spec = quality_spec()
    rows = [r for r in store.contracts_in(conn, scope.path, year=year) if r.text]
    refs = store.references_for(conn, scope.path)
    ref_prints = [fingerprint(r.text, key=f"{REF}{r.name}") for r in refs]
    prints = fingerprints([(str(r.case_id), str(r.text), [str(r.enterprise)]) for r in rows])
    found = analyse(prints, ref_prints, threshold=spec.copy_threshold)
    by_id = {str(r.case_id): r for r in rows}
    best_pair: dict[str, float] = {}
    for p in found.pairs:
        if not p.a.startswith(REF) and not p.b.startswith(REF):
            for key in (p.a, p.b):
                best_pair[key] = max(best_pair.get(key, 0.0), p.jaccard)

    def member(key: str) -> dict[str, Any]:
        r = by_id[key]
        ref = found.best_reference.get(key)
        return {"case_id": int(key), "credit_code": r.credit_code, "enterprise": r.enterprise, "org_code": r.org_code,
                "max_jaccard": round(best_pair.get(key, 0.0), 4), "reference": ref[0] if ref else None}

    out = Similarity(scope.code, scope.name, year, spec.copy_threshold, spec.copy_threshold_source, len(rows),
                     [str(r.name) for r in refs])
    out.group_rows = [[member(k) for k in g] for g in found.groups]
    for key, (ref, jaccard) in sorted(found.best_reference.items(), key=lambda kv: int(kv[0])):
        missing = _missing(stored_terms(by_id[key]))
        if missing:
            r = by_id[key]
            out.copied.append({"case_id": int(key), "credit_code": r.credit_code, "enterprise": r.enterprise,
                               "reference": ref, "jaccard": round(jaccard, 4), "missing": missing})
    return out
