"""Every act has a name (DOMAIN §9): an event records the actor's login and display name at the time of the act;
timelines (text, HTML, JSON), `case show` and the audit listing show "name (login)"; older rows, which recorded
no name, show the user's current one while the login names a user."""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa

from tests.access.city import seed
from tests.conftest import Cli


def _sql(url: str, statement: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text(statement))
    engine.dispose()


def _names(url: str, case_id: int) -> list[tuple[str, str]]:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = [(r[0], r[1]) for r in conn.execute(sa.text(f"SELECT actor, actor_name FROM event WHERE case_id = {case_id} ORDER BY seq"))]
    engine.dispose()
    return rows


def test_an_event_records_the_login_and_the_name_at_the_time_of_the_act(cli: Cli, tmp_path: Path) -> None:
    city = seed(cli.url)
    case_id = city.inside.case
    sent = cli("--as", "admin5", "case", "advance", str(case_id), "send_offer", "--set", "level=enterprise", "--at", "2026-03-02")
    assert sent.exit_code == 0, sent.output
    _sql(cli.url, "UPDATE app_user SET name = '王芳' WHERE login = 'admin5'")  # the user is renamed afterwards
    accepted = cli("--as", "admin5", "case", "advance", str(case_id), "accept", "--at", "2026-03-05")
    assert accepted.exit_code == 0, accepted.output
    assert _names(cli.url, case_id)[-2:] == [("admin5", "admin五"), ("admin5", "王芳")]

    tl = json.loads(cli("--as", "admin5", "case", "timeline", str(case_id), "--format", "json").stdout)
    acts = [(e["trigger"], e["actor"], e["actor_name"]) for e in tl["entries"] if e["kind"] == "transition"]
    assert acts == [("send_offer", "admin5", "admin五"), ("accept", "admin5", "王芳")]  # `actor` stays the login

    text = cli("--as", "admin5", "case", "timeline", str(case_id), "--format", "text").stdout
    assert "admin五 (admin5)" in text and "王芳 (admin5)" in text
    out = tmp_path / "t.html"
    assert cli("--as", "admin5", "case", "timeline", str(case_id), "--format", "html", "--out", str(out)).exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert "admin五 (admin5)" in html and "王芳 (admin5)" in html

    shown = cli("--as", "admin5", "case", "show", str(case_id))
    assert "王芳 (admin5)" in shown.stdout
    last = json.loads(cli("--as", "admin5", "case", "show", str(case_id), "--format", "json").stdout)["last_act"]
    assert (last["trigger"], last["actor"], last["actor_name"]) == ("accept", "admin5", "王芳")


def test_an_older_row_without_a_name_shows_the_users_current_name_and_an_unknown_login_alone(cli: Cli) -> None:
    city = seed(cli.url)
    case_id = city.inside.case
    assert cli("--as", "admin5", "case", "advance", str(case_id), "send_offer", "--set", "level=enterprise",
               "--at", "2026-03-02").exit_code == 0
    _sql(cli.url, f"UPDATE event SET actor_name = '' WHERE case_id = {case_id}")  # as the 0011 migration leaves old rows
    _sql(cli.url, "UPDATE app_user SET name = '李四' WHERE login = 'admin5'")
    tl = json.loads(cli("--as", "admin5", "case", "timeline", str(case_id), "--format", "json").stdout)
    by = {e["actor"]: e["actor_name"] for e in tl["entries"] if e["kind"] in ("transition", "opened", "assignment")}
    assert by["admin5"] == "李四"
    assert by["seed"] == ""  # a login that names no user: no name to show
    text = cli("--as", "admin5", "--lang", "zh", "case", "timeline", str(case_id), "--format", "text").stdout
    assert "李四 (admin5)" in text


def test_the_audit_listing_names_the_user_beside_the_login(cli: Cli) -> None:
    seed(cli.url)
    refused = cli("--as", "viewer5", "case", "advance", "1", "send_offer", "--set", "level=enterprise")
    assert refused.exit_code == 1
    listing = cli("--as", "root", "audit")
    assert "viewer五 (viewer5)" in listing.stdout
    rows = json.loads(cli("--as", "root", "audit", "--format", "json").stdout)
    assert any(r["login"] == "viewer5" and r["name"] == "viewer五" for r in rows)
