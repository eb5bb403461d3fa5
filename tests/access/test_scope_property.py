"""Hypothesis (issue 15 item 7): for random trees, grants and cases, no list, deadline list or report returns
anything outside the user's grants, and every list returns everything inside them."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.access.city import ROLES

_files = itertools.count()


@st.composite
def worlds(draw: st.DrawFn) -> dict[str, object]:
    n = draw(st.integers(2, 7))
    parents = [None] + [draw(st.integers(0, i - 1)) for i in range(1, n)]  # one city, and a tree under it
    enterprises = draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=8))
    counselors = draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=3))
    cases = [(e, draw(st.none() | st.integers(0, len(counselors) - 1)), draw(st.booleans()))
             for e in range(len(enterprises)) if draw(st.booleans())]
    grants = draw(st.lists(st.tuples(st.sampled_from(ROLES), st.integers(0, n - 1)), min_size=0, max_size=3))
    mine = draw(st.none() | st.integers(0, len(counselors) - 1))
    return {"parents": parents, "enterprises": enterprises, "counselors": counselors, "cases": cases, "grants": grants,
            "mine": mine}


def _build(url: str, w: dict[str, object]) -> tuple[object, object]:
    from engine.credit import make_credit_code
    from engine.permission import Grant, Principal
    from engine.store import directory
    from engine.store.database import Store
    from engine.times import parse_at
    from engine.usecases import acts

    parents: list[int | None] = w["parents"]  # type: ignore[assignment]
    codes = [f"3205{i:02d}" for i in range(len(parents))]
    s = Store(url)
    counselor_ids = []
    with s.engine.begin() as conn:
        for i, p in enumerate(parents):
            directory.upsert_org(conn, codes[i], f"组织{i}", "city" if p is None else "district", None if p is None else codes[p])
        directory.upsert_enterprises(conn, [
            {"credit_code": make_credit_code(codes[o], k + 1), "name": f"企业{k}", "org_code": codes[o], "industry": "",
             "employees": 10 + k, "has_union": True} for k, o in enumerate(w["enterprises"])])  # type: ignore[arg-type]
        for o in w["counselors"]:  # type: ignore[attr-defined]
            counselor_ids.append(directory.add_counselor(conn, {"name": "指导员", "kind": "part_time", "org_code": codes[o]}))
        paths = {c: directory.org_path(conn, c) for c in codes}
    at = parse_at("2026-03-02")
    for e, c, offered in w["cases"]:  # type: ignore[attr-defined]
        ent_org = codes[w["enterprises"][e]]  # type: ignore[index]
        case = acts.open_case(s, make_credit_code(ent_org, e + 1), at=at, recorded_at=at, actor="t",
                              counselor_id=None if c is None else counselor_ids[c])
        if offered:
            acts.advance(s, case.case_id, "send_offer", {"level": "enterprise"}, at=at, recorded_at=at, actor="t")
    mine = w["mine"]
    grants = tuple(Grant(role, paths[codes[o]]) for role, o in w["grants"])  # type: ignore[attr-defined]
    return s, Principal("p", "某人", grants, None if mine is None else counselor_ids[mine])  # type: ignore[index]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(w=worlds())
def test_no_list_or_report_shows_anything_outside_the_users_grants(w: dict[str, object], tmp_path: Path) -> None:
    import sqlalchemy as sa

    from engine import registry
    from engine.errors import DataError
    from engine.permission import PermissionRefusedError, Resource, decide, scope_paths
    from engine.store.access import case_resource
    from engine.usecases import caseview, deadlines, registers, reporting

    s, who = _build(f"sqlite:///{tmp_path / f'w{next(_files)}.db'}", w)
    roles = registry.roles()

    def may(action: str, path: str | None, counselor: int | None, kind: str = "case") -> bool:
        return decide(who, action, Resource(path, counselor, kind), roles).allowed  # type: ignore[arg-type]

    with s.read() as conn:  # type: ignore[attr-defined]
        every = [int(i) for i in conn.execute(sa.text("SELECT id FROM bcase")).scalars()]
        resources = {i: case_resource(conn, i) for i in every}
        people = {int(r.id): (str(r.org_path), int(r.id)) for r in conn.execute(sa.text("SELECT id, org_path FROM counselor"))}
    as_of = __import__("datetime").date(2026, 3, 10)
    listed = {r["case_id"] for r in caseview.list_cases(s, as_of=as_of, who=who)}  # type: ignore[arg-type]
    assert listed == {i for i in every if may("case.read", *resources[i])}
    for row, _ in deadlines.listed(s, as_of, who=who):  # type: ignore[arg-type]
        assert may("case.read", *resources[row.case.case_id])
    # `deadlines --org` for each organisation: the generated statement narrowed by the user's reach over it (whole
    # or own cases) must list exactly what the general predicate lists, and nothing the user may not read.
    from engine.store import access, agenda
    from engine.usecases.guard import reach as reach_of

    within = access.cases_within(reach_of(who, "case.read"))  # type: ignore[arg-type]
    for i in range(len(w["parents"])):  # type: ignore[arg-type]
        code = f"3205{i:02d}"
        try:
            fast = [(row.case.case_id, d.kind) for row, d in deadlines.listed(s, as_of, org=code, who=who)]  # type: ignore[arg-type]
        except PermissionRefusedError:
            continue
        with s.read() as conn:  # type: ignore[attr-defined]
            general = sorted(((r.case.case_id, d.kind) for r in agenda.scan(conn, as_of, org=code, within=within)
                              for d in r.deadlines), key=lambda k: k[0])
        assert sorted(fast) == general, code
        assert all(may("case.read", *resources[c]) for c, _ in fast)
    shown = {int(r.id) for r in registers.list_counselors(s, None, who=who)}  # type: ignore[arg-type]
    assert shown == {i for i, (path, cid) in people.items() if may("counselor.read", path, cid, "counselor")}
    for ent in registers.list_enterprises(s, None, who=who):  # type: ignore[arg-type]
        theirs = [i for i in every if resources[i][0] == ent.org_path]
        assert may("case.read", ent.org_path, None, "enterprise") or any(may("case.read", *resources[i]) for i in theirs)
    try:
        report = reporting.campaign(s, year=2026, who=who)  # type: ignore[arg-type]
    except (PermissionRefusedError, DataError):
        return
    org = report.meta.get("org")
    reach = scope_paths(who, "report.read", roles)  # type: ignore[arg-type]
    with s.read() as conn:  # type: ignore[attr-defined]
        path = conn.execute(sa.text("SELECT path FROM org WHERE code = :c"), {"c": org}).scalar() if org else "/"
    assert any(str(path).startswith(p) for p in reach)
    s.dispose()  # type: ignore[attr-defined]


@pytest.mark.parametrize("role", ["manager", "viewer"])
def test_a_report_asked_without_org_covers_the_users_one_subtree(role: str, tmp_path: Path) -> None:
    from engine.usecases import reporting

    w = {"parents": [None, 0, 0], "enterprises": [1, 2], "counselors": [1], "cases": [(0, None, True), (1, None, True)],
         "grants": [(role, 1)], "mine": None}
    s, who = _build(f"sqlite:///{tmp_path / 'one.db'}", w)
    report = reporting.campaign(s, year=2026, who=who)  # type: ignore[arg-type]
    assert report.meta["org"] == "320501" and report.as_json()["total"]["offers"] == 1
