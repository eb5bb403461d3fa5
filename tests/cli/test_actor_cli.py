"""Every act has a name (issue 13 item 4): --as NAME or $BARGAIN_AS; with only --by, that counselor; the login
otherwise. Timelines, case show and case list show names, with the ids beside them in JSON."""

from __future__ import annotations

import getpass
import json
from typing import Any

import pytest

from tests.conftest import Cli, seed_city


def entries(cli: Cli, case_id: int) -> list[dict[str, Any]]:
    body = json.loads(cli("case", "timeline", str(case_id), "--format", "json").stdout)
    return [e for e in body["entries"] if e["kind"] != "deadline"]


@pytest.fixture
def case_id(cli: Cli) -> int:
    codes = seed_city(cli.url)  # counselor 1 is 王建国
    return int(json.loads(cli("case", "open", codes["union"], "--counselor", "1", "--format", "json").stdout)["case_id"])


def test_the_name_given_with_as_is_the_actor_on_the_timeline(cli: Cli, case_id: int) -> None:
    result = cli("--as", "王芳", "case", "advance", str(case_id), "send_offer", "--set", "level=enterprise", "--at", "2026-03-02")
    assert result.exit_code == 0, result.output
    assert entries(cli, case_id)[0]["actor"] == "王芳"
    text = cli("case", "timeline", str(case_id)).stdout
    assert "王芳" in text


def test_bargain_as_in_the_environment_names_the_actor(cli: Cli, case_id: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BARGAIN_AS", "张三")
    cli("case", "advance", str(case_id), "send_offer", "--set", "level=enterprise", "--at", "2026-03-02")
    assert entries(cli, case_id)[0]["actor"] == "张三"


def test_with_only_by_the_counselor_who_did_it_is_the_actor(cli: Cli, case_id: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BARGAIN_AS", raising=False)
    monkeypatch.delenv("BARGAIN_USER", raising=False)
    cli("case", "advance", str(case_id), "send_offer", "--by", "1", "--set", "level=enterprise", "--at", "2026-03-02")
    cli("case", "log", str(case_id), "--by", "1", "--activity", "contact_management", "--note", "上门沟通", "--at", "2026-03-03")
    cli("case", "advance", str(case_id), "accept", "--at", "2026-03-04")
    first, logged, accepted = entries(cli, case_id)[:3]
    assert first["actor"] == "王建国" and logged["actor"] == "王建国"
    assert logged["counselor_id"] == 1 and logged["counselor_name"] == "王建国"
    assert accepted["actor"] == getpass.getuser()


def test_case_show_and_case_list_name_the_counselor_beside_the_id(cli: Cli, case_id: int) -> None:
    shown = json.loads(cli("case", "show", str(case_id), "--format", "json").stdout)
    assert shown["counselor_id"] == 1 and shown["counselor_name"] == "王建国"
    assert "王建国 (1)" in cli("case", "show", str(case_id)).stdout
    listed = json.loads(cli("case", "list", "--format", "json").stdout)
    assert listed[0]["counselor_name"] == "王建国"
    body = json.loads(cli("case", "timeline", str(case_id), "--format", "json").stdout)
    assert body["counselor_name"] == "王建国"
