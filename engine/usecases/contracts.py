"""Acts on a case's contract (issue 17): its terms as data, its text, the federation's reference texts, and
typical-case marks. Each public function is one unit of work; a refusal writes nothing."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from engine import filing
from engine.case import Case
from engine.contract import ContractTerms, terms_from_mapping
from engine.errors import DataError, RuleError
from engine.filing import FilingMaterial
from engine.minwage import MinWageVerdict
from engine.permission import Principal
from engine.reports.contract_facts import check_day, min_wage_verdict
from engine.store import contracts as store_contracts
from engine.store import directory
from engine.store.database import Store
from engine.store.repository import load_case, load_events
from engine.times import local_date
from engine.usecases import guard
from engine.usecases.audit import recorded


@dataclass(frozen=True)
class TermsRecorded:
    """A case's terms as stored, with the minimum-wage verdict they passed."""

    case_id: int
    terms: ContractTerms
    place: str
    min_wage: MinWageVerdict

    def as_json(self) -> dict[str, Any]:
        """The stable JSON form."""
        return {"case_id": self.case_id, "terms": self.terms.as_json(), "place": self.place or None,
                "min_wage": self.min_wage.as_json(), "missing_items": self.terms.missing_items()}


@dataclass(frozen=True)
class FileStored:
    """A contract or reference file as kept: name, kind, size, sha256 and the characters of text extracted."""

    name: str
    kind: str
    size: int
    sha256: str
    chars: int
    case_id: int | None = None
    reference_id: int | None = None

    def as_json(self) -> dict[str, Any]:
        """The stable JSON form."""
        out: dict[str, Any] = {"file": self.name, "kind": self.kind, "size": self.size, "sha256": self.sha256, "chars": self.chars}
        if self.case_id is not None:
            out["case_id"] = self.case_id
        if self.reference_id is not None:
            out["reference_id"] = self.reference_id
        return out


def _party(conn: Any, case: Case) -> tuple[str, str]:
    """(org path, name) of a case's party: the enterprise, or the union of a regional case."""
    if case.party_org:
        org = directory.org(conn, case.party_org)
        return str(org.path), str(org.name)
    ent = directory.enterprise(conn, case.credit_code)
    return str(ent.org_path), str(ent.name)


def _with_signed_term(terms: ContractTerms, case: Case) -> ContractTerms:
    """The terms with the term signed on the case where the mapping gave none."""
    signed = case.last("sign") or {}
    start = terms.start or (date.fromisoformat(str(signed["term_start"])) if signed.get("term_start") else None)
    end = terms.end or (date.fromisoformat(str(signed["term_end"])) if signed.get("term_end") else None)
    return replace(terms, start=start, end=end)


def _check_term(terms: ContractTerms, case: Case, at: datetime) -> None:
    """The term recorded is the one signed (the sign event holds it), and runs as long as the sign check allows:
    term_min_years to term_max_years of the case's profile (1 to 3 nationally, 集体合同规定 art. 38), counted as
    the Civil Code counts (民法典 arts. 201-202, leap days included), so a past contract recorded without a
    signing is held to the same limits as one signed through the workflow."""
    from engine import registry
    from engine.rules import RULES, CheckContext

    signed = case.last("sign") or {}
    for key, value in (("start", terms.start), ("end", terms.end)):
        agreed = str(signed.get(f"term_{key}") or "")
        if agreed and value is not None and value.isoformat() != agreed:
            raise DataError(f"合同条款 {key} 为 {value}，与签订时约定的期限（第 {signed.get('seq')} 号事件：{agreed}）不一致",
                            f"contract term {key} is {value}, not the term signed (event {signed.get('seq')}: {agreed})",
                            hint_zh="期限以签订记录为准，可省略 start、end；签订记录有误请用 bargain case amend 更正",
                            hint_en="the signed term holds: leave start and end out, or correct the signing with "
                                    "bargain case amend", rule="contract.term", required=agreed, actual=value.isoformat())
    if terms.start is None or terms.end is None:
        return
    params = registry.params_for(case.workflow_key, case.jurisdiction)
    if "term_min_years" in params and "term_max_years" in params:  # the sign check itself, on the terms recorded
        RULES["term_within_limits"](CheckContext(case, "sign", {"term_start": terms.start, "term_end": terms.end},
                                                 at, params, "term_within_limits", ""))


