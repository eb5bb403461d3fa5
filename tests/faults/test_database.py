"""Database faults (issue 14, item 1): every command against each broken database ends in one line and exit 4
(or 3 where a retry can help), no traceback, and the database file unchanged."""

from __future__ import annotations

import os
import socket
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import PG_URL, run_bargain
from tests.faults.conftest import assert_fault, content, digest, one_line

CODE = "913205050000000015"
# Commands that never open the --db database (the demo builds its own).
DB_FREE = {"demo", "holidays", "workflow list", "workflow show"}
# Not run here: serve runs a web server until stopped; user passwd reads a password from the terminal.
NOT_RUN = {"serve", "user passwd"}


def commands(tmp: Path) -> dict[str, list[str]]:
    """Every command with minimal valid arguments (a test checks none is missing)."""
    files = {
        "org": "code,name,kind,parent_code\n320599,x,district,320500\n",
        "enterprise": "credit_code,name,org_code,industry,employees,has_union\n91320505000000003B,乙公司,320505,餐饮,31,否\n",
        "counselor": "name,kind,status,org_code\n李四,part_time,in_service,320505\n",
        "ledger": "credit_code,year,level,offer_date,response,response_date\n913205050000000028,2025,upper,2025-03-02,none,\n",
    }
    for kind, text in files.items():
        (tmp / f"{kind}.csv").write_text(text, encoding="utf-8")
    f = {kind: str(tmp / f"{kind}.csv") for kind in files}
    (tmp / "terms.json").write_text('{"wage_adjustment_pct": 5}', encoding="utf-8")
    (tmp / "contract.txt").write_text("工资集体协议\n第一条 工资调整幅度5%。\n", encoding="utf-8")
    f.update({"terms": str(tmp / "terms.json"), "contract": str(tmp / "contract.txt")})
    return {
        "init": [], "deadlines": [], "tick": [],
        "case open": [CODE], "case advance": ["1", "send_offer"], "case assign": ["1", "1"],
        "case log": ["1", "--by", "1", "--activity", "attend_round", "--note", "x"], "case show": ["1"],
        "case list": [], "case timeline": ["1"], "case void": ["1", "--reason", "x"],
        "case amend": ["1", "1", "--at", "2026-03-02", "--reason", "x"], "org merge": ["320505", "320500", "--on", "2026-03-02"],
        "enterprise retire": [CODE, "--on", "2026-03-02", "--reason", "x"], "counselor merge": ["1", "2"],
        "case cover": ["1", "--enterprise", CODE], "case covered": ["1"], "reproject": [], "case mark": ["1", "--typical", "--note", "x"],
        "case filing": ["1", "--out", str(tmp / "f.zip")], "contract terms": ["1", "--data", f["terms"]],
        "contract attach": ["1", f["contract"]], "contract similar": [], "contract reference add": [f["contract"], "--name", "x"],
        "org list": [], "report quality": ["--year", "2026"], "report wages": ["--year", "2026"],
        "user add": ["clerk", "--name", "x", "--role", "viewer", "--org", "320505"],
        "user grant": ["clerk", "--role", "viewer", "--org", "320505"], "user revoke": ["clerk", "--role", "viewer", "--org", "320505"],
        "user disable": ["clerk"], "user enable": ["clerk"], "user unlock": ["clerk"], "user token": ["clerk"],
        "user list": [], "audit": [],
        "org add": ["320599", "x", "--parent", "320500"], "org import": [f["org"]],
        "enterprise add": [CODE, "x", "--org", "320505"], "enterprise import": [f["enterprise"]], "enterprise list": [],
        "counselor add": ["x", "--org", "320505"], "counselor form": ["--org", "320505", "--out", str(tmp / "form.xlsx")],
        "counselor summary": ["1", "--year", "2026"], "counselor workload": [], "counselor import": [f["counselor"]],
        "counselor list": [], "ledger import": [f["ledger"]], "campaign launch": ["--year", "2026"],
        "report campaign": ["--year", "2026"], "report coverage": [], "report funnel": ["--year", "2026"],
        "report overdue": [], "rollup check": [], "rollup rebuild": [],
    }


