"""A small city for the contract tests: four Suzhou enterprises and one in Beijing (no figures on file), each
with a case walked to `effective` through the real use cases."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from engine.credit import make_credit_code
from engine.store import directory
from engine.store.database import Store
from engine.times import parse_at
from engine.usecases import acts
from tests.helpers.happy import HAPPY

CONTRACTS = Path(__file__).resolve().parents[1] / "fixtures" / "contracts"

ENTERPRISES = {
    "huarui": ("苏州华瑞精密机械有限公司", "320505", "制造业", 300, 1),
    "hengtong": ("苏州恒通纺织有限公司", "320505", "纺织业", 80, 2),
    "lida": ("昆山立达电子科技有限公司", "320583", "制造业", 40, 3),
    "beijing": ("北京某科技有限公司", "110108", "信息技术", 60, 4),
}
GOOD_TERMS: dict[str, Any] = {
    "start": "2026-06-01", "end": "2027-05-31", "wage_adjustment_pct": 5.5, "enterprise_min_wage": 2600, "pay_day": 10,
    "annual_average_wage": 78000,
    "items": ["term", "pay_system", "annual_wage", "bonus_allowances", "payment", "change_procedure", "termination",
              "breach_liability"],
    "factors": ["cpi", "productivity", "last_year_wages"],
}


def code(key: str) -> str:
    """The credit code of one of the city's enterprises."""
    return make_credit_code(ENTERPRISES[key][1], ENTERPRISES[key][4])


def walk(store: Store, credit_code: str, *, year: int = 2026, until: str = "publish", case_id: int | None = None,
         month: int = 3) -> int:
    """Open a case (or take `case_id`, already offered) and fire the happy path (dates in `year`, from `month`) up to
    and including `until`; its case id."""
    day = parse_at(f"{year}-{month:02d}-02")
    if case_id is None:
        case_id = acts.open_case(store, credit_code, at=day, recorded_at=day, actor="test").case_id
    for n, (trigger, data) in enumerate(HAPPY):
        at = parse_at(f"{year}-{month:02d}-{2 + n:02d}") if trigger != "publish" else parse_at(f"{year}-{month:02d}-{2 + n:02d}T10:00")
        if trigger == "sign":
            data = {"term_start": f"{year}-06-01", "term_end": f"{year + 1}-05-31"}
        if not (trigger == "send_offer" and acts_state(store, case_id) != "targeted"):
            acts.advance(store, case_id, trigger, data, at=at, recorded_at=at, actor="test")
        if trigger == until:
            break
    return case_id


def acts_state(store: Store, case_id: int) -> str:
    """A stored case's state."""
    from engine.usecases import caseview

    return caseview.show(store, case_id, as_of=parse_at("2030-01-01").date()).state


def build(url: str) -> dict[str, int]:
    """The orgs and enterprises, and one case per enterprise walked to `effective` and published; case ids by key."""
    store = Store(url)
    with store.engine.begin() as conn:
        directory.upsert_org(conn, "320000", "江苏省总工会", "province")
        directory.upsert_org(conn, "320500", "苏州市总工会", "city", "320000")
        directory.upsert_org(conn, "320505", "高新区总工会", "district", "320500")
        directory.upsert_org(conn, "320583", "昆山市总工会", "district", "320500")
        directory.upsert_org(conn, "110000", "北京市总工会", "province")
        directory.upsert_org(conn, "110108", "海淀区总工会", "district", "110000")
        directory.upsert_enterprises(conn, [
            {"credit_code": code(k), "name": name, "org_code": org, "industry": industry, "employees": n, "has_union": True}
            for k, (name, org, industry, n, _) in ENTERPRISES.items()])
    ids = {k: walk(store, code(k)) for k in ENTERPRISES}
    store.dispose()
    return ids


def on_cli(cli: Any) -> tuple[Any, dict[str, int]]:
    """The contract city built in a CLI test's database, with the case ids by name: for a fixture,
    `city = pytest.fixture(name="city")(contract_city.on_cli)`."""
    return cli, build(cli.url)


def ok(result: Any) -> str:
    """A CLI result's stdout, once it succeeded."""
    assert result.exit_code == 0, result.output
    return str(result.stdout)


def terms_file(tmp_path: Path, **changes: Any) -> Path:
    """A --data file of GOOD_TERMS with these changes (a change to None leaves the key out)."""
    import json

    path = tmp_path / "terms.json"
    path.write_text(json.dumps({k: v for k, v in {**GOOD_TERMS, **changes}.items() if v is not None}, ensure_ascii=False),
                    encoding="utf-8")
    return path
