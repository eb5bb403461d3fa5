"""What is known about one stored contract, gathered for the quality score (engine.quality): its terms, the
minimum wage in force at its place, its match against the reference texts, and how it was made (the case's
facts and deadlines).

The place of a contract is the nearest organisation of the enterprise's chain whose code is a GB/T 2260
region (320505 高新区 → the figure listed for 320500 苏州市 by prefix); a chain with none has no place, and
the minimum-wage check then says "unknown", never a guess.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.engine import Connection

from engine.case import Case
from engine.contract import ContractTerms, terms_from_mapping
from engine.deadline import Deadline
from engine.minwage import LCL55, MinWageVerdict, check_min_wage
from engine.quality import QualityFacts, QualityScore, QualitySpec, score
from engine.registry.contracts import minimum_wage_figures, quality_spec
from engine.similarity import Fingerprint, ReferenceMatch, copied_from_reference, fingerprint
from engine.store import agenda, directory
from engine.store import contracts as store

# GB/T 2260 province-level codes: a code starting with one of these is a region code.
PROVINCES = frozenset({"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42",
                       "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82"})


def is_region_code(code: str) -> bool:
    """A GB/T 2260 code (6 digits) or a statistical code built on one (9 or 12 digits)."""
    return code.isdigit() and len(code) in (6, 9, 12) and code[:2] in PROVINCES


def place_of_path(path: str) -> str | None:
    """The six-digit place code of the nearest organisation on an org path that is a region, or None."""
    for code in reversed([c for c in path.strip("/").split("/") if c]):
        if is_region_code(code):
            return code[:6]
    return None


def unknown_place(on: date, agreed: Any) -> MinWageVerdict:
    """The verdict for a contract whose organisation chain names no GB/T 2260 region."""
    return MinWageVerdict("unknown", agreed, None, None,
                          f"企业所属工会组织代码中没有行政区划代码，{on.isoformat()} 执行的最低工资标准未知，不作推测",
                          f"no organisation of the enterprise's chain has a GB/T 2260 region code: the minimum wage in force on "
                          f"{on.isoformat()} is unknown; not guessed", LCL55)


def check_day(terms: ContractTerms, case: Case | None, fallback: date) -> date:
    """The day the minimum wage is checked on: the term's start, else the signed term's start, else `fallback`."""
    if terms.start:
        return terms.start
    signed = case.last("sign") if case is not None else None
    if signed and signed.get("term_start"):
        return date.fromisoformat(str(signed["term_start"]))
    return fallback


def min_wage_verdict(terms: ContractTerms, path: str, on: date) -> tuple[str, MinWageVerdict]:
    """(place code, verdict) for terms of an enterprise on this org path, checked on a day."""
    place = place_of_path(path)
    if place is None:
        return "", unknown_place(on, terms.enterprise_min_wage)
    return place, check_min_wage(terms, minimum_wage_figures(), place, on)


def stored_terms(row: Any) -> ContractTerms | None:
    """The terms of a contract row, or None when only a text was attached."""
    return terms_from_mapping(dict(row.terms)) if row is not None and row.terms else None


def reference_prints(conn: Connection, path: str) -> list[Fingerprint]:
    """Fingerprints of the reference texts that apply to an org path (keys: the reference's name)."""
    return [fingerprint(r.text, key=str(r.name)) for r in store.references_for(conn, path)]


@dataclass(frozen=True)
class ContractQuality:
    """One contract's score with what it was computed from."""

    case_id: int
    score: QualityScore
    min_wage: MinWageVerdict
    reference_match: ReferenceMatch | None
    copied_template: bool

    def as_json(self) -> dict[str, Any]:
        """The `quality` key of `case show --format json`."""
        match = self.reference_match
        return {
            **self.score.as_json(),
            "min_wage": self.min_wage.as_json(),
            "reference_match": None if match is None else {
                "reference": match.reference, "jaccard": round(match.jaccard, 4), "edit_ratio": round(match.edit_ratio, 4),
                "threshold": match.threshold, "source": match.source},
            "copied_template": self.copied_template,
        }


def _int(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def _on_time(found: Sequence[Deadline], kind: str) -> bool | None:
    for d in found:
        if d.kind == kind:
            return True if d.status == "met" else False if d.status == "overdue" else None
    return None


def quality_of(case: Case, row: Any, *, path: str, own_names: Sequence[str], refs: Sequence[Fingerprint],
               deadlines: Sequence[Deadline], as_of: date, spec: QualitySpec | None = None) -> ContractQuality:
    """Score one contract row of a loaded case (terms, text, case facts and deadlines)."""
    spec = spec or quality_spec()
    terms = stored_terms(row) or ContractTerms()
    _, verdict = min_wage_verdict(terms, path, check_day(terms, case, as_of))
    match = None
    if row.text:
        match = copied_from_reference(fingerprint(row.text, own_names), refs, threshold=spec.copy_threshold)
    approve: Mapping[str, Any] = case.last("approve") or {}
    topics: Mapping[str, Any] = case.last("set_topics") or {}
    facts = QualityFacts(
        terms=terms, min_wage=verdict, reference_match=match,
        opinions_collected=_int(topics.get("opinions")) > 0, rounds_held=case.count("hold_round"),
        congress_members=_int(approve.get("total")), congress_present=_int(approve.get("present")),
        filed_on_time=_on_time(deadlines, "filing"), published_on_time=_on_time(deadlines, "publication"),
    )
    scored = score(facts, spec)
    copied = match is not None and not terms.has_concrete_numbers
    return ContractQuality(case.case_id, scored, verdict, match, copied)


def quality_in(conn: Connection, case: Case, as_of: date, deadlines: Sequence[Deadline] | None = None) -> ContractQuality | None:
    """The quality of a stored case's contract, or None when the case has no contract recorded."""
    row = store.contract(conn, case.case_id)
    if row is None:
        return None
    if case.party_org:
        path, names = str(directory.org(conn, case.party_org).path), [str(directory.org(conn, case.party_org).name)]
    else:
        ent = directory.enterprise(conn, case.credit_code)
        path, names = str(ent.org_path), [str(ent.name)]
    return quality_of(case, row, path=path, own_names=names, refs=reference_prints(conn, path),
                      deadlines=agenda.case_deadlines(conn, case, as_of) if deadlines is None else deadlines, as_of=as_of)