@recorded
def record_terms(store: Store, case_id: int, data: Mapping[str, Any], *, at: datetime, actor: str,
                 who: Principal | None = None) -> TermsRecorded:
    """Record what was agreed (LEGAL.md §C.2-C.4) for a case; an enterprise minimum wage below the published
    figure in force at its place is refused (劳动合同法 art. 55) with the notice cited; unknown is kept as unknown."""
    from engine.values import check_free_text

    for key, value in data.items():  # typed by a person: the control characters refused in every other field
        if isinstance(value, str):
            check_free_text(value, f"合同条款 {key}", f"contract term {key}")
    terms = terms_from_mapping(dict(data))
    with store.unit_of_work() as uow:
        conn = uow.conn
        case = load_case(conn, case_id)
        guard.case_in(conn, who, "contract.manage", case_id)
        path, _ = _party(conn, case)
        terms = _with_signed_term(terms, case)
        _check_term(terms, case, at)
        place, verdict = min_wage_verdict(terms, path, check_day(terms, case, local_date(at)))
        if verdict.status == "below":
            raise RuleError(verdict.zh, verdict.en, rule="min_wage", source=verdict.source,
                            required=str(verdict.statutory), actual=str(verdict.agreed),
                            hint_zh="集体合同中劳动报酬标准不得低于当地最低工资标准", hint_en="a collective contract may not pay "
                            "less than the local minimum wage")
        store_contracts.put_contract(conn, case_id, {
            "terms": terms.as_json(), "min_wage": verdict.as_json(), "place": place,
            "term_year": terms.start.year if terms.start else None, "terms_at": at, "terms_by": actor})
        uow.commit()
    return TermsRecorded(case_id, terms, place, verdict)


def _file_values(name: str, kind: str, data: bytes, text: str) -> dict[str, Any]:
    if not text.strip():
        raise DataError(f"文件 {name} 中没有可提取的文字（扫描件请先识别文字）", f"no text could be extracted from {name} "
                        "(a scan needs OCR first)", rule="contract.text", actual=name)
    return {"text": text, "file_name": name, "file_kind": kind, "file_size": len(data),
            "file_sha256": hashlib.sha256(data).hexdigest(), "file_bytes": data}


@recorded
def attach_text(store: Store, case_id: int, *, name: str, kind: str, data: bytes, text: str, at: datetime,
                actor: str, who: Principal | None = None) -> FileStored:
    """Keep a case's contract file (its bytes and sha256) and the text extracted from it; a new file replaces the old."""
    values = _file_values(name, kind, data, text)
    with store.unit_of_work() as uow:
        load_case(uow.conn, case_id)
        guard.case_in(uow.conn, who, "contract.manage", case_id)
        store_contracts.put_contract(uow.conn, case_id, {**values, "attached_at": at, "attached_by": actor})
        uow.commit()
    return FileStored(name, kind, len(data), values["file_sha256"], len(text), case_id=case_id)


@recorded
def add_reference(store: Store, *, ref_name: str, org: str | None, name: str, kind: str, data: bytes, text: str,
                  at: datetime, actor: str, who: Principal | None = None) -> FileStored:
    """A federation's reference text (参考文本), for every organisation or for one organisation's subtree."""
    if not ref_name.strip():
        raise DataError("请用 --name 给参考文本命名", "name the reference text with --name", rule="reference.name")
    values = _file_values(name, kind, data, text)
    with store.unit_of_work() as uow:
        if org:
            guard.org_in(uow.conn, who, "contract.manage", org)
        else:  # a reference text for every organisation: only for whoever manages contracts everywhere
            guard.everywhere(uow.conn, who, "contract.manage")
        path = str(directory.org(uow.conn, org).path) if org else ""
        ref_id = store_contracts.add_reference(uow.conn, {
            **values, "name": ref_name.strip(), "org_code": org or None, "org_path": path, "added_at": at, "added_by": actor})
        uow.commit()
    return FileStored(name, kind, len(data), values["file_sha256"], len(text), reference_id=ref_id)


@recorded
def mark(store: Store, case_id: int, *, typical: bool, note: str, at: datetime, actor: str,
         who: Principal | None = None) -> dict[str, Any]:
    """Mark a case typical (典型) for the contract database, saying why; `typical=False` takes the mark off."""
    if typical and not note.strip():
        raise DataError("请用 --note 写明为何是典型案例", "say with --note why the case is typical", rule="mark.note")
    with store.unit_of_work() as uow:
        load_case(uow.conn, case_id)
        guard.case_in(uow.conn, who, "contract.manage", case_id)
        store_contracts.mark(uow.conn, case_id, typical=typical, note=note.strip(), at=at, actor=actor)
        uow.commit()
    return {"case_id": case_id, "typical": typical, "note": note.strip()}


@recorded
def filing_material(store: Store, case_id: int, *, who: Principal | None = None) -> FilingMaterial:
    """What the filing bundle (报送审查材料, WCB art. 21, CCR art. 42) of a signed case shows."""
    from engine import registry

    with store.read() as conn:
        case = load_case(conn, case_id)
        guard.case_in(conn, who, "contract.manage", case_id)
        _, name = _party(conn, case)
        row = store_contracts.contract(conn, case_id, with_bytes=True)
        spec = registry.spec(case.workflow_key)
        labels = {k: (t.zh, t.en) for k, t in spec.transitions.items()}
        original = (str(row.file_name), bytes(row.file_bytes)) if row is not None and row.file_bytes else None
        return filing.material(
            case_id=case_id, enterprise=name, credit_code=case.credit_code or str(case.party_org or ""),
            workflow=(spec.title_zh, spec.title_en), events=load_events(conn, case_id), labels=labels,
            contract_text=str(row.text or "") if row is not None else "", original=original,
            sha256=str(row.file_sha256) if row is not None else "", terms=dict(row.terms or {}) if row is not None else {})