def all_command_paths() -> set[str]:
    import typer.main

    from cli import app

    found: set[str] = set()

    def walk(cmd: object, path: list[str]) -> None:
        subs = getattr(cmd, "commands", None)
        if subs is None:
            found.add(" ".join(path))
            return
        for name, sub in subs.items():
            walk(sub, [*path, name])

    walk(typer.main.get_command(app), [])
    return found


def test_the_matrix_names_every_command_of_the_app(tmp_path: Path) -> None:
    assert all_command_paths() == set(commands(tmp_path)) | DB_FREE | NOT_RUN


def invoke(url: str, name: str, args: list[str]) -> object:
    from cli import app

    return CliRunner().invoke(app, ["--db", url, "--lang", "en", *name.split(), *args])


def _corrupt(tmp: Path, seeded: Path) -> Path:
    p = tmp / "corrupt.db"
    p.write_bytes(b"this is no database\n" * 500)
    return p


def _truncated(tmp: Path, seeded: Path) -> Path:
    p = tmp / "truncated.db"
    data = seeded.read_bytes()
    p.write_bytes(data[: len(data) // 3])
    return p


def _foreign(tmp: Path, seeded: Path) -> Path:
    p = tmp / "other.db"
    con = sqlite3.connect(p)
    con.execute("CREATE TABLE invoices (n INTEGER, total REAL)")
    con.execute("INSERT INTO invoices VALUES (1, 9.5)")
    con.commit()
    con.close()
    return p


BROKEN = {"corrupt": (_corrupt, "damaged or not a SQLite database"), "truncated": (_truncated, "damaged"),
          "foreign": (_foreign, "not a bargain database")}


@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_every_command_on_a_broken_sqlite_file_ends_in_one_line_and_exit_4(kind: str, tmp_path: Path, seeded: Path) -> None:
    make, needle = BROKEN[kind]
    path = make(tmp_path, seeded)
    before = digest(path)
    for name, args in commands(tmp_path).items():
        result = invoke(f"sqlite:///{path}", name, args)
        assert_fault(result, 4, needle=needle)
        assert digest(path) == before, name
    assert not (tmp_path / "form.xlsx").exists()


def test_every_command_on_a_database_in_a_missing_folder_ends_in_exit_4_and_creates_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'nowhere' / 'x.db'}"
    for name, args in commands(tmp_path).items():
        assert_fault(invoke(url, name, args), 4, needle="cannot open the database file")
    assert not (tmp_path / "nowhere").exists()


def test_every_command_on_a_read_only_database_reads_or_ends_in_exit_4_and_writes_nothing(tmp_path: Path, seeded: Path) -> None:
    before = content(seeded)
    url = f"sqlite:///file:{seeded}?mode=ro&uri=true"
    refused = set()
    for name, args in commands(tmp_path).items():
        result = invoke(url, name, args)
        assert "Traceback" not in result.stderr, (name, result.stderr)
        if result.exit_code == 4:
            assert_fault(result, 4)
            refused.add(name)
        else:
            assert result.exit_code in (0, 1), (name, result.exit_code, result.stderr)
            assert result.exception is None or isinstance(result.exception, SystemExit), (name, result.exception)
    assert {"org add", "case assign", "campaign launch", "org import"} <= refused
    assert content(seeded) == before


@pytest.fixture
def locked(seeded: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The seeded database with another process's write transaction open."""
    monkeypatch.setenv("BARGAIN_DB_BUSY_TIMEOUT", "0.2")
    con = sqlite3.connect(seeded, isolation_level=None)
    con.execute("BEGIN IMMEDIATE")
    con.execute("INSERT INTO org (code, name, kind, path) VALUES ('999999', 'held', 'other', '/999999/')")
    yield seeded
    con.execute("ROLLBACK")
    con.close()


def test_every_command_beside_a_writer_holding_the_lock_reads_or_ends_in_exit_3(tmp_path: Path, locked: Path) -> None:
    url = f"sqlite:///{locked}"
    before = content(locked)
    waited = set()
    for name, args in commands(tmp_path).items():
        result = invoke(url, name, args)
        assert "Traceback" not in result.stderr, (name, result.stderr)
        assert result.exception is None or isinstance(result.exception, SystemExit), (name, result.exception)
        if result.exit_code == 3:
            assert_fault(result, 3, needle="being written by another process")
            waited.add(name)
        else:
            assert result.exit_code in (0, 1), (name, result.exit_code, result.stderr)
            if result.exit_code:
                assert len(one_line(result.stderr)) == 1, (name, result.stderr)
    assert {"org add", "case assign", "campaign launch", "enterprise add"} <= waited
    assert content(locked) == before


def test_a_write_locked_past_the_busy_timeout_is_one_line_and_exit_3_from_the_real_command(locked: Path) -> None:
    result = run_bargain("--db", f"sqlite:///{locked}", "org", "add", "320598", "y", "--parent", "320500",
                         env={"BARGAIN_DB_BUSY_TIMEOUT": "0.2"})
    assert_fault(result, 3, needle="BARGAIN_DB_BUSY_TIMEOUT")


def test_a_corrupt_file_is_one_line_and_exit_4_from_the_real_command(tmp_path: Path) -> None:
    path = tmp_path / "bad.db"
    path.write_bytes(b"\0garbage" * 1000)
    before = digest(path)
    result = run_bargain("--db", f"sqlite:///{path}", "--lang", "en", "case", "list")
    assert_fault(result, 4, needle="damaged or not a SQLite database")
    assert digest(path) == before


def test_another_programs_database_gets_no_tables_and_no_journal_change(tmp_path: Path) -> None:
    path = _foreign(tmp_path, tmp_path)
    before = digest(path)
    result = run_bargain("--db", f"sqlite:///{path}", "--lang", "en", "init")
    assert_fault(result, 4, needle="invoices")
    assert digest(path) == before
    con = sqlite3.connect(path)
    assert [r[0] for r in con.execute("SELECT name FROM sqlite_master")] == ["invoices"]
    con.close()


def test_an_empty_db_option_is_refused_rather_than_using_the_default_file(tmp_path: Path) -> None:
    result = run_bargain("--db", "", "--lang", "en", "case", "list", cwd=tmp_path)
    assert_fault(result, 4, needle="--db is empty")
    assert not (tmp_path / "bargain.db").exists()


def test_a_bad_timeout_setting_is_one_line(tmp_path: Path) -> None:
    result = run_bargain("--db", f"sqlite:///{tmp_path / 'x.db'}", "--lang", "en", "case", "list",
                         env={"BARGAIN_DB_BUSY_TIMEOUT": "soon"})
    assert_fault(result, 4, needle="BARGAIN_DB_BUSY_TIMEOUT")


# ---- PostgreSQL: refused, silent, password never shown --------------------------------------------


def _free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = int(s.getsockname()[1])
    s.close()
    return port


def test_every_command_on_a_refused_postgresql_port_is_one_line_without_the_password(tmp_path: Path) -> None:
    url = f"postgresql+psycopg://clerk:s3cret-pw@127.0.0.1:{_free_port()}/bargain"
    for name, args in commands(tmp_path).items():
        line = assert_fault(invoke(url, name, args), 4, needle="cannot reach the database")
        assert "s3cret-pw" not in line


def test_a_port_that_accepts_but_never_answers_ends_within_the_connect_timeout() -> None:
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    port = silent.getsockname()[1]
    try:
        started = time.monotonic()
        result = run_bargain("--db", f"postgresql+psycopg://clerk:s3cret-pw@127.0.0.1:{port}/bargain", "--lang", "en",
                             "case", "list", env={"BARGAIN_DB_CONNECT_TIMEOUT": "1"})
        elapsed = time.monotonic() - started
    finally:
        silent.close()
    line = assert_fault(result, 4, needle="BARGAIN_DB_CONNECT_TIMEOUT")
    assert "s3cret-pw" not in line
    assert elapsed < 30


needs_pg = pytest.mark.skipif(not PG_URL, reason="no PostgreSQL server: set BARGAIN_TEST_PG")


@pytest.fixture
def pg_url() -> Iterator[str]:
    from tests.conftest import _pg_schema_url

    if not PG_URL:
        pytest.skip("no PostgreSQL server: set BARGAIN_TEST_PG")
    yield from _pg_schema_url(PG_URL)


def test_a_postgresql_write_waiting_on_a_lock_past_the_busy_timeout_is_exit_3(pg_url: str) -> None:
    import sqlalchemy as sa

    from engine.store.database import Store

    Store(pg_url).dispose()
    holder = sa.create_engine(pg_url)
    with holder.connect() as conn:
        conn.execute(sa.text("LOCK TABLE org IN ACCESS EXCLUSIVE MODE"))
        result = run_bargain("--db", pg_url, "--lang", "en", "org", "add", "1", "x", env={"BARGAIN_DB_BUSY_TIMEOUT": "0.5"})
        conn.rollback()
    holder.dispose()
    assert_fault(result, 3, needle="being written by another process")


def test_a_postgresql_statement_past_the_statement_timeout_is_exit_4(pg_url: str) -> None:
    import sqlalchemy as sa

    from engine.store.database import Store

    Store(pg_url).dispose()
    holder = sa.create_engine(pg_url)
    with holder.connect() as conn:
        conn.execute(sa.text("LOCK TABLE org IN ACCESS EXCLUSIVE MODE"))
        result = run_bargain("--db", pg_url, "--lang", "en", "org", "add", "1", "x",
                             env={"BARGAIN_DB_BUSY_TIMEOUT": "20", "BARGAIN_DB_STATEMENT_TIMEOUT": "0.5"})
        conn.rollback()
    holder.dispose()
    assert_fault(result, 4, needle="BARGAIN_DB_STATEMENT_TIMEOUT")


def test_postgresql_sessions_carry_the_named_timeouts(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlalchemy as sa

    from engine.store.database import Store

    monkeypatch.setenv("BARGAIN_DB_STATEMENT_TIMEOUT", "42")
    s = Store(pg_url)
    with s.read() as conn:
        assert conn.execute(sa.text("SHOW statement_timeout")).scalar() == "42s"
        assert conn.execute(sa.text("SHOW lock_timeout")).scalar() == "30s"
    s.dispose()
    assert os.environ["BARGAIN_DB_STATEMENT_TIMEOUT"] == "42"


def test_postgresql_sessions_compile_no_plan_just_in_time(pg_url: str) -> None:
    """JIT is off for the store's sessions: its compiling cost ~120 ms a call of a statement costed high but run in
    ~30 ms (the dashboard's overdue count at 1,000,000 cases); the server's default is on."""
    import sqlalchemy as sa

    from engine.store.database import Store

    plain = sa.create_engine(pg_url)
    with plain.connect() as conn:
        assert conn.execute(sa.text("SHOW jit")).scalar() == "on"  # what the store's sessions differ from
    plain.dispose()
    s = Store(pg_url)
    with s.read() as conn:
        assert conn.execute(sa.text("SHOW jit")).scalar() == "off"
    with s.engine.begin() as conn:  # every session of the pool, writes too
        assert conn.execute(sa.text("SHOW jit")).scalar() == "off"
    s.dispose()


@pytest.mark.parametrize("light", [False, True])
def test_a_file_deleted_under_an_open_store_is_a_fault_and_never_a_new_empty_database(tmp_path: Path, light: bool) -> None:
    # A server holds its Store for days: a file deleted or moved meanwhile must not come back as an empty database
    # the next request writes into (sqlite3 creates a file it cannot find); it is the one-line 'cannot open' fault.
    from engine.store import hot
    from engine.store.database import Store, fault_of

    path = tmp_path / "served.db"
    Store(f"sqlite:///{path}").dispose()
    store = Store(f"sqlite:///{path}", light=light)
    assert store.light is light
    with store.read() as conn:
        assert not hot.has_users(conn)
    store.dispose()
    path.unlink()
    with pytest.raises(Exception) as caught:
        with store.read() as conn:
            hot.has_users(conn)
    fault = fault_of(caught.value, str(path))
    assert fault is not None and fault.exit_code == 4 and "cannot open the database file" in fault.message("en")
    assert list(tmp_path.iterdir()) == [], "no new database file"
